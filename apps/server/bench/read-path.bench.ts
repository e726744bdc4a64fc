/**
 * The read path at Deck's scale, through the real server: the synthetic provider's caching agents
 * fill a real store (memory, Redis, PostgreSQL, MariaDB) with one application of 5,000 server groups
 * and 50,000 instances, then the server answers the endpoints Deck polls. In the same run, the same
 * requests against in-memory fake read models holding the very views the synthetic provider builds
 * for that account (what express, the read services and JSON cost on their own, for the same bytes)
 * are the baseline: ratios are what count on a shared machine. Each store runs in a child process of its own; a store whose server is not
 * reachable is reported and skipped. Asserts nothing.
 *
 *   cd apps/server && pnpm exec tsx --tsconfig ../../tsconfig.base.json bench/read-path.bench.ts \
 *     [--stores=fake,memory,redis,postgres,mariadb] [--serverGroups=5000] [--instances=10] [--json=out.json]
 */
import 'reflect-metadata';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { LatencyRow } from './support/latency.js';
import type { PeakMemory } from './support/read-path-run.js';

const arg = (name: string, fallback: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback;
const STORES = arg('stores', 'fake,memory,redis,postgres,mariadb').split(',');
const SERVER_GROUPS = Number(arg('serverGroups', '5000'));
const INSTANCES = Number(arg('instances', '10'));
const child = arg('child', '');

export interface StoreResult {
  readonly store: string;
  readonly fillMs?: number;
  readonly rows?: (LatencyRow & Partial<PeakMemory>)[];
  readonly skipped?: string;
}

if (child) {
  const { runStore } = await import('./support/read-path-run.js');
  const result = await runStore(child, SERVER_GROUPS, INSTANCES);
  process.stdout.write(`\n${JSON.stringify(result)}\n`);
  process.exit(0);
} else {
  const results: StoreResult[] = [];
  for (const store of STORES) {
    const run = spawnSync(
      process.execPath,
      [...process.execArgv, fileURLToPath(import.meta.url), `--child=${store}`, `--serverGroups=${SERVER_GROUPS}`, `--instances=${INSTANCES}`],
      { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
    );
    const last = run.stdout.trim().split('\n').pop() ?? '';
    if (run.status !== 0 || !last.startsWith('{')) {
      results.push({ store, skipped: `child exited ${run.status}: ${(run.stderr || run.stdout).trim().split('\n').slice(-3).join(' | ')}` });
    } else results.push(JSON.parse(last) as StoreResult);
    console.error(`done: ${store}`);
  }
  const baseline = results.find((r) => r.store === 'fake');
  const baseOf = (path: string) => baseline?.rows?.find((row) => labelOf(row.path) === labelOf(path));
  console.log(`Node ${process.version}; one application, ${SERVER_GROUPS} server groups × ${INSTANCES} instances; ratios vs the fake read models`);
  console.log('cold: a distinct caller per request (no response cache can answer); warm: one caller repeating; the fake has no response cache.');
  console.log(
    "after an unchanged cycle / after a change: before each request the account's cluster caching agent runs once (untimed) over the cloud as it was / after one server group changed, as between two of Deck's polls.",
  );
  console.log('| store | endpoint | runs | p50 ms | p99 ms | p50 ×fake | p99 ×fake | body KB | peak heap +MB | peak RSS MB |');
  console.log('|---|---|---|---|---|---|---|---|---|---|');
  for (const result of results) {
    if (result.skipped) {
      console.log(`| ${result.store} | skipped: ${result.skipped} | | | | | | |`);
      continue;
    }
    for (const row of result.rows ?? []) {
      const base = baseOf(row.path);
      const ratio = (a: number, b: number | undefined) => (b ? (a / b).toFixed(2) : '');
      console.log(
        `| ${result.store} | ${labelOf(row.path)} | ${row.runs} | ${row.p50} | ${row.p99} | ${ratio(row.p50, base?.p50)} | ${ratio(row.p99, base?.p99)} | ${row.bodyKB} | ${row.peakHeapMB ?? ''} | ${row.peakRssMB ?? ''} |`,
      );
    }
  }
  const json = arg('json', '');
  if (json) writeFileSync(json, JSON.stringify({ serverGroups: SERVER_GROUPS, instances: INSTANCES, results }, null, 2));
}

/** Endpoint label without application, account and cluster names, so stores and the fake line up. */
function labelOf(path: string): string {
  return path.replace(/^\/applications\/[^/?]+/, '/applications/{app}').replace(/\/clusters\/[^/]+\/[^/?\s]+/, '/clusters/{account}/{cluster}');
}
