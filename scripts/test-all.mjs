#!/usr/bin/env node
// Runs every package's tests in one vitest run and prints the total as its last line:
// `N passed, M failed`. Fails when anything failed, a test file could not load, or nothing ran.
// A full run (no arguments) first runs `pnpm typecheck` (sources and tests) and `pnpm lint`; each
// counts as one test in the total. With arguments (a subset of test files) only vitest runs.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const report = `${root}.vitest-report.json`;
rmSync(report, { force: true });

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
