import { describe, expect, it } from 'vitest';
import { awsKeyParser, Keys, parseKey } from './keys.js';

describe('AWS cache keys (docs/architecture.md, Cache keys)', () => {
  it('builds every key type exactly', () => {
    expect(Keys.serverGroup('prod', 'us-east-1', 'app-main-canary-v003')).toBe('aws:serverGroups:app-main-canary:prod:us-east-1:app-main-canary-v003');
    expect(Keys.cluster('App', 'prod', 'App-main')).toBe('aws:clusters:app:prod:App-main');
    expect(Keys.application('App')).toBe('aws:applications:app');
    expect(Keys.instance('prod', 'us-east-1', 'i-0abc')).toBe('aws:instances:prod:us-east-1:i-0abc');
    expect(Keys.loadBalancer('prod', 'us-east-1', 'app-lb')).toBe('aws:loadBalancers:prod:us-east-1:app-lb');
    expect(Keys.loadBalancer('prod', 'us-east-1', 'app-lb', 'vpc-1', 'classic')).toBe('aws:loadBalancers:prod:us-east-1:app-lb:vpc-1');
    expect(Keys.loadBalancer('prod', 'us-east-1', 'app-lb', 'vpc-1', 'application')).toBe('aws:loadBalancers:prod:us-east-1:app-lb:vpc-1:application');
    expect(Keys.targetGroup('prod', 'us-east-1', 'app-tg', 'instance', 'vpc-1')).toBe('aws:targetGroups:prod:us-east-1:app-tg:instance:vpc-1');
    expect(Keys.health('i-1', 'prod', 'us-east-1', 'aws-load-balancer-v2-target-group-instance-health')).toBe(
      'aws:health:i-1:prod:us-east-1:aws-load-balancer-v2-target-group-instance-health',
    );
    expect(Keys.image('prod', 'us-east-1', 'ami-1')).toBe('aws:images:prod:us-east-1:ami-1');
    expect(Keys.namedImage('prod', 'app-1.0')).toBe('aws:namedImages:prod:app-1.0');
    expect(Keys.launchConfig('prod', 'us-east-1', 'lc')).toBe('aws:launchConfigs:prod:us-east-1:lc');
    expect(Keys.launchTemplate('prod', 'us-east-1', 'lt')).toBe('aws:launchTemplates:prod:us-east-1:lt');
    expect(Keys.securityGroup('web', 'sg-1', 'us-east-1', 'prod', 'vpc-1')).toBe('aws:securityGroups:web:sg-1:us-east-1:prod:vpc-1');
    expect(Keys.subnet('subnet-1', 'prod', 'us-east-1')).toBe('aws:subnets:subnet-1:prod:us-east-1');
    expect(Keys.vpc('vpc-1', 'prod', 'us-east-1')).toBe('aws:vpcs:vpc-1:prod:us-east-1');
    expect(Keys.keyPair('deploy', 'prod', 'us-east-1')).toBe('aws:keyPairs:deploy:prod:us-east-1');
  });

  it('parses keys back into named fields', () => {
    expect(parseKey('aws:serverGroups:app-main:prod:us-east-1:app-main-v001')).toEqual({
      provider: 'aws',
      type: 'serverGroups',
      cluster: 'app-main',
      account: 'prod',
      region: 'us-east-1',
      serverGroup: 'app-main-v001',
      name: 'app-main-v001',
      application: 'app',
      stack: 'main',
      sequence: '1',
    });
    expect(parseKey('aws:clusters:app:prod:app-main')).toMatchObject({ application: 'app', account: 'prod', cluster: 'app-main', stack: 'main' });
    expect(parseKey('aws:instances:prod:us-east-1:i-1')).toEqual({
      provider: 'aws',
      type: 'instances',
      account: 'prod',
      region: 'us-east-1',
      instanceId: 'i-1',
      name: 'i-1',
    });
    expect(parseKey('aws:loadBalancers:prod:us-east-1:app-lb:vpc-1:network')).toMatchObject({
      loadBalancer: 'app-lb',
      vpcId: 'vpc-1',
      loadBalancerType: 'network',
      application: 'app',
    });
    expect(parseKey('aws:securityGroups:web:sg-1:us-east-1:prod:')).toEqual({
      provider: 'aws',
      type: 'securityGroups',
      name: 'web',
      id: 'sg-1',
      region: 'us-east-1',
      account: 'prod',
      application: 'web',
    });
    expect(parseKey('aws:keyPairs:deploy:prod:us-east-1')).toMatchObject({ keyName: 'deploy', account: 'prod', region: 'us-east-1' });
    expect(parseKey('kubernetes.v2:logical:applications:x')).toBeUndefined();
    expect(parseKey('aws:serverGroups:too:few')).toBeUndefined();
    expect(parseKey('aws:unknownType:a:b')).toBeUndefined();
    expect(awsKeyParser.cloudProvider).toBe('aws');
    expect(awsKeyParser.searchableTypes).toContain('serverGroups');
  });
});
