import {
  AccountRegistry,
  ApplicationReadService,
  InstanceReadService,
  KeyParserRegistry,
  LoadBalancerReadService,
  MapReadModelRegistry,
  MemoryCacheStoreFactory,
  MemoryTaskRepository,
  NOOP_METRICS,
  OperationRegistry,
  OperationsService,
  OPEN_ACCESS,
  ProviderHost,
  ProviderRouteRegistry,
  ServerGroupReadService,
  SingleNodeScheduler,
  currentLine,
  type AccountDefinition,
  type TaskRecord,
} from '@stratus/core';
import { silentLogger, type Logger } from '@stratus/plugin-api';
import { freePort } from '@stratus/testing';
import { createKubernetesProvider, type KubernetesProvider } from '../index.js';
import type { KubernetesRuntimeOptions } from '../accounts/kubernetes-runtime.js';

/** A port on 127.0.0.1 with nothing listening (connections are refused at once). */
export const closedPort: () => Promise<number> = freePort;

/** A kubeconfig pointing at a port where nothing listens. */
export function unreachableKubeconfig(port: number): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'down', cluster: { server: `https://127.0.0.1:${port}`, 'insecure-skip-tls-verify': true } }],
    users: [{ name: 'down', user: { token: 't' } }],
    contexts: [{ name: 'down', context: { cluster: 'down', user: 'down' } }],
    'current-context': 'down',
  });
}

/** Polls `check` until it returns a truthy value (or throws the last error after `timeoutMs`). */
export async function eventually<T>(check: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 2_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms${lastError ? `: ${String(lastError)}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/**
 * The server's pieces wired by hand: provider host over a memory cache, single-node scheduler,
 * account registry, operations service with a memory task repository and the generic read services.
 */
export async function startHarness(
  accounts: Record<string, unknown>[],
  options: KubernetesRuntimeOptions = {},
  startScheduler = true,
  logger: Logger = silentLogger,
) {
  const scheduler = new SingleNodeScheduler({ intervalMs: 60_000 });
  const readModels = new MapReadModelRegistry();
  const operations = new OperationRegistry();
  const routes = new ProviderRouteRegistry();
  const host = new ProviderHost({
    cacheStoreFactory: new MemoryCacheStoreFactory(),
    scheduler,
    readModels,
    keyParsers: new KeyParserRegistry(),
    routes,
    onOperation: (cloudProvider, definition) => operations.register(cloudProvider, definition),
    logger,
  });
  const provider: KubernetesProvider = createKubernetesProvider({ client: { requestTimeoutMs: 3_000 }, ...options });
  await host.register(provider, {});
  const registry = new AccountRegistry(host);
  const definitions: AccountDefinition[] = accounts.map((raw) => ({
    cloudProvider: 'kubernetes',
    name: String(raw.name),
    raw,
    defaults: {},
    origin: 'config',
  }));
  const report = await registry.sync(definitions);
  if (startScheduler) scheduler.start();
  const tasks = new MemoryTaskRepository();
  const service = new OperationsService(operations, tasks, registry, 'node-1', silentLogger, NOOP_METRICS);
  const { runtime, manifests } = provider.services!;

  return {
    host,
    scheduler,
    registry,
    report,
    runtime,
    manifests,
    cache: host.providerCache('kubernetes'),
    routes,
    serverGroups: new ServerGroupReadService(readModels),
    loadBalancers: new LoadBalancerReadService(readModels),
    instances: new InstanceReadService(readModels),
    applications: new ApplicationReadService(readModels),
    /** Submits operations as Orca does (`POST /kubernetes/ops`) and waits for the task to end. */
    async run(body: unknown[]): Promise<TaskRecord> {
      const { id } = await service.submit({ cloudProvider: 'kubernetes', body, access: OPEN_ACCESS });
      const task = (await service.waitFor(id))!;
      if (currentLine(task).state !== 'COMPLETED') {
        const failure = task.resultObjects.find((r) => r.type === 'EXCEPTION');
        throw new Error(`task ${id} ended ${currentLine(task).state}: ${String(failure?.message ?? currentLine(task).status)}`);
      }
      return task;
    },
    submit: (body: unknown[]) => service.submit({ cloudProvider: 'kubernetes', body, access: OPEN_ACCESS }),
    waitFor: (id: string) => service.waitFor(id),
    async stop() {
      await scheduler.stop(100);
      await registry.clear();
    },
  };
}

export type Harness = Awaited<ReturnType<typeof startHarness>>;
