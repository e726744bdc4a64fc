import { describe, expect, it } from 'vitest';
import { KubernetesApiError } from '../kubernetes-api-error.js';
import type { KubernetesClient } from '../kubernetes-client.js';
import { KubernetesDiscovery } from './kubernetes-discovery.js';

/** A client answering discovery from a table, counting what it was asked. */
function discoveryClient(groups: Record<string, string[]>, resources: Record<string, string[]>) {
  const asked: string[] = [];
  const client = {
    async discover(path: string) {
      asked.push(path);
      if (path === '/api') return { versions: ['v1'] };
      if (path === '/apis')
        return {
          groups: Object.entries(groups).map(([name, versions]) => ({
            name,
            versions: versions.map((version) => ({ groupVersion: `${name}/${version}`, version })),
            preferredVersion: { version: versions[0] },
          })),
        };
      const apiVersion = path.replace(/^\/apis?\//, '');
      const plurals = resources[apiVersion];
      if (!plurals) throw new KubernetesApiError(404, 'NotFound', `discover ${path}: not found`);
      return {
        resources: plurals
          .map((name) => ({ name, kind: name, namespaced: true, verbs: ['list'] }))
          .concat([{ name: `${plurals[0]}/status`, kind: 'x', namespaced: true, verbs: [] }]),
      };
    },
  } as unknown as KubernetesClient;
  return { client, asked };
}

describe('KubernetesDiscovery', () => {
  it('reads /api and /apis once, resource lists only when asked, and again after the refresh interval or an invalidation', async () => {
    let now = 1_000;
    const { client, asked } = discoveryClient(
      { apps: ['v1'], 'networking.k8s.io': ['v1', 'v1beta1'] },
      { v1: ['pods'], 'apps/v1': ['deployments'], 'networking.k8s.io/v1': ['ingresses'] },
    );
    const discovery = new KubernetesDiscovery(client, { refreshMs: 60_000, now: () => now });
    expect(await discovery.versions('networking.k8s.io')).toEqual(['v1', 'v1beta1']);
    expect(await discovery.resource('apps/v1', 'deployments')).toMatchObject({ name: 'deployments', namespaced: true });
    expect(await discovery.resource('apps/v1', 'deployments/status')).toBeUndefined();
    expect(await discovery.resource('extensions/v1beta1', 'ingresses')).toBeUndefined(); // group not served: no request
    expect(await discovery.resource('v1', 'pods')).toBeDefined();
    expect(asked.sort()).toEqual(['/api', '/api/v1', '/apis', '/apis/apps/v1']);

    now += 30_000;
    await discovery.resource('apps/v1', 'deployments');
    expect(asked).toHaveLength(4);
    now += 31_000;
    await discovery.resource('apps/v1', 'deployments');
    expect(asked.filter((p) => p === '/apis')).toHaveLength(2);
    discovery.invalidate();
    await discovery.versions('apps');
    expect(asked.filter((p) => p === '/apis')).toHaveLength(3);
  });

  it('shares one read among concurrent callers and forgets a failed one', async () => {
    let fail = true;
    let reads = 0;
    const client = {
      async discover(path: string) {
        if (path === '/apis') reads++;
        if (fail) throw new KubernetesApiError(0, 'Unreachable', 'discover: ECONNREFUSED');
        return path === '/api' ? { versions: ['v1'] } : { groups: [] };
      },
    } as unknown as KubernetesClient;
    const discovery = new KubernetesDiscovery(client);
    await expect(discovery.versions('apps')).rejects.toThrow(/ECONNREFUSED/);
    fail = false;
    const answers = await Promise.all([discovery.versions(''), discovery.versions('apps'), discovery.versions('')]);
    expect(answers).toEqual([['v1'], [], ['v1']]);
    expect(reads).toBe(2);
  });
});
