import { describe, expect, it } from 'vitest';
import { gceKeyParser, Keys, parseKey } from './keys.js';
import provider, { GCE_PROVIDER_API_VERSION } from './index.js';
import { majorVersionOf, SPI_VERSION } from '@stratus/plugin-api';

describe('GCE cache keys', () => {
  it('builds and parses every key type in Clouddriver google formats', () => {
    expect(Keys.serverGroup('prod', 'us-central1', 'shop-web-v001', 'us-central1-a')).toBe(
      'gce:serverGroups:shop-web:prod:us-central1:shop-web-v001:us-central1-a',
    );
    expect(parseKey(Keys.serverGroup('prod', 'us-central1', 'shop-web-canary-v012'))).toEqual({
      provider: 'gce',
      type: 'serverGroups',
      application: 'shop',
      cluster: 'shop-web-canary',
      account: 'prod',
      region: 'us-central1',
      serverGroup: 'shop-web-canary-v012',
      name: 'shop-web-canary-v012',
      stack: 'web',
      detail: 'canary',
      sequence: '12',
    });
    expect(parseKey(Keys.cluster('prod', 'Shop', 'shop-web'))).toEqual({
      provider: 'gce',
      type: 'clusters',
      account: 'prod',
      application: 'shop',
      cluster: 'shop-web',
      name: 'shop-web',
      stack: 'web',
    });
    expect(parseKey(Keys.application('Shop'))).toEqual({ provider: 'gce', type: 'applications', application: 'shop', name: 'shop' });
    expect(parseKey(Keys.instance('prod', 'us-central1', 'shop-web-v001-abcd'))).toEqual({
      provider: 'gce',
      type: 'instances',
      account: 'prod',
      region: 'us-central1',
      name: 'shop-web-v001-abcd',
      instanceId: 'shop-web-v001-abcd',
    });
    expect(parseKey(Keys.loadBalancer('prod', 'us-central1', 'shop-lb'))).toMatchObject({
      type: 'loadBalancers',
      account: 'prod',
      region: 'us-central1',
      loadBalancer: 'shop-lb',
      application: 'shop',
      stack: 'lb',
    });
    expect(parseKey(Keys.securityGroup('shop-http', '123', 'global', 'prod'))).toEqual({
      provider: 'gce',
      type: 'securityGroups',
      application: 'shop',
      name: 'shop-http',
      id: '123',
      region: 'global',
      account: 'prod',
    });
    expect(parseKey(Keys.network('default', 'prod'))).toEqual({
      provider: 'gce',
      type: 'networks',
      id: 'default',
      name: 'default',
      account: 'prod',
      region: 'global',
    });
    expect(parseKey(Keys.subnet('default', 'prod', 'us-central1'))).toMatchObject({ type: 'subnets', account: 'prod', region: 'us-central1' });
    expect(parseKey(Keys.image('prod', 'debian-12'))).toEqual({ provider: 'gce', type: 'images', account: 'prod', imageId: 'debian-12', name: 'debian-12' });
    expect(parseKey(Keys.backendService('prod', 'global', 'web'))).toEqual({
      provider: 'gce',
      type: 'backendServices',
      account: 'prod',
      kind: 'global',
      name: 'web',
    });
    expect(parseKey('aws:instances:prod:us-east-1:i-1')).toBeUndefined();
    expect(parseKey('gce:serverGroups:too:few')).toBeUndefined();
    expect(gceKeyParser.cloudProvider).toBe('gce');
  });

  it('declares the SPI major it was built against and the google config key', () => {
    expect(provider.id).toBe('gce');
    expect(provider.configKey).toBe('google');
    expect(majorVersionOf(GCE_PROVIDER_API_VERSION)).toBe(majorVersionOf(SPI_VERSION));
    expect(GCE_PROVIDER_API_VERSION).toBe(SPI_VERSION);
  });
});
