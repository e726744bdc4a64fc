#!/usr/bin/env node
// Runs every package's tests in one vitest run and prints the total as its last line:
// `N passed, M failed`. Fails when anything failed, a test file could not load, or nothing ran.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const report = `${root}.vitest-report.json`;
rmSync(report, { force: true });

spawnSync('bash', [`${root}scripts/ensure-services.sh`], { stdio: 'inherit', cwd: root });

const args = ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...process.argv.slice(2)];
// picocolors/tinyrainbow treat any FORCE_COLOR (even "0") as "force colours on"; NO_COLOR turns them off.
const { FORCE_COLOR: _ignored, ...inherited } = process.env;
const run = spawnSync('pnpm', ['exec', ...args], { stdio: 'inherit', cwd: root, env: { ...inherited, NO_COLOR: '1' } });

let passed = 0;
let failed = 0;
if (existsSync(report)) {
  const json = JSON.parse(readFileSync(report, 'utf8'));
  passed = json.numPassedTests ?? 0;
  failed = json.numFailedTests ?? 0;
  // A test file that failed to load has no failed tests but must still count as a failure.
  for (const file of json.testResults ?? []) {
    if (file.status === 'failed' && (file.assertionResults ?? []).every((t) => t.status !== 'failed')) failed += 1;
  }
} else {
  failed += 1;
}
const ok = run.status === 0 && failed === 0 && passed > 0;
if (passed === 0) console.error('no test passed: an empty suite is a failure');
console.log(`${passed} passed, ${failed} failed`);
process.exit(ok ? 0 : 1);
