import { randomBytes } from 'node:crypto';
import { scopedRequestId, type TaskRepository } from '@stratus/core';
import type { TestDatabase } from '@stratus/sql/testing';
import { describe, expect, it } from 'vitest';
import { scratchStores } from './support/scratch-stores.js';
import { openTaskStore } from '../src/migration/open-task-store.js';
import { DEPLOY, sleep, startLiveServer, stratusCli, TaskClients, type LiveServer } from './support/live-task-servers.js';

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

const scratch = scratchStores('stratus-task-migration-');
const { dir, cleanups } = scratch;

const OPERATION_DELAY_MS = 1200;

/**
 * A server process whose deploys take OPERATION_DELAY_MS. Its task lease (an hour) outlives the
 * scenario: the orphan below must stay STARTED under its dead owner here (takeover of dead
 * replicas' tasks is covered by fault-injection.test.ts).
 */
async function startServer(name: string, tasksYaml: string): Promise<LiveServer> {
  const server = await startLiveServer(dir, name, tasksYaml, OPERATION_DELAY_MS);
  cleanups.push(async () => server.kill());
  return server;
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

interface TaskStatusView {
  readonly history: readonly unknown[];
  readonly status: { readonly completed: boolean; readonly failed: boolean; readonly retryable: boolean };
}

async function getTask(base: string, id: string): Promise<TaskStatusView> {
  const response = await fetch(`${base}/task/${id}`);
  if (response.status !== 200) throw new Error(`GET /task/${id}: ${response.status}`);
  return (await response.json()) as TaskStatusView;
}

interface Store {
  /** The `config` lines that put a server's tasks (only) in this store. */
  readonly yaml: string;
  /** The same store as a URL (dual-mode side and `stratus migrate tasks`). */
  readonly url: string;
}

async function scenario(label: string, old: Store, next: Store): Promise<void> {
  const clients = new TaskClients(`${label}-${randomBytes(3).toString('hex')}`);

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
  const copy = stratusCli(['migrate', 'tasks', '--from', old.url, '--to', next.url, '--sample', '100']);
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
      const prefix = scratch.redisPrefix('taskmig');
      const postgres = await scratch.database('postgres');
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
      const postgres = await scratch.database('postgres');
      const mariadb = await scratch.database('mysql');
      await scenario('pg-maria', { yaml: sqlYaml(postgres), url: postgres.url }, { yaml: sqlYaml(mariadb), url: mariadb.url });
    },
    150_000,
  );
});

function sqlYaml(database: TestDatabase): string {
  return `sql: {enabled: true, connectionPools: {default: {url: '${database.url}'}}, taskRepository: {enabled: true}}`;
}
