import { describe, expect, it } from 'vitest';
import { parseKubernetesAccount } from '../accounts/kubernetes-account.js';
import { buildInfrastructureItems, buildLogicalItems, type AccountObject } from './kubernetes-cache-data.js';
import { BUILT_IN_KINDS } from '../kubernetes-kind.js';

const account = parseKubernetesAccount({ name: 'prod', kubeconfigContents: 'x' });
const kind = (k: string) => BUILT_IN_KINDS.find((x) => x.kind === k)!;
const obj = (k: string, name: string, extra: Record<string, any> = {}): AccountObject => ({
  kind: kind(k),
  manifest: { apiVersion: kind(k).apiVersion, kind: k, ...extra, metadata: { name, namespace: 'default', uid: `uid-${k}-${name}`, ...extra.metadata } },
});
const key = (type: string, name: string) => `kubernetes.v2:infrastructure:${type}:prod:default:${name}`;
const moniker = { 'moniker.spinnaker.io/application': 'shop', 'moniker.spinnaker.io/cluster': 'deployment web' };

describe('cache items of an account', () => {
  const objects = [
    obj('Deployment', 'web', { metadata: { annotations: moniker } }),
    obj('ReplicaSet', 'web-1', {
      metadata: { annotations: moniker, ownerReferences: [{ uid: 'uid-Deployment-web' }] },
      spec: { template: { metadata: { labels: { app: 'web' } } } },
    }),
    obj('Pod', 'web-1-a', { metadata: { labels: { app: 'web' }, ownerReferences: [{ uid: 'uid-ReplicaSet-web-1' }] } }),
    obj('Service', 'web', { spec: { selector: { app: 'web' } } }),
    obj('Service', 'other', { spec: { selector: { app: 'other' } } }),
    obj('Ingress', 'web', { spec: { rules: [{ http: { paths: [{ backend: { service: { name: 'web' } } }] } }] } }),
    obj('ConfigMap', 'lonely', { metadata: { labels: { 'app.kubernetes.io/name': 'tools' } } }),
  ];
  const items = buildInfrastructureItems(account, objects);
  const item = (type: string, name: string) => items.get(type)!.find((i) => i.id === key(type, name))!;

  it('relates owners and owned both ways', () => {
    expect(item('deployment', 'web').relationships.replicaSet).toEqual([key('replicaSet', 'web-1')]);
    expect(item('replicaSet', 'web-1').relationships.deployment).toEqual([key('deployment', 'web')]);
    expect(item('replicaSet', 'web-1').relationships.pod).toEqual([key('pod', 'web-1-a')]);
    expect(item('pod', 'web-1-a').relationships.replicaSet).toEqual([key('replicaSet', 'web-1')]);
  });

  it('relates Services to the workloads they select and Ingresses through their backends', () => {
    expect(item('service', 'web').relationships.replicaSet).toEqual([key('replicaSet', 'web-1')]);
    expect(item('service', 'web').relationships.pod).toEqual([key('pod', 'web-1-a')]);
    expect(item('service', 'other').relationships.replicaSet).toEqual([]);
    expect(item('ingress', 'web').relationships.service).toEqual([key('service', 'web')]);
    expect(item('ingress', 'web').relationships.replicaSet).toEqual([key('replicaSet', 'web-1')]);
    expect(item('replicaSet', 'web-1').relationships.service).toEqual([key('service', 'web')]);
    expect(item('replicaSet', 'web-1').relationships.ingress).toEqual([key('ingress', 'web')]);
  });

  it('derives logical applications and clusters from monikers, falling back to app.kubernetes.io/name', () => {
    expect(item('replicaSet', 'web-1').attributes.moniker).toEqual({ app: 'shop', cluster: 'deployment web' });
    expect(item('configMap', 'lonely').attributes.moniker).toEqual({ app: 'tools', cluster: 'configMap lonely' });
    expect(item('pod', 'web-1-a').attributes.moniker).toBeUndefined();
    const logical = buildLogicalItems(account, objects);
    const [cluster] = logical.get('clusters')!;
    expect(cluster!.id).toBe('kubernetes.v2:logical:clusters:prod:shop:deployment web');
    expect(cluster!.relationships.deployment).toEqual([key('deployment', 'web')]);
    expect(cluster!.relationships.replicaSet).toEqual([key('replicaSet', 'web-1')]);
    expect(
      logical
        .get('applications')!
        .map((a) => a.id)
        .sort(),
    ).toEqual(['kubernetes.v2:logical:applications:shop', 'kubernetes.v2:logical:applications:tools']);
  });
});
