/**
 * Redis cache-cycle benchmark: the synthetic 1,000,000-resource cycle (500 agents × 2,000) written
 * through the CATS engine into RedisCacheStore — cold, then a warm cycle with 1 % changed — and, in
 * the same run against the same server, `redis-benchmark -q -n 1000000 -P 16 -t set`, so the table
 * shows our item writes per second as a share of what the server takes in raw pipelined SETs.
 *
 * By default it starts its own `redis-server` on a free loopback port (persistence off) and stops it
 * afterwards; `--url=redis://127.0.0.1:6379/0` uses an existing server instead (its keys under the
 * bench prefix are deleted afterwards; it never flushes a server it did not start).
 *
 * Options: --agents=N --resources=N --changed=F --seed=N --write-batch=N --read-batch=N
 *          --concurrency=N (agents storing at once, default 8; 1 = strictly one after another)
 *          --sweep (also time a 200k cold write per batch size, to choose defaults) --no-reads
 * Not part of `pnpm test`; run with `pnpm bench` in packages/redis.
 */
// @stratus/core loads tsyringe, which needs the Reflect polyfill before anything else.
import 'reflect-metadata';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { CatsProviderCache } from '@stratus/core';
import { generateSyntheticResults, type SyntheticResults } from '@stratus/testing';
import type { Redis } from 'ioredis';
import { createRedisClient, deleteKeysMatching, RedisCacheStoreFactory, type RedisCacheOptions } from '../src/index.js';

interface Options {
  agents: number;
  resources: number;
  changed: number;
  seed: number;
  url?: string | undefined;
  writeBatch?: number | undefined;
  readBatch?: number | undefined;
  sweep: boolean;
  reads: boolean;
  /** Agents storing at the same time (the scheduler runs many at once). */
  concurrency: number;
}

function parseOptions(argv: readonly string[]): Options {
  const get = (name: string) =>
    argv
      .find((arg) => arg.startsWith(`--${name}=`))
      ?.split('=')
      .slice(1)
      .join('=');
  const num = (name: string) => (get(name) === undefined ? undefined : Number(get(name)));
  return {
    agents: num('agents') ?? 500,
    resources: num('resources') ?? 2000,
    changed: num('changed') ?? 0.01,
    seed: num('seed') ?? 42,
    url: get('url'),
    writeBatch: num('write-batch'),
    readBatch: num('read-batch'),
    sweep: argv.includes('--sweep'),
    reads: !argv.includes('--no-reads'),
    concurrency: num('concurrency') ?? 8,
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function startScratchServer(): Promise<{ url: string; port: number; process: ChildProcess }> {
  const port = await freePort();
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  const probe = createRedisClient({ url: `redis://127.0.0.1:${port}/0` });
  for (let i = 0; i < 100; i++) {
    try {
      await probe.ping();
      probe.disconnect();
      return { url: `redis://127.0.0.1:${port}/0`, port, process: child };
    } catch {
      await sleep(100);
    }
  }
  probe.disconnect();
  child.kill('SIGKILL');
  throw new Error('redis-server did not start (is it installed?)');
}

/**
 * `redis-benchmark -q -n 1000000 -P 16 -t set` against the same server (one 3-byte value, one key);
 * with `valueBytes`, the same number of SETs of a value that size to a million random keys: what the
 * server takes for one plain string per item and nothing else. Undefined without the binary.
 */
function redisBenchmarkSetPerSecond(url: string, valueBytes?: number): number | undefined {
  const { hostname, port } = new URL(url);
  const target = valueBytes ? ['-r', '1000000', 'set', 'stratus-bench-ceiling:__rand_int__', 'x'.repeat(valueBytes)] : ['-t', 'set'];
  const run = spawnSync('redis-benchmark', ['-h', hostname, '-p', port || '6379', '-q', '-n', '1000000', '-P', '16', ...target], { encoding: 'utf8' });
  if (run.error || run.status !== 0) return undefined;
  // Output ends with e.g. "SET: 812347.69 requests per second, p50=0.839 msec" (after \r progress lines).
  const match = /: ([\d.]+) requests per second/.exec(run.stdout.split('\r').pop() ?? run.stdout);
  return match ? Number(match[1]) : undefined;
}

interface Phase {
  name: string;
  seconds: number;
  items: number;
  note?: string | undefined;
}

/**
 * One cycle: every agent stores its result once. Agents run `concurrency` at a time, as the
 * scheduler runs them (Redis round trips of one agent overlap with another's work).
 */
async function writeCycle(cache: CatsProviderCache, data: SyntheticResults, cycle: number, concurrency: number): Promise<number> {
  let items = 0;
  const results = data.results(cycle)[Symbol.iterator]();
  const worker = async () => {
    for (let next = results.next(); !next.done; next = results.next()) {
      const { agentType, authoritativeTypes, result } = next.value;
      const stats = await cache.putCacheResult(agentType, authoritativeTypes, result);
      items += stats.itemsWritten;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return items;
}

async function timed(name: string, run: () => Promise<number>, note?: string): Promise<Phase> {
  const start = process.hrtime.bigint();
  const items = await run();
  return { name, seconds: Number(process.hrtime.bigint() - start) / 1e9, items, note };
}

async function usedMemoryMb(redis: Redis): Promise<number> {
  const info = await redis.info('memory');
  return Number(/used_memory:(\d+)/.exec(info)?.[1] ?? 0) / 1024 / 1024;
}

/** CPU seconds the Redis server spent (user + sys), from INFO cpu. */
async function redisCpuSeconds(redis: Redis): Promise<number> {
  const info = await redis.info('cpu');
  return Number(/used_cpu_user:([\d.]+)/.exec(info)?.[1] ?? 0) + Number(/used_cpu_sys:([\d.]+)/.exec(info)?.[1] ?? 0);
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const scratch = options.url ? undefined : await startScratchServer();
  const url = options.url ?? scratch!.url;
  const redis = createRedisClient({ url, connectionName: 'stratus-bench', commandTimeoutMs: 600_000 });
  const prefix = `stratus-bench-${process.pid}`;
  const tuning: Partial<RedisCacheOptions> = {
    keyPrefix: prefix,
    ...(options.writeBatch ? { writeBatchSize: options.writeBatch, multiOpSize: options.writeBatch } : {}),
    ...(options.readBatch ? { readBatchSize: options.readBatch } : {}),
  };
  const reset = async () => {
    await deleteKeysMatching(redis, `${prefix}:*`);
  };

  try {
    const benchCpuBefore = await redisCpuSeconds(redis);
    const setPerSecond = redisBenchmarkSetPerSecond(url);
    const benchRedisCpu = (await redisCpuSeconds(redis)) - benchCpuBefore;
    await redis.del('key:__rand_int__'); // redis-benchmark's only key
    // An average synthetic item: ~370 bytes of attribute and relationship JSON.
    const ceilingPerSecond = redisBenchmarkSetPerSecond(url, 370);
    await deleteKeysMatching(redis, 'stratus-bench-ceiling:*');

    const data = generateSyntheticResults({
      agents: options.agents,
      resourcesPerAgent: options.resources,
      changedFraction: options.changed,
      seed: options.seed,
    });
    const factory = new RedisCacheStoreFactory(redis, tuning);
    const cache = new CatsProviderCache(factory.getStore('synthetic'));
    process.stderr.write(`cold cycle (${data.totalResources.toLocaleString('en-US')} resources)…\n`);
    // The floor: producing the results at all, without storing them.
    const generateOnly = await timed('generate only (no store)', async () => {
      let items = 0;
      for (const { itemCount } of data.results(0)) items += itemCount;
      return items;
    });
    const cpuBefore = await redisCpuSeconds(redis);
    const nodeCpuBefore = process.cpuUsage();
    const cold = await timed('cold write', () => writeCycle(cache, data, 0, options.concurrency));
    const nodeCpu = process.cpuUsage(nodeCpuBefore);
    const coldRedisCpu = (await redisCpuSeconds(redis)) - cpuBefore;
    const coldClientCpu = (nodeCpu.user + nodeCpu.system) / 1e6;
    cold.note = `redis-server CPU ${coldRedisCpu.toFixed(1)} s, bench process CPU ${coldClientCpu.toFixed(1)} s`;
    const memoryMb = await usedMemoryMb(redis);
    process.stderr.write('warm cycle…\n');
    const warm = await timed(
      `warm write (${(options.changed * 100).toFixed(1)} % changed)`,
      () => writeCycle(cache, data, 1, options.concurrency),
      'unchanged items skipped by digest',
    );
    const stored =
      (await cache.getIdentifiers('serverGroups')).length + (await cache.getIdentifiers('instances')).length + (await cache.getIdentifiers('clusters')).length;
    if (stored !== data.distinctItems) throw new Error(`stored ${stored} items, expected ${data.distinctItems}`);

    const phases: Phase[] = [generateOnly, cold, warm];
    if (options.reads) {
      process.stderr.write('reads…\n');
      phases.push(await timed('getIdentifiers(instances)', async () => (await cache.getIdentifiers('instances')).length));
      phases.push(await timed('getAll(serverGroups)', async () => (await cache.getAll('serverGroups')).length));
      const ids = (await cache.getIdentifiers('instances')).slice(0, 200_000);
      phases.push(await timed('getAllByIds(200k instances)', async () => (await cache.getAllByIds('instances', ids)).length));
      phases.push(
        await timed(
          'filterIdentifiers(instances, one account)',
          async () => (await cache.filterIdentifiers('instances', 'synthetic:instances:bench7:*')).length,
        ),
      );
    }

    const sweep: Phase[] = [];
    if (options.sweep) {
      const small = generateSyntheticResults({ agents: 100, resourcesPerAgent: 2000, changedFraction: options.changed, seed: options.seed });
      for (const batch of [200, 500, 1000, 2000, 5000]) {
        await reset();
        process.stderr.write(`sweep: batch ${batch}…\n`);
        const sweepCache = new CatsProviderCache(new RedisCacheStoreFactory(redis, { ...tuning, writeBatchSize: batch, multiOpSize: batch }).getStore('sweep'));
        sweep.push(await timed(`cold 200k, batch ${batch}`, () => writeCycle(sweepCache, small, 0, options.concurrency)));
      }
    }

    console.log(
      `\nRedis cache cycle: ${data.totalResources.toLocaleString('en-US')} resources from ${options.agents} agents ` +
        `${options.concurrency} at a time (node ${process.version}, ${scratch ? 'scratch redis-server' : url}, used_memory after cold ${memoryMb.toFixed(0)} MB)\n`,
    );
    const rows = [...phases, ...sweep].map((phase) => [
      phase.name,
      phase.seconds.toFixed(2),
      phase.items.toLocaleString('en-US'),
      Math.round(phase.items / phase.seconds).toLocaleString('en-US'),
      phase.note ?? '',
    ]);
    const header = ['phase', 'seconds', 'items', 'items/s', 'note'];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
    const line = (cells: string[]) => '| ' + cells.map((cell, i) => cell.padEnd(widths[i]!)).join(' | ') + ' |';
    console.log(line(header));
    console.log('|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|');
    for (const row of rows) console.log(line(row));

    const ours = cold.items / cold.seconds;
    if (setPerSecond) {
      const ratio = ours / setPerSecond;
      console.log(
        `\nredis-benchmark -q -n 1000000 -P 16 -t set: ${Math.round(setPerSecond).toLocaleString('en-US')} SET/s; ` +
          `our cold item writes: ${Math.round(ours).toLocaleString('en-US')}/s = ${(ratio * 100).toFixed(1)} % of it (target ≥ 25 %: ${ratio >= 0.25 ? 'met' : 'MISSED'})`,
      );
      // Wall-clock rates swing with whatever else the machine runs; CPU seconds do not.
      console.log(
        `CPU-normalised: redis-benchmark ${Math.round(1_000_000 / benchRedisCpu).toLocaleString('en-US')} SET per redis-server CPU second; ` +
          `cold write ${Math.round(cold.items / coldRedisCpu).toLocaleString('en-US')} items per redis-server CPU second ` +
          `(${((cold.items / coldRedisCpu / (1_000_000 / benchRedisCpu)) * 100).toFixed(1)} %), ` +
          `${Math.round(cold.items / coldClientCpu).toLocaleString('en-US')} items per bench-process CPU second (generator and CATS engine included)`,
      );
    } else {
      console.log('\nredis-benchmark not found: no SET/s comparison.');
    }
    if (ceilingPerSecond && setPerSecond) {
      console.log(
        `Ceiling: redis-benchmark SET of a 370-byte value to 1,000,000 random keys (one plain string per item, nothing else): ` +
          `${Math.round(ceilingPerSecond).toLocaleString('en-US')}/s = ${((ceilingPerSecond / setPerSecond) * 100).toFixed(1)} % of the -t set rate; ` +
          `our cold item writes are ${((ours / ceilingPerSecond) * 100).toFixed(1)} % of it.`,
      );
    }
    console.log(
      'An item write = one HSET of its hash (sent as pre-encoded RESP), plus its share of the variadic SADD/HSET/ZREM bookkeeping, after one HMGET/ZMSCORE round trip per batch.',
    );
  } finally {
    await reset().catch(() => undefined);
    redis.disconnect();
    scratch?.process.kill('SIGKILL');
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
