import { FakeKubernetesServer } from '@stratus/testing';
import type { OperationContext, OperationSteps } from '@stratus/plugin-api';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { deployManifestOperation } from '../src/ops/deploy-manifest-operation.js';
import { startHarness, type Harness } from '../src/test-support/harness.js';

/**
 * deployManifest is resumable: the version chosen per manifest and each apply are persisted steps.
 * A run that dies after some steps and is continued (as another replica would, from the stored
 * steps) applies the same versioned names and does not apply again what was already applied.
 */

let server: FakeKubernetesServer;
let h: Harness;

beforeAll(async () => {
  server = await FakeKubernetesServer.start();
  h = await startHarness([{ name: 'k8s-main', kubeconfigContents: server.kubeconfigYaml(), cacheIntervalSeconds: 600 }], {}, false);
});
afterAll(async () => {
  await h?.stop();
  await server?.close();
});

class ReplicaDied extends Error {}

/** Steps persisted in `stored`; the run "dies" once `dieAfter` steps have been recorded. */
function steps(stored: Record<string, unknown>, dieAfter = Infinity): OperationSteps {
  return {
    async run<T>(name: string, work: () => Promise<T>): Promise<T> {
      if (Object.hasOwn(stored, name)) return stored[name] as T;
      const value = await work();
      stored[name] = JSON.parse(JSON.stringify(value ?? null));
      if (Object.keys(stored).length >= dieAfter) throw new ReplicaDied('replica killed');
      return value;
    },
  };
}

function context(history: string[], stepsImpl: OperationSteps): OperationContext {
  return {
    task: { id: 'task-resume', updateStatus: async (_phase, status) => void history.push(status), addOutput: async () => {} },
    signal: new AbortController().signal,
    account: (name) => h.registry.get(name),
    steps: stepsImpl,
  };
}

it('continues a deploy from its last completed step, with the same versions and no second apply', async () => {
  const configMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'default' }, data: { mode: 'blue' } };
  const replicaSet = {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name: 'api', namespace: 'default' },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: 'api' } },
      template: { metadata: { labels: { app: 'api' } }, spec: { containers: [{ name: 'api', image: 'api:1' }] } },
    },
  };
  const definition = deployManifestOperation(h.runtime);
  const description = definition.converter.convertDescription({ account: 'k8s-main', moniker: { app: 'api' }, manifests: [configMap, replicaSet] });
  const operation = definition.converter.convertOperation(description);
  expect(operation.resumable).toBe(true);

  const stored: Record<string, unknown> = {};
  const writes = () => server.requests.filter((r) => r.method === 'POST' || r.method === 'PUT').map((r) => r.path);
  const before = writes().length;
  // Two version steps and the ConfigMap's apply, then the replica dies.
  const first: string[] = [];
  await expect(operation.operate([], context(first, steps(stored, 3)))).rejects.toBeInstanceOf(ReplicaDied);
  expect(Object.keys(stored)).toEqual(['version:ConfigMap/default/settings', 'version:ReplicaSet/default/api', 'apply:ConfigMap/default/settings-v000']);

  const second: string[] = [];
  const result = (await operation.operate([], context(second, steps(stored)))) as { manifestNamesByNamespace: Record<string, string[]> };
  expect(result.manifestNamesByNamespace).toEqual({ default: ['configMap settings-v000', 'replicaSet api-v000'] });
  // The resumed run touched only the ReplicaSet; each manifest was written to the cluster once.
  expect(second.filter((status) => status.startsWith('configMap settings') || status.startsWith('Deploying manifest configMap'))).toEqual([]);
  expect(second).toContain('Deploying manifest replicaSet api-v000 to default');
  expect(writes().slice(before)).toHaveLength(2);
});
