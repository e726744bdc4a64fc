import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeKubernetesServer } from '@stratus/testing';
import { KubernetesClient } from '../src/kubernetes-client.js';
import { BUILT_IN_KINDS } from '../src/kubernetes-kind.js';

const kind = (k: string) => BUILT_IN_KINDS.find((x) => x.kind === k)!;

// client-node 2 ends a watch after 30 s without data (a fixed, private setting), so this file waits
// that long once: it idles, it does not spin.
describe('a watch that stays quiet past the client’s 30 s idle timeout', () => {
  let server: FakeKubernetesServer;
  let client: KubernetesClient;

  beforeAll(async () => {
    server = await FakeKubernetesServer.start();
    client = KubernetesClient.fromKubeconfig({ contents: server.kubeconfigYaml() });
  });
  afterAll(() => server.close());

  it('ends like a server-side close (null), so the cache resumes at once instead of backing off', async () => {
    const { resourceVersion } = await client.list(kind('Secret'), 'default');
    const ended = new Promise<unknown>((resolve) => {
      void client.watch(kind('Secret'), 'default', resourceVersion, () => undefined, resolve);
    });
    expect(await ended).toBeNull();
  }, 45_000);
});
