import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, pollUntil } from '@stratus/testing';
import { afterAll, describe, expect, it } from 'vitest';

const serverDir = fileURLToPath(new URL('..', import.meta.url));
const bin = join(serverDir, 'bin', 'stratus.js');
const dir = mkdtempSync(join(tmpdir(), 'stratus-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('STRATUS') && name !== 'INIT_CWD'));

function stratus(args: string[], extraEnv: Record<string, string> = {}) {
  return spawnSync(process.execPath, [bin, ...args], { cwd: serverDir, env: { ...env, ...extraEnv }, encoding: 'utf8', timeout: 60_000 });
}

describe('stratus CLI', () => {
  it('check-config prints what the example config selects', () => {
    const result = stratus(['check-config', '--config', join(serverDir, 'config', 'stratus.example.yml')], { STRATUS__kubernetes__enabled: 'true' });
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ port: 7002, writeEnabled: true, providers: ['@stratus/provider-kubernetes'], accountStorage: false });
  });

  it('stops with one line naming the bad key, from --config or STRATUS_CONFIG', () => {
    const bad = join(dir, 'bad.yml');
    writeFileSync(bad, 'caching:\n  write-enabled: sometimes\n');
    for (const result of [stratus(['--config', bad]), stratus([], { STRATUS_CONFIG: bad })]) {
      expect(result.status).toBe(1);
      expect(result.stderr.trim()).toMatch(/^stratus: Invalid configuration \(bad\.yml\): caching\.writeEnabled: .*expected boolean/);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
    }
  });

  it('names an unknown command instead of passing it to the default start command', () => {
    const result = stratus(['frobnicate']);
    expect(result.status).toBe(1);
    expect(result.stderr.trim()).toMatch(/^stratus: unknown command 'frobnicate' \(commands: start, check-config, config, migrate, cache\)$/);
  });

  it('runs the built-in demo cloud when given no config, and says so', async () => {
    const port = await freePort();
    const child = spawn(process.execPath, [bin], { cwd: serverDir, env: { ...env, STRATUS__server__port: String(port) } });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const base = `http://127.0.0.1:${port}`;
    try {
      const applications = await pollUntil(
        'the demo applications',
        async (): Promise<unknown> => {
          const answer = await fetch(`${base}/applications`).catch(() => undefined);
          return answer?.ok ? answer.json() : undefined;
        },
        (apps) => Array.isArray(apps) && apps.length > 0,
        30_000,
        { context: () => output },
      );
      expect((applications as unknown[]).length).toBeGreaterThan(0);
      const credentials = (await (await fetch(`${base}/credentials`)).json()) as { name: string; type: string }[];
      expect(credentials.map((account) => account.name).sort()).toEqual(['demo-prod', 'demo-staging']);
      expect(await (await fetch(`${base}/`)).json()).toMatchObject({ name: 'Stratus', demo: true });
      expect(output).toContain('DEMO MODE');
    } finally {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    }
  }, 60_000);

  it('stops with one line naming a provider that cannot load', () => {
    const config = join(dir, 'provider.yml');
    writeFileSync(config, "server: {port: 0, address: 127.0.0.1}\nproviders: ['@acme/stratus-provider-missing']\n");
    const result = stratus(['--config', config]);
    expect(result.status).toBe(1);
    expect(result.stderr.trim()).toMatch(/^stratus: Provider @acme\/stratus-provider-missing failed to load: the package is not installed/);
  });
});
