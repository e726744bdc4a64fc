import { describe, expect, it } from 'vitest';
import { accountCoversNamespace, parseKubernetesAccount } from './kubernetes-account.js';

const base = { name: 'prod', kubeconfigContents: 'apiVersion: v1\nkind: Config\n' };
const error = (raw: Record<string, unknown>) => {
  try {
    parseKubernetesAccount(raw);
  } catch (e) {
    return (e as Error).message;
  }
  return 'parsed';
};

describe('kubernetes.accounts[] parsing', () => {
  it('parses an account and keeps the kubeconfig contents out of JSON', () => {
    const account = parseKubernetesAccount({
      ...base,
      namespaces: ['team-a'],
      permissions: { READ: ['dev'], WRITE: ['ops'] },
      environment: 'production',
      cacheIntervalSeconds: 60,
    });
    expect(account).toMatchObject({
      name: 'prod',
      cloudProvider: 'kubernetes',
      type: 'kubernetes',
      environment: 'production',
      namespaces: ['team-a'],
      cacheIntervalSeconds: 60,
      permissions: { READ: ['dev'], WRITE: ['ops'] },
    });
    expect(account.kubeconfigContents).toBe(base.kubeconfigContents);
    expect(JSON.stringify(account)).not.toContain('kubeconfigContents');
    expect(accountCoversNamespace(account, 'team-a')).toBe(true);
    expect(accountCoversNamespace(account, 'team-b')).toBe(false);
  });

  it('derives cached kinds from kinds / omitKinds / customResources', () => {
    const omitted = parseKubernetesAccount({
      ...base,
      omitKinds: ['secret', 'configMap'],
      customResources: [{ kubernetesKind: 'CronTab.stable.example.com' }],
    });
    expect(omitted.cachedKinds.map((k) => k.cacheType)).toEqual([
      'deployment',
      'replicaSet',
      'statefulSet',
      'daemonSet',
      'pod',
      'service',
      'ingress',
      'crontab.stable.example.com',
    ]);
    const only = parseKubernetesAccount({ ...base, kinds: ['deploy', 'Pod'] });
    expect(only.cachedKinds.map((k) => k.kind)).toEqual(['Deployment', 'Pod']);
  });

  it('matches kinds / omitKinds entries against each kind itself, so operation-only kinds (Job, Namespace) select nothing else', () => {
    expect(parseKubernetesAccount({ ...base, omitKinds: ['job'] }).cachedKinds).toHaveLength(9);
    expect(parseKubernetesAccount({ ...base, kinds: ['job', 'pod'] }).cachedKinds.map((k) => k.kind)).toEqual(['Pod']);
    expect(parseKubernetesAccount({ ...base, omitKinds: ['namespace'] }).cachedKinds).toHaveLength(9);
  });

  it('names the bad field', () => {
    expect(error({ name: 'prod' })).toMatch(/kubeconfigFile or kubeconfigContents/);
    expect(error({ ...base, kubeconfigFile: '/x' })).toMatch(/mutually exclusive/);
    expect(error({ ...base, namespaces: ['a'], omitNamespaces: ['b'] })).toMatch(/namespaces and omitNamespaces/);
    expect(error({ ...base, kinds: ['widget'] })).toMatch(/kinds\[0\] "widget"/);
    expect(error({ ...base, namespace: ['a'] })).toMatch(/namespace is not a Kubernetes account field/);
    expect(error({ ...base, cacheIntervalSeconds: 0 })).toMatch(/cacheIntervalSeconds/);
    expect(error({ ...base, customResources: [{ kubernetesKind: 'CronTab' }] })).toMatch(/customResources\[0\]/);
    expect(error({ ...base, permissions: { ADMIN: ['x'] } })).toMatch(/permissions.ADMIN/);
    expect(error({ ...base, name: 'a b' })).toMatch(/^name/);
  });
});

describe('rawResourcesEndpointConfig', () => {
  it('compiles kind expressions and refuses both lists or a bad expression, naming the field', async () => {
    const { rawResourceKindShown } = await import('./raw-resources-config.js');
    const only = parseKubernetesAccount({ ...base, rawResourcesEndpointConfig: { kindExpressions: ['config.*', 'deployment'] } });
    expect(['configMap', 'deployment', 'pod'].map((k) => rawResourceKindShown(only.rawResources, k))).toEqual([true, true, false]);
    const omit = parseKubernetesAccount({ ...base, rawResourcesEndpointConfig: { omitKindExpressions: ['secret'] } });
    expect(['secret', 'pod'].map((k) => rawResourceKindShown(omit.rawResources, k))).toEqual([false, true]);
    expect(JSON.stringify(omit)).not.toContain('rawResources"');
    expect(error({ ...base, rawResourcesEndpointConfig: { kindExpressions: ['a'], omitKindExpressions: ['b'] } })).toMatch(/at most one/);
    expect(error({ ...base, rawResourcesEndpointConfig: { kindExpressions: ['('] } })).toMatch(/kindExpressions\[0\]/);
  });
});
