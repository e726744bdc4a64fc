import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { scopedRequestId, type TaskRepository } from '@stratus/core';
import { createRedisClient, deleteKeysMatching } from '@stratus/redis';
import { createTestDatabase, type TestDatabase } from '@stratus/sql/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { openTaskStore } from '../src/migration/open-task-store.js';

/**
 * The task-store migration as an operator runs it, with real server processes: a server on the old
 * store runs long operations; a second server in dual mode (primary = new store, previous = old
 * store) takes over while clients keep creating tasks, retrying clientRequestIds and polling; the
 * old server drains on SIGTERM (its in-flight operations finish in the old store); `stratus migrate
 * tasks` copies what is left; a third server on the new store alone takes over. Every poll is
 * recorded: no task may disappear, go backwards, or get a second id for one clientRequestId.
 *
 * Orphans: a second old replica is killed (SIGKILL, no drain) with an operation in flight. Its task
 * stays STARTED under the dead owner in the old store; dual mode and the copy carry it over exactly
 * once, and on the new store the operator's forced retry (PATCH retry=true, then Orca re-sending the
 * same clientRequestId) re-runs it under the same task id.
 */

const serverDir = fileURLToPath(new URL('..', import.meta.url));
const bin = join(serverDir, 'bin', 'stratus.js');
const dir = mkdtempSync(join(tmpdir(), 'stratus-task-migration-'));
const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('STRATUS') && name !== 'INIT_CWD' && name !== 'LOG_LEVEL'));
const cleanups: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  rmSync(dir, { recursive: true, force: true });
}, 60_000);

const OPERATION_DELAY_MS = 1200;
/** A deploy that takes OPERATION_DELAY_MS (the synthetic provider's configured operation delay). */
const DEPLOY = JSON.stringify([
  { createServerGroup: { credentials: 'prod', application: 'mig', region: 'us-east-1', capacity: { min: 1, max: 1, desired: 1 } } },
]);
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

interface Server {
  readonly base: string;
  readonly output: string[];
  /** SIGTERM (graceful: in-flight operations drain) and the exit code. */
  stop(): Promise<number | null>;
  /** SIGKILL: a crash, nothing drains. */
  kill(): void;
}

async function startServer(name: string, tasksYaml: string): Promise<Server> {
  const port = await freePort();
  const configPath = join(dir, `${name}.yml`);
  writeFileSync(
    configPath,
    [
      `server: {port: ${port}, address: 127.0.0.1}`,
      'logging: {level: warn}',
      "providers: ['@stratus/testing/synthetic-provider']",
      // A lease far longer than the scenario: the orphan below must stay STARTED under its dead owner
      // here (takeover of dead replicas' tasks is covered by fault-injection.test.ts).
      'admin: {tasks: {shutdownWaitSeconds: 20, leaseSeconds: 3600}}',
      'synthetic:',
      '  agentIntervalMs: 60000',
      `  operationDelayMs: ${OPERATION_DELAY_MS}`,
      '  accounts:',
      '    - {name: prod, regions: [us-east-1], seed: 1}',
      tasksYaml,
    ].join('\n'),
  );
  const output: string[] = [];
  const child: ChildProcess = spawn(process.execPath, [bin, '--config', configPath], { cwd: serverDir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const stop = async () => {
    if (child.exitCode === null) child.kill('SIGTERM');
    const code = await Promise.race([exited, sleep(30_000).then(() => 'timeout' as const)]);
    if (code === 'timeout') {
      child.kill('SIGKILL');
      throw new Error(`${name} did not stop within 30 s:\n${output.join('').slice(-2000)}`);
    }
    return code;
  };
  cleanups.push(async () => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const ready = await fetch(`${base}/health/readiness`).then(
      (r) => r.status === 200,
      () => false,
    );
    // Ours, not another process that got the port first (then this child dies of EADDRINUSE).
    if (ready && child.exitCode === null) {
      await sleep(100);
      if (child.exitCode === null) return { base, output, stop, kill: () => child.kill('SIGKILL') };
    }
    if (child.exitCode !== null) break;
    await sleep(150);
  }
  child.kill('SIGKILL');
  throw new Error(`${name} did not become ready:\n${output.join('').slice(-3000)}`);
}

async function postDeploy(base: string, requestId: string): Promise<string> {
  const response = await fetch(`${base}/synthetic/ops`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-spinnaker-request-id': requestId },
    body: DEPLOY,
  });
  const body = (await response.json()) as { id?: string };
  if (response.status !== 200 || !body.id) throw new Error(`POST ${requestId}: ${response.status} ${JSON.stringify(body)}`);
  return body.id;
}

async function getTask(base: string, id: string): Promise<TaskView & { status: { retryable: boolean } }> {
  const response = await fetch(`${base}/task/${id}`);
  if (response.status !== 200) throw new Error(`GET /task/${id}: ${response.status}`);
  return (await response.json()) as TaskView & { status: { retryable: boolean } };
}

interface TaskView {
  readonly id: string;
  readonly requestId: string;
  readonly ownerId: string;
  readonly history: readonly unknown[];
  readonly status: { readonly completed: boolean; readonly failed: boolean };
}

/**
 * Clients of whichever server is current: create tasks, re-send old clientRequestIds, poll every
 * known task. Connection errors (a server going away) are retried; everything else is recorded.
 */
class Clients {
  base = '';
  readonly idByRequest = new Map<string, string>();
  readonly lastSeen = new Map<string, { historyLength: number; completed: boolean }>();
  readonly violations: string[] = [];
  polls = 0;
  retries = 0;
  private created = 0;
  private running = false;
  private loops: Promise<void>[] = [];

  constructor(readonly label: string) {}

  private async post(requestId: string): Promise<string | undefined> {
    const response = await fetch(`${this.base}/synthetic/ops`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-spinnaker-request-id': requestId },
      body: DEPLOY,
    }).catch(() => undefined);
    if (!response) return undefined;
    const body = (await response.json().catch(() => ({}))) as { id?: string };
    if (response.status !== 200 || !body.id) {
      if (response.status !== 503) this.violations.push(`POST ${requestId}: ${response.status} ${JSON.stringify(body)}`);
      return undefined;
    }
    const known = this.idByRequest.get(requestId);
    if (known !== undefined && known !== body.id) this.violations.push(`clientRequestId ${requestId} got a second task ${body.id} (first ${known})`);
    if (known === undefined) this.idByRequest.set(requestId, body.id);
    return body.id;
  }

  /** One poll of every known task; the state of each may only move forward. */
  async pollAll(): Promise<Map<string, TaskView>> {
    const views = new Map<string, TaskView>();
    for (const id of [...this.idByRequest.values()]) {
      const response = await fetch(`${this.base}/task/${id}`).catch(() => undefined);
      if (!response || response.status === 503) continue;
      if (response.status !== 200) {
        this.violations.push(`GET /task/${id}: ${response.status}`);
        continue;
      }
      const task = (await response.json()) as TaskView;
      this.polls += 1;
      views.set(id, task);
      const before = this.lastSeen.get(id);
      if (before && (task.history.length < before.historyLength || (before.completed && !task.status.completed))) {
        this.violations.push(`task ${id} went backwards: ${JSON.stringify(before)} -> ${task.history.length} lines, completed=${task.status.completed}`);
      }
      this.lastSeen.set(id, { historyLength: task.history.length, completed: task.status.completed });
    }
    return views;
  }

  start(maxNewTasks: number): void {
    this.running = true;
    const limit = this.created + maxNewTasks;
    this.loops = [
      (async () => {
        while (this.running) {
          if (this.created < limit) {
            const requestId = `${this.label}-${this.created}`;
            if (await this.post(requestId)) this.created += 1;
          }
          // A retry of an earlier request (Orca re-sending after a timeout) must get the same task.
          const known = [...this.idByRequest.keys()];
          if (known.length > 0) {
            await this.post(known[Math.floor(Math.random() * known.length)]!);
            this.retries += 1;
          }
          await sleep(250);
        }
      })(),
      (async () => {
        while (this.running) {
          await this.pollAll();
          await sleep(200);
        }
      })(),
    ];
  }

  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.loops);
  }

  async waitAllCompleted(timeoutMs = 20_000): Promise<Map<string, TaskView>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const views = await this.pollAll();
      if (views.size === this.idByRequest.size && [...views.values()].every((task) => task.status.completed)) return views;
      if (Date.now() > deadline) {
        const running = [...views.values()].filter((t) => !t.status.completed).map((t) => t.id);
        throw new Error(
          `tasks not completed: ${running.join(', ')}; answered ${views.size} of ${this.idByRequest.size}; violations: ${this.violations.join('; ')}`,
        );
      }
      await sleep(200);
    }
  }
}

interface Store {
  /** The `config` lines that put a server's tasks (only) in this store. */
  readonly yaml: string;
  /** The same store as a URL (dual-mode side and `stratus migrate tasks`). */
  readonly url: string;
}

async function scenario(label: string, old: Store, next: Store): Promise<void> {
  const clients = new Clients(`${label}-${randomBytes(3).toString('hex')}`);

  // 1. The old store alone, operations running (clients keep creating until the switch). A second
  // old replica is killed (no drain) with an operation in flight: its task is an orphan.
  const [a, doomed] = await Promise.all([startServer(`${label}-a`, old.yaml), startServer(`${label}-doomed`, old.yaml)]);
  clients.base = a.base;
  clients.start(30);
  const orphanRequest = `${clients.label}-orphan`;
  const orphanId = await postDeploy(doomed.base, orphanRequest);
  await sleep(300);
  doomed.kill();

  // 2. Rolling restart into dual mode: B serves while A drains its in-flight operations.
  const b = await startServer(`${label}-b`, `dualTaskRepository: {enabled: true, primary: '${next.url}', previous: '${old.url}'}`);
  await clients.stop();
  const fromA = new Set(clients.idByRequest.values());
  const atSwitch = await clients.pollAll();
  const inFlightOnA = [...atSwitch.values()].filter((task) => !task.status.completed).map((task) => task.id);
  clients.base = b.base;
  expect(await postDeploy(b.base, orphanRequest)).toBe(orphanId); // found in the previous store
  clients.start(6);
  expect(await a.stop()).toBe(0);
  await sleep(1500);
  await clients.stop();
  const afterDual = await clients.waitAllCompleted();

  // 3. Copy what is left in the old store (quiet now: its last writer has drained) while B serves.
  const copy = spawnSync(process.execPath, [bin, 'migrate', 'tasks', '--from', old.url, '--to', next.url, '--sample', '100'], {
    cwd: serverDir,
    env,
    encoding: 'utf8',
    timeout: 60_000,
  });
  expect(copy.status, copy.stderr).toBe(0);
  const report = JSON.parse(copy.stdout) as { copied: number; present: number; problems: string[] };
  expect(report.problems).toEqual([]);
  expect(report.copied, `${copy.stdout}\n${copy.stderr}\nviolations: ${clients.violations.join('; ')}`).toBe(fromA.size + 1); // + the orphan

  // 4. The new store alone; B drains.
  const c = await startServer(`${label}-c`, next.yaml);
  clients.base = c.base;
  expect(await b.stop()).toBe(0);
  clients.start(3);
  await sleep(1500);
  await clients.stop();
  const final = await clients.waitAllCompleted();
  // Every request id, old and new, once more: the same task each time.
  for (const requestId of clients.idByRequest.keys()) {
    const response = await fetch(`${c.base}/synthetic/ops`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-spinnaker-request-id': requestId },
      body: DEPLOY,
    });
    expect(((await response.json()) as { id: string }).id).toBe(clients.idByRequest.get(requestId));
  }
  // The orphan: copied once, still STARTED under the dead owner; the operator marks it retryable and
  // Orca's retry re-runs it under the same task id on the new store.
  const orphan = await getTask(c.base, orphanId);
  expect(orphan.status.completed).toBe(false);
  expect(await postDeploy(c.base, orphanRequest)).toBe(orphanId);
  const marked = await fetch(`${c.base}/synthetic/task/${orphanId}`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ retry: true }),
  });
  expect(marked.status).toBe(200);
  expect((await getTask(c.base, orphanId)).status).toMatchObject({ completed: true, retryable: true });
  expect(await postDeploy(c.base, orphanRequest)).toBe(orphanId);
  const deadline = Date.now() + 15_000;
  let rerun = await getTask(c.base, orphanId);
  while (!rerun.status.completed && Date.now() < deadline) {
    await sleep(200);
    rerun = await getTask(c.base, orphanId);
  }
  expect(rerun.status).toMatchObject({ completed: true, failed: false });
  expect(rerun.history.length).toBeGreaterThan(orphan.history.length);
  expect(await c.stop()).toBe(0);

  expect(clients.violations).toEqual([]);
  expect(fromA.size).toBeGreaterThan(0);
  expect(inFlightOnA.length, 'some operations were still running on A when it was stopped').toBeGreaterThan(0);
  expect(clients.retries).toBeGreaterThan(0);
  expect(afterDual.size).toBeGreaterThan(fromA.size);
  // A's in-flight operations finished (A drained them), and nothing failed.
  for (const task of final.values()) expect(task.status, task.id).toMatchObject({ completed: true, failed: false });
  for (const id of inFlightOnA) expect(final.get(id)?.history.length).toBeGreaterThan(atSwitch.get(id)!.history.length);

  // The new store holds exactly one task per request id, and nothing else.
  const store = await openTaskStore(next.url);
  try {
    const repository: TaskRepository = store.repository;
    expect((await repository.listTaskIds()).sort()).toEqual([...clients.idByRequest.values(), orphanId].sort());
    for (const [requestId, id] of [...clients.idByRequest, [orphanRequest, orphanId] as const]) {
      // Stored under the caller's scope (these clients are anonymous), as the server keys request ids.
      expect((await repository.getByClientRequestId(scopedRequestId(undefined, requestId)))?.id).toBe(id);
    }
  } finally {
    await store.close();
  }
}

describe('task store migration with live servers', () => {
  it.concurrent(
    'Redis -> dual(PostgreSQL <- Redis) -> PostgreSQL',
    async () => {
      const prefix = `stratus-test-taskmig-${randomBytes(4).toString('hex')}`;
      const redis = createRedisClient({ url: 'redis://127.0.0.1:6379/0' });
      cleanups.push(async () => {
        await deleteKeysMatching(redis, `${prefix}:*`);
        redis.disconnect();
      });
      const postgres = await createTestDatabase('postgres');
      cleanups.push(() => postgres.drop());
      await scenario(
        'redis-pg',
        {
          yaml: `redis: {enabled: true, connection: 'redis://127.0.0.1:6379/0', keyPrefix: ${prefix}, cache: {enabled: false}, scheduler: {enabled: false}}`,
          url: `redis://127.0.0.1:6379/0?prefix=${prefix}`,
        },
        { yaml: sqlYaml(postgres), url: postgres.url },
      );
    },
    150_000,
  );

  it.concurrent(
    'PostgreSQL -> dual(MariaDB <- PostgreSQL) -> MariaDB',
    async () => {
      const postgres = await createTestDatabase('postgres');
      cleanups.push(() => postgres.drop());
      const mariadb = await createTestDatabase('mysql');
      cleanups.push(() => mariadb.drop());
      await scenario('pg-maria', { yaml: sqlYaml(postgres), url: postgres.url }, { yaml: sqlYaml(mariadb), url: mariadb.url });
    },
    150_000,
  );
});

function sqlYaml(database: TestDatabase): string {
  return `sql: {enabled: true, connectionPools: {default: {url: '${database.url}'}}, taskRepository: {enabled: true}}`;
}
