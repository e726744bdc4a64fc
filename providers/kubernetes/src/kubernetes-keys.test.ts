import { describe, expect, it } from 'vitest';
import { applicationKey, clusterKey, infrastructureKey, kubernetesKeyParser, parseInfrastructureKey } from './kubernetes-keys.js';

describe('Kubernetes cache keys', () => {
  it('builds Clouddriver keys and escapes ":" inside parts as ";"', () => {
    expect(infrastructureKey('deployment', 'prod', 'default', 'web')).toBe('kubernetes.v2:infrastructure:deployment:prod:default:web');
    expect(infrastructureKey('clusterRole', 'prod', '', 'system:aggregate')).toBe('kubernetes.v2:infrastructure:clusterRole:prod::system;aggregate');
    expect(applicationKey('shop')).toBe('kubernetes.v2:logical:applications:shop');
    expect(clusterKey('prod', 'shop', 'deployment web')).toBe('kubernetes.v2:logical:clusters:prod:shop:deployment web');
  });

  it('parses keys back, unescaping parts', () => {
    expect(parseInfrastructureKey('kubernetes.v2:infrastructure:clusterRole:prod::system;aggregate')).toEqual({
      kind: 'clusterRole',
      account: 'prod',
      namespace: '',
      name: 'system:aggregate',
    });
    expect(kubernetesKeyParser.parseKey('kubernetes.v2:infrastructure:pod:prod:default:web-1')).toMatchObject({
      provider: 'kubernetes',
      type: 'pod',
      account: 'prod',
      region: 'default',
      name: 'web-1',
    });
    expect(kubernetesKeyParser.parseKey(clusterKey('prod', 'shop', 'deployment web'))).toEqual({
      provider: 'kubernetes',
      type: 'clusters',
      account: 'prod',
      application: 'shop',
      cluster: 'deployment web',
      name: 'deployment web',
    });
    expect(kubernetesKeyParser.parseKey(applicationKey('shop'))).toMatchObject({ type: 'applications', application: 'shop' });
    expect(kubernetesKeyParser.parseKey('aws:serverGroups:x')).toBeUndefined();
    expect(parseInfrastructureKey('kubernetes.v2:infrastructure:pod:prod')).toBeUndefined();
  });
});
