#!/usr/bin/env node
// Runs every package's tests in one vitest run and prints the total as its last line:
// `N passed, M failed`. Fails when anything failed, a test file could not load, or nothing ran.
// A full run (no arguments) first runs `pnpm typecheck` (sources and tests), `pnpm lint` and a
// small subset on Node 22 (the oldest supported major); each counts as one test in the total.
// With arguments (a subset of test files) only vitest runs.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const report = `${root}.vitest-report.json`;
rmSync(report, { force: true });

/** What the Node 22 check runs: core's unit tests, one SQLite (native addon) test, the server start tests. */
const NODE22_SUBSET = ['packages/core/', 'packages/sql/src/create-sql-adapters.test.ts', 'apps/server/test/start-server.test.ts'];

let passed = 0;
let failed = 0;
if (process.argv.length <= 2) {
  for (const check of ['typecheck', 'lint']) {
    console.log(`\n== pnpm ${check}`);
    const result = spawnSync('pnpm', ['run', '--silent', check], { stdio: 'inherit', cwd: root });
    if (result.status === 0) passed += 1;
    else {
      failed += 1;
      console.error(`pnpm ${check} failed (exit ${result.status ?? result.signal}): counted as one failed test`);
    }
  }
  // Node 22 is still supported (engines >=22.19; npx node@22 is the newest 22.x) while everything else runs on 24: a small
  // representative subset runs on the registry's node@22, counted as one test. better-sqlite3 loads
  // its Node-API prebuild there, which no ABI pins, so no second native build is needed.
  console.log('\n== node@22 subset (core, SQLite, server start)');
  const node22 = spawnSync('npx', ['-y', '-p', 'node@22', 'node', 'node_modules/vitest/vitest.mjs', 'run', '--reporter=dot', ...NODE22_SUBSET], {
    stdio: 'inherit',
    cwd: root,
    env: { ...process.env, NO_COLOR: '1' },
  });
  if (node22.status === 0) passed += 1;
  else {
    failed += 1;
    console.error(`the node@22 subset failed (exit ${node22.status ?? node22.signal}): counted as one failed test`);
  }
}

spawnSync('bash', [`${root}scripts/ensure-services.sh`], { stdio: 'inherit', cwd: root });

const args = ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...process.argv.slice(2)];
// picocolors/tinyrainbow treat any FORCE_COLOR (even "0") as "force colours on"; NO_COLOR turns them off.
const { FORCE_COLOR: _ignored, ...inherited } = process.env;
const run = spawnSync('pnpm', ['exec', ...args], { stdio: 'inherit', cwd: root, env: { ...inherited, NO_COLOR: '1' } });

let ran = 0;
if (existsSync(report)) {
  const json = JSON.parse(readFileSync(report, 'utf8'));
  ran = json.numPassedTests ?? 0;
  passed += ran;
  failed += json.numFailedTests ?? 0;
  // A test file that failed to load has no failed tests but must still count as a failure.
  for (const file of json.testResults ?? []) {
    if (file.status === 'failed' && (file.assertionResults ?? []).every((t) => t.status !== 'failed')) failed += 1;
  }
} else {
  failed += 1;
}
const ok = run.status === 0 && failed === 0 && ran > 0;
if (ran === 0) console.error('no test passed: an empty suite is a failure');
console.log(`${passed} passed, ${failed} failed`);
process.exit(ok ? 0 : 1);
