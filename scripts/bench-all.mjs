/**
 * `pnpm bench`: runs every benchmark one after the other (never in parallel: they measure each
 * other otherwise) and writes bench/results.md, each bench with its same-run baseline, plus an SVG
 * chart per figure that has machine-readable results (bench/*.svg). Benches print their own tables;
 * this collects them. `--only=read-path,small-endpoints` runs a subset; `--charts-only` redraws the
 * charts from the JSON of the last run. Nothing asserts.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { barChartSvg } from './bench-svg.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'bench');
mkdirSync(out, { recursive: true });
const tsx = ['exec', 'tsx', '--tsconfig', '../../tsconfig.base.json'];

/** name, where, command, and what its baseline is. */
const BENCHES = [
  // First: a CPU-bound microbench, measured before the store benches leave their databases with
  // background work (a run right after read-path measured 0.55× bare express; runs on the quiet
  // machine minutes later, 0.89–0.91×).
  {
    name: 'small-endpoints',
    cwd: 'apps/server',
    args: [...tsx, 'bench/small-endpoints.bench.ts', `--json=${relative(join(root, 'apps/server'), join(out, 'small-endpoints.json'))}`],
    baseline: 'bare express 5 serving the same body',
    charts: smallEndpointCharts,
  },
  { name: 'core-cache-cycle', cwd: 'packages/core', args: ['run', 'bench'], baseline: 'a plain Map.set of the same generated objects' },
  { name: 'redis-cache-cycle', cwd: 'packages/redis', args: ['run', 'bench'], baseline: '`redis-benchmark` pipelined SETs against the same server' },
  { name: 'sql-cache', cwd: 'packages/sql', args: ['run', 'bench'], baseline: 'a plain `INSERT … SELECT FROM unnest` of the same rows (PostgreSQL)' },
  { name: 'startup', cwd: 'apps/server', args: ['run', 'bench'], baseline: 'the smallest account count' },
  { name: 'entity-tags', cwd: 'apps/server', args: [...tsx, 'bench/entity-tags.bench.ts'], baseline: 'none of its own (absolute latencies)' },
  {
    name: 'read-path',
    cwd: 'apps/server',
    args: [...tsx, 'bench/read-path.bench.ts', `--json=${relative(join(root, 'apps/server'), join(out, 'read-path.json'))}`],
    baseline: 'fake read models serving the synthetic provider’s own views of the same account, built before timing (express + JSON only, the same bytes)',
    charts: readPathCharts,
  },
];

const only = process.argv
  .find((arg) => arg.startsWith('--only='))
  ?.split('=')[1]
  ?.split(',');
if (process.argv.includes('--charts-only')) {
  // Re-draws the charts from the JSON a previous run left in bench/, running nothing.
  for (const bench of BENCHES.filter((b) => b.charts && (!only || only.includes(b.name)))) {
    for (const chart of bench.charts()) writeFileSync(join(out, chart.file), barChartSvg(chart));
  }
  process.exit(0);
}
const sections = [];
for (const bench of BENCHES.filter((b) => !only || only.includes(b.name))) {
  console.error(`bench: ${bench.name} …`);
  const started = Date.now();
  const run = spawnSync('pnpm', bench.args, { cwd: join(root, bench.cwd), encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const seconds = Math.round((Date.now() - started) / 1000);
  const raw = `${run.stdout ?? ''}${run.status === 0 ? '' : `\n--- exit ${run.status}; stderr (last lines) ---\n${(run.stderr ?? '').split('\n').slice(-15).join('\n')}`}`;
  // The committed report names paths from the checkout's root, never the machine's own directories.
  const output = raw.split(root.replace(/\/$/, '')).join('.');
  let charts = [];
  if (run.status === 0 && bench.charts) {
    try {
      charts = bench.charts();
    } catch (error) {
      charts = [];
      console.error(`bench: ${bench.name}: charts failed: ${error.message}`);
    }
  }
  for (const chart of charts) writeFileSync(join(out, chart.file), barChartSvg(chart));
  sections.push(
    [
      `## ${bench.name}`,
      '',
      `\`pnpm ${bench.args.join(' ')}\` in \`${bench.cwd}\` — ${seconds} s, exit ${run.status}. Baseline: ${bench.baseline}.`,
      '',
      ...charts.map((chart) => `![${chart.title}](${chart.file})`),
      '',
      '```text',
      output.trim(),
      '```',
      '',
    ].join('\n'),
  );
}

const header = [
  '# Benchmark results',
  '',
  `Written by \`pnpm bench\` (scripts/bench-all.mjs) on ${new Date().toISOString()}, Node ${process.version}.`,
  'Each bench measures against a baseline in the same run; on a shared machine the ratios are what count.',
  '',
].join('\n');
writeFileSync(join(out, 'results.md'), `${header}\n${sections.join('\n')}`);
console.error(`bench: wrote ${join('bench', 'results.md')}`);

/** p99 of each endpoint as a multiple of the fake read models' p99, per store. */
function readPathCharts() {
  const file = join(out, 'read-path.json');
  if (!existsSync(file)) return [];
  const { results } = JSON.parse(readFileSync(file, 'utf8'));
  const label = (path) =>
    path.replace(/^\/applications\/[^/?]+/, '/applications/{app}').replace(/\/clusters\/[^/]+\/[^/?\s]+/, '/clusters/{account}/{cluster}');
  const fake = results.find((r) => r.store === 'fake');
  const endpoints = [...new Set(results.flatMap((r) => (r.rows ?? []).map((row) => label(row.path))))];
  return endpoints.map((endpoint, i) => {
    const base = fake?.rows?.find((row) => label(row.path) === endpoint);
    const rows = results
      .filter((r) => r.store !== 'fake')
      .flatMap((r) => {
        const row = r.rows?.find((candidate) => label(candidate.path) === endpoint);
        return row && base ? [{ label: `${r.store}: p99 ${row.p99} ms (fake ${base.p99} ms)`, value: row.p99 / base.p99 }] : [];
      });
    return { file: `read-path-${i + 1}.svg`, title: `${endpoint}: p99 × fake read models`, unit: '×', rows, reference: 1 };
  });
}

/** req/s and server CPU per request, each as a multiple of bare express. */
function smallEndpointCharts() {
  const file = join(out, 'small-endpoints.json');
  if (!existsSync(file)) return [];
  const { results } = JSON.parse(readFileSync(file, 'utf8'));
  const express = results.find((r) => r.server === 'bare express 5');
  return [
    {
      file: 'small-endpoints-rps.svg',
      title: 'GET /credentials: req/s × bare express 5',
      unit: '×',
      rows: results.map((r) => ({ label: `${r.server}: ${Math.round(r.rps)} req/s`, value: r.rps / express.rps })),
      reference: 1,
    },
    {
      file: 'small-endpoints-cpu.svg',
      title: 'GET /credentials: server CPU per request × bare express 5',
      unit: '×',
      rows: results.map((r) => ({ label: `${r.server}: ${r.cpuUsPerRequest} µs`, value: r.cpuUsPerRequest / express.cpuUsPerRequest })),
      reference: 1,
    },
  ];
}
