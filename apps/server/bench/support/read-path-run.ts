import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { StoreResult } from '../read-path.bench.js';
import { measureLatency, type LatencyRow } from './latency.js';

/** Runs of each timed endpoint; the big list is slow on some stores, so fewer of those. */
const RUNS = { list: 10, cluster: 15, warm: 20, conditional: 30, cycle: 10 } as const;

/**
 * What happens to the cache between polls: a caching cycle of the account's cluster agent that finds
 * the cloud as it was (`unchanged`), and one after a server group of the cloud changed (`change`).
 * Absent for the fake (no cache, nothing to invalidate: its rows are the same serialisation).
 */
export interface BetweenPolls {
  unchanged(): Promise<void>;
  change(): Promise<void>;
}

/**
 * A user and a role of its own per request, so the response cache (shared by callers with the same
 * access, i.e. the same roles) never answers it (the real read path), and no compression (the same
 * work as before the cache existed).
 */
const uncached = (run: number) => {
  const unique = `bench-${process.pid}-${run}-${Math.random()}`;
  return { 'x-spinnaker-user': unique, 'x-bench-roles': unique, 'accept-encoding': 'identity' };
};

export interface PeakMemory {
  /** Highest heap in use above the heap before the runs, MB. */
  readonly peakHeapMB: number;
  /** Highest resident set size during the runs, MB. */
  readonly peakRssMB: number;
}

/**
 * Samples the heap and RSS every millisecond while `work` runs (server and client share the
 * process). Synchronous work (one big JSON.stringify) blocks the sampler, but what it allocated is
 * still there at the next sample unless a GC ran: a lower bound, comparable between runs.
 */
async function withPeakMemory<T>(work: () => Promise<T>): Promise<{ row: T; memory: PeakMemory }> {
  const start = process.memoryUsage();
  let heap = start.heapUsed;
  let rss = start.rss;
  const sample = () => {
    const now = process.memoryUsage();
    heap = Math.max(heap, now.heapUsed);
    rss = Math.max(rss, now.rss);
  };
  const timer = setInterval(sample, 1);
  try {
    const row = await work();
    sample();
    const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);
    return { row, memory: { peakHeapMB: mb(heap - start.heapUsed), peakRssMB: mb(rss) } };
  } finally {
    clearInterval(timer);
  }
}

/**
 * The endpoints Deck polls for one application: each read afresh (`cold`), repeated by one caller
 * (`warm`: what a poll costs when nothing changed) and repeated with `If-None-Match`.
 */
async function measureEndpoints(base: string, app: string, account: string, cluster: string, between?: BetweenPolls): Promise<LatencyRow[]> {
  const rows: LatencyRow[] = [];
  const list = `/applications/${app}/serverGroups`;
  const one = `/applications/${app}/clusters/${account}/${cluster}`;
  const label = ({ row, memory }: { row: LatencyRow; memory: PeakMemory }, suffix: string) => ({ ...row, ...memory, path: `${row.path} (${suffix})` });
  rows.push(label(await withPeakMemory(() => measureLatency(base, list, RUNS.list, uncached)), 'cold'));
  rows.push(label(await withPeakMemory(() => measureLatency(base, one, RUNS.cluster, uncached)), 'cold'));
  // Warm rows ask for the same encoding as the baseline (identity: the fake never compresses), so the
  // ratio compares the same bytes on the wire; the gzip rows show a browser's poll (the server sends
  // the compressed body it keeps; the body KB column is then the compressed size).
  const identity = { 'accept-encoding': 'identity' };
  rows.push(label(await withPeakMemory(() => measureLatency(base, list, RUNS.warm, identity)), 'warm'));
  rows.push(label(await withPeakMemory(() => measureLatency(base, one, RUNS.warm, identity)), 'warm'));
  const gzip = { 'accept-encoding': 'gzip' };
  rows.push(label(await withPeakMemory(() => measureLatency(base, list, RUNS.warm, gzip)), 'warm, gzip'));
  rows.push(label(await withPeakMemory(() => measureLatency(base, one, RUNS.warm, gzip)), 'warm, gzip'));
  // A poll after a caching cycle: what Deck sees in steady state. A cycle that finds nothing new
  // must leave the cached views valid; after a change, the next poll is a cold read.
  const identityAfter = (work?: () => Promise<void>) => (path: string, runs: number) => measureLatency(base, path, runs, identity, work);
  for (const [suffix, work] of [
    ['after an unchanged cycle', between?.unchanged],
    ['after a change', between?.change],
  ] as const) {
    rows.push(label(await withPeakMemory(() => identityAfter(work)(list, RUNS.cycle)), suffix));
    rows.push(label(await withPeakMemory(() => identityAfter(work)(one, RUNS.cycle)), suffix));
  }
  const response = await fetch(base + list);
  await response.arrayBuffer();
  const etag = response.headers.get('etag');
  if (etag) rows.push(label(await withPeakMemory(() => measureLatency(base, list, RUNS.conditional, { 'if-none-match': etag })), 'If-None-Match'));
  return rows;
}

/** The synthetic account every store run fills (and the baseline's views are built from). */
const benchAccount = (serverGroups: number, instances: number) => ({
  name: 'bench',
  regions: ['us-east-1'],
  seed: 7,
  applications: 1,
  serverGroupsPerApplication: serverGroups,
  instancesPerServerGroup: instances,
});

/**
 * The baseline: fake read models serving ready-made views — the very views the synthetic provider
 * builds for the same seeded account (built once, before timing), so every response has the same
 * bytes as the stores' and only what comes before the views differs.
 */
async function runFake(serverGroups: number, instances: number): Promise<StoreResult> {
  const { ACCESS_RESOLVER, MapReadModelRegistry, OPEN_ACCESS, READ_MODEL_REGISTRY, registerReadServices } = await import('@stratus/core');
  const { ProviderTestHost, SyntheticCloudRegistry, createSyntheticProvider } = await import('@stratus/testing');
  const { container: rootContainer } = await import('tsyringe');
  const { createApp } = await import('../../src/http/create-app.js');
  const { ROUTE_MODULES } = await import('../../src/routes/index.js');
  const { fakeClusterReadModel } = await import('./fake-clusters.js');
  const provider = createSyntheticProvider({ clouds: new SyntheticCloudRegistry(), agentIntervalMs: 3_600_000 });
  const host = await ProviderTestHost.create(provider, { accounts: [benchAccount(serverGroups, instances)] });
  await host.runAgents();
  const [application] = await host.readModels.applications!.getApplications(false);
  const clusters = await host.readModels.clusters!.getClusters(application!.name, true);
  const registry = new MapReadModelRegistry();
  registry.register('synthetic', 'clusters', fakeClusterReadModel(clusters));
  const container = rootContainer.createChildContainer();
  container.registerInstance(READ_MODEL_REGISTRY, registry);
  container.registerInstance(ACCESS_RESOLVER, { resolve: () => OPEN_ACCESS });
  // Routes never register services (the feature modules do): a bare app registers the read services itself.
  registerReadServices(container);
  const { app } = createApp({ container, routeModules: ROUTE_MODULES });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const rows = await measureEndpoints(base, application!.name, clusters[0]!.accountName, clusters[0]!.name);
  server.close();
  return { store: 'fake', rows };
}

/** Storage config for one store, and how to clean up after it. */
async function storageFor(store: string): Promise<{ yaml: string[]; cleanup: () => Promise<void> } | { skipped: string }> {
  if (store === 'memory') return { yaml: [], cleanup: async () => {} };
  if (store === 'redis') {
    const prefix = `readbench${process.pid}`;
    const ping = spawnSync('redis-cli', ['-h', '127.0.0.1', 'ping'], { encoding: 'utf8' });
    if (ping.stdout.trim() !== 'PONG') return { skipped: 'Redis at 127.0.0.1:6379 did not answer' };
    return {
      yaml: [
        'redis:',
        '  enabled: true',
        '  connection: redis://127.0.0.1:6379',
        `  keyPrefix: ${prefix}`,
        '  cache: {enabled: true}',
        '  scheduler: {enabled: false}',
        '  taskRepository: {enabled: false}',
      ],
      cleanup: async () => {
        spawnSync('sh', ['-c', `redis-cli -h 127.0.0.1 --scan --pattern '${prefix}:*' | xargs -r -n 1000 redis-cli -h 127.0.0.1 unlink > /dev/null`]);
      },
    };
  }
  const dialect = store === 'postgres' ? 'postgres' : 'mysql';
  const { createTestDatabase } = await import('@stratus/sql/testing');
  let database;
  try {
    database = await createTestDatabase(dialect);
  } catch (error) {
    return { skipped: `${store}: ${(error as Error).message}` };
  }
  return {
    yaml: ['sql:', '  enabled: true', `  connectionPools: {default: {url: '${database.url}'}}`, '  cache: {enabled: true}'],
    cleanup: () => database.drop(),
  };
}

/** One store: start the real server, let the agents fill the cache once, then time the endpoints. */
export async function runStore(store: string, serverGroups: number, instances: number): Promise<StoreResult> {
  if (store === 'fake') return runFake(serverGroups, instances);
  const storage = await storageFor(store);
  if ('skipped' in storage) return { store, skipped: storage.skipped };
  const { AGENT_SCHEDULER } = await import('@stratus/core');
  const { SyntheticCloudRegistry, createSyntheticProvider } = await import('@stratus/testing');
  const { loadConfig } = await import('../../src/config/load-config.js');
  const { startServer } = await import('../../src/server/start-server.js');
  const { resolve } = await import('../../src/di.js');

  const dir = mkdtempSync(join(tmpdir(), 'stratus-read-bench-'));
  const path = join(dir, 'stratus.yml');
  writeFileSync(
    path,
    [
      'server: {port: 0, address: 127.0.0.1}',
      'logging: {level: info}',
      'dynamicConfig: {enabled: false}',
      // Roles from a header, so each "cold" request can name an access of its own.
      'security: {rolesHeader: X-BENCH-ROLES}',
      // A cold fill of 55,000 items on a loaded machine may outlast the default 5-minute agent timeout.
      'caching: {poll: {timeoutSeconds: 3600, errorIntervalSeconds: 5}}',
      ...storage.yaml,
      'synthetic:',
      '  accounts:',
      `    - ${JSON.stringify(benchAccount(serverGroups, instances))}`,
    ].join('\n'),
  );
  const { config, raw } = loadConfig({ path, env: {} });
  const clouds = new SyntheticCloudRegistry();
  const provider = createSyntheticProvider({ clouds, agentIntervalMs: 3_600_000 });
  // Request logs at info level go nowhere: their cost stays in, their output does not.
  // The server's own logger (as configured: info, buffered), writing to nowhere.
  const { serverLogger } = await import('../../src/logging/server-logger.js');
  const logger = serverLogger(config.logging, '/dev/null');
  const start = performance.now();
  const server = await startServer({ config, raw, configPath: path, logger, providers: [provider] });
  try {
    const instrumentation = resolve(server.container, AGENT_SCHEDULER).instrumentation;
    // Every agent of the account has run once successfully (a failed run is retried after 5 s).
    const filled = () => instrumentation.list().filter((r) => r.agentType.startsWith('bench/') && r.executions > r.failures).length >= 4;
    while (!filled()) {
      for (const record of instrumentation.list()) if (record.lastError) process.stderr.write(`${record.agentType}: ${record.lastError}\n`);
      await new Promise((r) => setTimeout(r, 2000));
    }
    const fillMs = Math.round(performance.now() - start);
    const apps = (await (await fetch(`${server.url}/applications`)).json()) as { name: string }[];
    const app = apps[0]!.name;
    const names = (await (await fetch(`${server.url}/applications/${app}/clusters`)).json()) as Record<string, string[]>;
    const [account, clusters] = Object.entries(names)[0]!;
    const rows = await measureEndpoints(server.url, app, account, clusters[0]!, await betweenPolls(server, clouds));
    return { store, fillMs, rows };
  } finally {
    await server.shutdown('bench');
    await storage.cleanup();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Runs the bench account's cluster caching agent as the scheduler would (its own execution over the
 * server's provider cache, so its writes go through the server's tracked store); `change` first
 * flips one server group of the cloud between enabled and disabled.
 */
async function betweenPolls(
  server: { host: import('@stratus/core').ProviderHost },
  clouds: import('@stratus/testing').SyntheticCloudRegistry,
): Promise<BetweenPolls> {
  const { CachingAgentExecution } = await import('@stratus/core');
  const { isCachingAgent } = await import('@stratus/plugin-api');
  const bindings = server.host.onDemandAgents().filter((binding) => binding.agent.agentType.startsWith('bench/'));
  if (bindings.length === 0) throw new Error('no cluster caching agent of the bench account');
  const context = { signal: new AbortController().signal, guardedWrite: <T>(write: () => Promise<T>) => write() };
  const cycle = async () => {
    for (const { agent, providerCache } of bindings) if (isCachingAgent(agent)) await new CachingAgentExecution(agent, providerCache).execute(context);
  };
  const cloud = clouds.get('bench')!;
  const region = cloud.regions[0]!;
  const group = cloud.listServerGroups(region)[0]!;
  let disabled = group.disabled;
  return {
    unchanged: cycle,
    change: async () => {
      disabled = !disabled;
      cloud.setDisabled(region, group.name, disabled);
      await cycle();
    },
  };
}
