/**
 * Cache-cycle benchmark: a cold write of 1,000,000 synthetic resources from 500 agents through the
 * CATS engine (CatsProviderCache over MemoryCacheStore), then a warm cycle in which 1 % changed.
 * A baseline — a plain `Map.set` of the same generated objects — runs in the same invocation, so the
 * table shows what the engine costs on top of generating the data and keeping it in a map.
 *
 * Each measured part runs in its own child process, so peak RSS is not polluted by the other.
 * Not part of `pnpm test`; run with `pnpm bench` (options: --agents=N --resources=N --changed=F --seed=N
 * --heap-mb=N, the last capping the workers' V8 heap to see the peak RSS a capped server would have).
 */
import { spawnSync } from 'node:child_process';
import { availableParallelism, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
// The engine modules directly: the package index also loads the DI wiring, which a benchmark does not need.
import { CatsProviderCache } from '../src/cats/cats-provider-cache.js';
import { MemoryCacheStore } from '../src/cats/memory-cache-store.js';
import type { CacheStore } from '../src/cats/cache-store.js';
// A relative import on purpose: @stratus/testing depends on @stratus/core, so a package dependency
// back would make the workspace graph cyclic.
import { generateSyntheticResults, type SyntheticResults } from '../../testing/src/synthetic/synthetic-results.js';

interface Options {
  /** V8 old-space cap for the workers in MB (`--max-old-space-size`); V8's default when 0. */
  heapMb: number;
  agents: number;
  resources: number;
  changed: number;
  seed: number;
}

interface PhaseResult {
  phase: string;
  seconds: number;
  /** User + system CPU seconds of the phase: less sensitive than wall time to a busy machine. */
  cpuSeconds: number;
  items: number;
  peakRssMb: number;
  heapUsedMb: number;
  evicted?: number;
}

const TARGETS: Record<string, { seconds: number }> = { cold: { seconds: 60 }, warm: { seconds: 10 } };
const RSS_TARGET_MB = 512;

function parseOptions(argv: readonly string[]): Options & { worker?: string | undefined } {
  const get = (name: string) => argv.find((arg) => arg.startsWith(`--${name}=`))?.split('=')[1];
  return {
    heapMb: Number(get('heap-mb') ?? 0),
    agents: Number(get('agents') ?? 500),
    resources: Number(get('resources') ?? 2000),
    changed: Number(get('changed') ?? 0.01),
    seed: Number(get('seed') ?? 42),
    worker: get('worker'),
  };
}

const peakRssMb = () => process.resourceUsage().maxRSS / 1024;
function heapUsedMb(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed / 1024 / 1024;
}

async function timed(phase: string, run: () => Promise<{ items: number; evicted?: number }>): Promise<PhaseResult> {
  const start = process.hrtime.bigint();
  const cpuStart = process.cpuUsage();
  const { items, evicted } = await run();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const cpu = process.cpuUsage(cpuStart);
  return {
    phase,
    seconds,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    items,
    peakRssMb: peakRssMb(),
    heapUsedMb: heapUsedMb(),
    ...(evicted !== undefined ? { evicted } : {}),
  };
}

async function catsWorker(data: SyntheticResults, store: CacheStore = new MemoryCacheStore('synthetic')): Promise<PhaseResult[]> {
  const cache = new CatsProviderCache(store);
  const cycle = (n: number) => async () => {
    let items = 0;
    let evicted = 0;
    for (const { agentType, authoritativeTypes, result } of data.results(n)) {
      const stats = await cache.putCacheResult(agentType, authoritativeTypes, result);
      items += stats.itemsWritten;
      evicted += stats.itemsEvicted;
    }
    return { items, evicted };
  };
  const cold = await timed('cold', cycle(0));
  const warm = await timed('warm', cycle(1));
  // A sanity check that the engine stored what it was given (not a timing).
  const stored = (await cache.getIdentifiers('serverGroups')).length + (await cache.getIdentifiers('instances')).length;
  const clusters = (await cache.getIdentifiers('clusters')).length;
  if (stored + clusters !== data.distinctItems) throw new Error(`stored ${stored + clusters} items, expected ${data.distinctItems}`);
  return [cold, warm];
}

async function baselineWorker(data: SyntheticResults): Promise<PhaseResult[]> {
  const maps = new Map<string, Map<string, unknown>>();
  const cycle = (n: number) => async () => {
    let items = 0;
    for (const { result } of data.results(n)) {
      for (const [type, list] of Object.entries(result.cacheResults)) {
        let map = maps.get(type);
        if (!map) maps.set(type, (map = new Map()));
        for (const item of list) map.set(item.id, item);
        items += list.length;
      }
    }
    return { items };
  };
  const cold = await timed('cold', cycle(0));
  const warm = await timed('warm', cycle(1));
  return [cold, warm];
}

async function generateOnlyWorker(data: SyntheticResults): Promise<PhaseResult[]> {
  const cycle = (n: number) => async () => {
    let items = 0;
    for (const { itemCount } of data.results(n)) items += itemCount;
    return { items };
  };
  return [await timed('cold', cycle(0)), await timed('warm', cycle(1))];
}

const WORKERS: Record<string, (data: SyntheticResults) => Promise<PhaseResult[]>> = {
  cats: (data) => catsWorker(data),
  baseline: baselineWorker,
  generate: generateOnlyWorker,
};

function runChild(worker: string, options: Options): PhaseResult[] {
  const script = fileURLToPath(import.meta.url);
  const heap = options.heapMb > 0 ? [`--max-old-space-size=${options.heapMb}`] : [];
  const args = [...process.execArgv, '--expose-gc', ...heap, script, `--worker=${worker}`];
  args.push(`--agents=${options.agents}`, `--resources=${options.resources}`, `--changed=${options.changed}`, `--seed=${options.seed}`);
  const child = spawnSync(process.execPath, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (child.status !== 0) throw new Error(`worker ${worker} failed with exit code ${child.status}`);
  const line = child.stdout.trim().split('\n').pop() ?? '';
  return JSON.parse(line) as PhaseResult[];
}

function printTable(options: Options, results: Record<string, PhaseResult[]>): void {
  const total = options.agents * options.resources;
  console.log(
    `\nCache cycle: ${total.toLocaleString('en-US')} resources from ${options.agents} agents, ` +
      `${(options.changed * 100).toFixed(1)} % changed in the warm cycle (node ${process.version}, seed ${options.seed}` +
      `${options.heapMb > 0 ? `, --max-old-space-size=${options.heapMb}` : ''})\n`,
  );
  const header = ['phase', 'store', 'seconds', 'CPU s', 'resources/s', 'peak RSS (MB)', 'heap after (MB)', 'wall vs Map.set', 'CPU vs Map.set', 'target'];
  const rows: string[][] = [];
  for (const phase of ['cold', 'warm']) {
    const baseline = results.baseline!.find((r) => r.phase === phase)!;
    for (const [store, label] of [
      ['generate', 'generate only'],
      ['baseline', 'Map.set (baseline)'],
      ['cats', 'CATS + memory store'],
    ] as const) {
      const r = results[store]!.find((p) => p.phase === phase)!;
      const target = store === 'cats' && total === 1_000_000 ? TARGETS[phase]! : undefined;
      const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED');
      const met = target ? `time ${verdict(r.seconds <= target.seconds)}, RSS ${verdict(r.peakRssMb <= RSS_TARGET_MB)}` : '';
      rows.push([
        phase,
        label,
        r.seconds.toFixed(2),
        r.cpuSeconds.toFixed(2),
        Math.round(r.items / r.seconds).toLocaleString('en-US'),
        r.peakRssMb.toFixed(0),
        r.heapUsedMb.toFixed(0),
        store === 'baseline' ? '1.00×' : `${(r.seconds / baseline.seconds).toFixed(2)}×`,
        store === 'baseline' ? '1.00×' : `${(r.cpuSeconds / baseline.cpuSeconds).toFixed(2)}×`,
        target ? `≤ ${target.seconds} s, ≤ ${RSS_TARGET_MB} MB: ${met}` : '',
      ]);
    }
  }
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => '| ' + cells.map((cell, i) => cell.padEnd(widths[i]!)).join(' | ') + ' |';
  console.log(line(header));
  console.log('|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|');
  for (const row of rows) console.log(line(row));
  const load = loadavg()[0]!;
  if (load > availableParallelism())
    console.log(`\nNote: load average ${load.toFixed(1)} on ${availableParallelism()} CPUs during the run; wall times are inflated, CPU s is steadier.`);
  console.log('\nPeak RSS is per process (each row group runs in its own child); the warm peak includes the cold data.');
}

async function main(): Promise<void> {
  const { worker, ...options } = parseOptions(process.argv.slice(2));
  if (worker) {
    const data = generateSyntheticResults({
      agents: options.agents,
      resourcesPerAgent: options.resources,
      changedFraction: options.changed,
      seed: options.seed,
    });
    const run = WORKERS[worker];
    if (!run) throw new Error(`unknown worker ${worker}`);
    console.log(JSON.stringify(await run(data)));
    return;
  }
  const results: Record<string, PhaseResult[]> = {};
  for (const name of ['generate', 'baseline', 'cats']) {
    process.stderr.write(`running ${name}…\n`);
    results[name] = runChild(name, options);
  }
  printTable(options, results);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
