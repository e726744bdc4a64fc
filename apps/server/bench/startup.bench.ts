/**
 * Startup and account-reload benchmark (startup time versus account count is Clouddriver's most
 * quantified operator pain). For each account count it starts a whole server in process with the
 * synthetic provider (1 region, small clouds, memory storage) and measures:
 * - ready: startServer() until HTTP listens and readiness is UP (providers, accounts, agents scheduled);
 * - first cycle: until every account's agents have run once (the cache is complete);
 * - reload +1: a config reload that adds one account to N unchanged ones;
 * - rss: resident memory after the first cycle.
 * Each count runs in its own child process. Not part of `pnpm test`; run with `pnpm bench` in
 * apps/server (option: --accounts=10,200,1000).
 */
import 'reflect-metadata';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const counts = (process.argv.find((arg) => arg.startsWith('--accounts='))?.split('=')[1] ?? '10,200,1000').split(',').map(Number);
const child = process.argv.find((arg) => arg.startsWith('--child='))?.split('=')[1];

async function measure(accounts: number): Promise<Record<string, number>> {
  const { pino } = await import('pino');
  const { AGENT_SCHEDULER } = await import('@stratus/core');
  const { SyntheticCloudRegistry, createSyntheticProvider } = await import('@stratus/testing');
  const { loadConfig } = await import('../src/config/load-config.js');
  const { startServer } = await import('../src/server/start-server.js');
  const { resolve } = await import('../src/di.js');

  const dir = mkdtempSync(join(tmpdir(), 'stratus-startup-bench-'));
  const path = join(dir, 'stratus.yml');
  const yaml = (n: number) =>
    [
      'server: {port: 0, address: 127.0.0.1}',
      'logging: {level: silent}',
      'dynamicConfig: {enabled: false}',
      'synthetic:',
      '  applications: 2',
      '  serverGroupsPerApplication: 1',
      '  instancesPerServerGroup: 1',
      '  accounts:',
      ...Array.from({ length: n }, (_, i) => `    - {name: acct-${i}, regions: [us-east-1], seed: ${i + 1}}`),
    ].join('\n');
  writeFileSync(path, yaml(accounts));
  const { config, raw } = loadConfig({ path, env: {} });
  const provider = createSyntheticProvider({ clouds: new SyntheticCloudRegistry(), agentIntervalMs: 3_600_000 });

  const start = performance.now();
  const server = await startServer({ config, raw, configPath: path, logger: pino({ level: 'silent' }), providers: [provider] });
  const ready = performance.now() - start;
  const instrumentation = resolve(server.container, AGENT_SCHEDULER).instrumentation;
  const agents = accounts * 4;
  while (instrumentation.list().filter((record) => record.executions > 0 && record.agentType.startsWith('acct-')).length < agents) {
    await new Promise((r) => setTimeout(r, 5));
  }
  const firstCycle = performance.now() - start;
  const rss = process.memoryUsage().rss / 1024 / 1024;

  writeFileSync(path, yaml(accounts + 1));
  const reloadStart = performance.now();
  const report = await server.reload();
  const reload = performance.now() - reloadStart;
  if (report?.added.length !== 1) throw new Error(`reload added ${report?.added.length} accounts`);
  await server.shutdown('bench');
  rmSync(dir, { recursive: true, force: true });
  return { accounts, readyMs: ready, firstCycleMs: firstCycle, reloadMs: reload, rssMb: rss };
}

if (child) {
  const result = await measure(Number(child));
  process.stdout.write(`${JSON.stringify(result)}\n`);
  process.exit(0);
} else {
  const rows: Record<string, number>[] = [];
  for (const accounts of counts) {
    const run = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), `--child=${accounts}`], { encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`child for ${accounts} accounts failed:\n${run.stderr}`);
    rows.push(JSON.parse(run.stdout.trim().split('\n').pop()!));
  }
  console.log(`Node ${process.version}, memory storage, synthetic provider (4 agents per account, 1 region)`);
  console.table(
    rows.map((row) => ({
      accounts: row.accounts,
      'ready (ms)': Math.round(row.readyMs!),
      'first cycle (ms)': Math.round(row.firstCycleMs!),
      'reload +1 (ms)': Math.round(row.reloadMs! * 10) / 10,
      'rss (MB)': Math.round(row.rssMb!),
    })),
  );
}
