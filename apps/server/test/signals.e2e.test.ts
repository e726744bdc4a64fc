/**
 * SIGTERM drains whichever way it is sent: to the `pnpm start` process (as a process supervisor
 * that only knows its child does) and to the whole process group (as a terminal or a container
 * runtime does). A slow operation is running when the signal arrives; it must finish and be
 * recorded before the server exits. Tasks live in a SQLite file so they can be read after exit.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { currentLine } from '@stratus/core';
import { createSqlDatabase, SqlTaskRepository } from '@stratus/sql';
import { freePort, pollUntil } from '@stratus/testing';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'stratus-signals-'));
const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('STRATUS') && name !== 'INIT_CWD'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function startUnderPnpm(name: string): Promise<{ child: ChildProcess; base: string; db: string; exited: Promise<number | null>; output: () => string }> {
  const port = await freePort();
  const db = join(dir, `${name}.db`);
  const config = join(dir, `${name}.yml`);
  writeFileSync(
    config,
    JSON.stringify({
      server: { port, address: '127.0.0.1' },
      logging: { level: 'info' },
      admin: { tasks: { shutdownWaitSeconds: 30 } },
      sql: { enabled: true, connectionPools: { default: { url: `sqlite:${db}` } }, taskRepository: { enabled: true } },
      providers: ['@stratus/testing/synthetic-provider'],
      synthetic: { operationDelayMs: { resizeServerGroup: 4000 }, accounts: [{ name: 'prod', regions: ['us-east-1'], seed: 3 }] },
    }),
  );
  // detached: the server gets a process group of its own, which the group-signal case targets.
  const child = spawn('pnpm', ['start', '--config', config], { cwd: root, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const base = `http://127.0.0.1:${port}`;
  await pollUntil(
    'the server and its synthetic applications',
    async (): Promise<unknown> => {
      const answer = await fetch(`${base}/applications`).catch(() => undefined);
      return answer?.ok ? answer.json() : undefined;
    },
    (apps) => Array.isArray(apps) && apps.length > 0,
    90_000,
    { context: () => output },
  );
  // `pnpm start` runs the compiled JavaScript (scripts/build-dist.mjs), not the sources through tsx.
  expect(output).toContain('"code":"compiled"');
  return { child, base, db, exited, output: () => output };
}

async function startSlowResize(base: string): Promise<string> {
  const groups = (await (
    await fetch(`${base}/applications/${((await (await fetch(`${base}/applications`)).json()) as { name: string }[])[0]!.name}/serverGroups`)
  ).json()) as {
    account: string;
    region: string;
    name: string;
  }[];
  const target = groups[0]!;
  const answer = await fetch(`${base}/synthetic/ops`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify([
      { resizeServerGroup: { credentials: target.account, region: target.region, serverGroupName: target.name, capacity: { min: 1, max: 2, desired: 2 } } },
    ]),
  });
  expect(answer.status).toBe(200);
  return ((await answer.json()) as { id: string }).id;
}

async function recordedState(db: string, id: string): Promise<string | undefined> {
  const repository = new SqlTaskRepository(createSqlDatabase({ url: `sqlite:${db}`, maxConnections: 1 }), { ownsDatabase: true });
  try {
    const task = await repository.get(id);
    return task ? currentLine(task).state : undefined;
  } finally {
    await repository.close();
  }
}

describe('SIGTERM drains running operations however it is sent', () => {
  for (const how of ['to the pnpm process', 'to the process group'] as const) {
    it(`${how}`, async () => {
      const server = await startUnderPnpm(how === 'to the pnpm process' ? 'pnpm' : 'group');
      const id = await startSlowResize(server.base);
      if (how === 'to the pnpm process') server.child.kill('SIGTERM');
      else process.kill(-server.child.pid!, 'SIGTERM');
      await Promise.race([server.exited, new Promise((_, reject) => setTimeout(() => reject(new Error(`no exit:\n${server.output()}`)), 60_000))]);
      // A group signal also ends pnpm, which may exit (taking the log pipe with it) before the server
      // has drained: what counts is that the server drained, so wait until it is gone, then read the task.
      await pollUntil(
        'the server to finish draining and exit',
        async () =>
          fetch(`${server.base}/health`).then(
            () => 'up',
            () => 'gone',
          ),
        (state) => state === 'gone',
        60_000,
        { context: server.output },
      );
      if (how === 'to the pnpm process') {
        expect(server.output()).toMatch(/"reason":"SIGTERM".*shutting down/);
        expect(server.output()).toContain('"msg":"stopped"');
      }
      // The drain may still be finishing the operation after the listener closed; it must end COMPLETED.
      expect(
        await pollUntil(
          'the task to be recorded COMPLETED',
          () => recordedState(server.db, id),
          (state) => state === 'COMPLETED',
          30_000,
        ),
      ).toBe('COMPLETED');
    }, 150_000);
  }
});
