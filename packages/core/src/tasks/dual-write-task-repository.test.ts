import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTaskRepositoryContract } from '@stratus/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { DualWriteTaskRepository } from './dual-write-task-repository.js';
import { MemoryTaskRepository } from './memory-task-repository.js';
import { MirrorRetryQueue } from './mirror-retry-queue.js';
import type { TaskRecord } from './task.js';
import type { TaskRepository } from './task-repository.js';

const dir = mkdtempSync(join(tmpdir(), 'stratus-dual-write-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const labels = { primary: 'p', previous: 'v' };

runTaskRepositoryContract('dual-write(memory->memory)', async () => ({
  repository: new DualWriteTaskRepository(new MemoryTaskRepository(), new MemoryTaskRepository(), { retryQueue: new MirrorRetryQueue(100), labels }),
  cleanup: async () => {},
}));

/** A store whose writes fail while `down` is set (reads still work), as a store under a network partition would. */
function flaky(inner: TaskRepository): TaskRepository & { down: boolean } {
  const wrapper = { down: false } as TaskRepository & { down: boolean };
  const fail = () => Promise.reject(new Error('connection refused'));
  for (const name of ['kind', 'get', 'getByClientRequestId', 'listRunning', 'listByOwner', 'listTaskIds', 'ping', 'close'] as const) {
    (wrapper as unknown as Record<string, unknown>)[name] =
      typeof inner[name] === 'function' ? (inner[name] as (...args: unknown[]) => unknown).bind(inner) : inner[name];
  }
  for (const name of [
    'create',
    'appendStatus',
    'addResultObjects',
    'addOutput',
    'updateOwnerId',
    'renewLease',
    'takeOver',
    'saveCheckpoint',
    'importTask',
  ] as const) {
    (wrapper as unknown as Record<string, unknown>)[name] = (...args: unknown[]) =>
      wrapper.down ? fail() : (inner[name] as (...args: unknown[]) => unknown).apply(inner, args);
  }
  return wrapper;
}

/** A task without its lease time and history timestamps (the copy's lines carry its own clock). */
const content = (task: TaskRecord | undefined) =>
  task && { ...task, leaseRenewedAtMs: undefined, history: task.history.map(({ timestamp: _t, ...line }) => line) };

async function runTask(repository: TaskRepository, requestId: string): Promise<string> {
  const { task } = await repository.create('ORCHESTRATION', 'init', requestId, 'node-a', { user: 'ann', accounts: ['prod'], applications: ['app'] });
  await repository.appendStatus(task.id, 'DEPLOY', 'creating', undefined, 'node-a');
  await repository.saveCheckpoint(task.id, { request: [], operationIndex: 0, results: [] } as never, 'node-a');
  await repository.addResultObjects(task.id, [{ serverGroupNames: ['us-east-1:app-v001'] }], 'node-a');
  await repository.addOutput(task.id, { manifest: 'x' }, 'node-a');
  await repository.appendStatus(task.id, 'ORCHESTRATION', 'done', 'COMPLETED', 'node-a');
  return task.id;
}

describe('DualWriteTaskRepository', () => {
  it('keeps every new task whole in both stores, with the same id, request id and start time', async () => {
    const primary = new MemoryTaskRepository();
    const previous = new MemoryTaskRepository();
    const dual = new DualWriteTaskRepository(primary, previous, { retryQueue: new MirrorRetryQueue(10), labels });
    const id = await runTask(dual, 'req-1');
    const [a, b] = [await primary.get(id), await previous.get(id)];
    expect(b?.requestId).toBe('req-1');
    expect(b?.startTimeMs).toBe(a?.startTimeMs);
    expect(content(b)).toEqual(content(a));
    expect((await dual.create('ORCHESTRATION', 'init', 'req-1', 'node-b')).created).toBe(false);
    expect(await previous.listTaskIds()).toEqual([id]);
    await dual.close();
  });

  it('never fails a write when the previous store is down; queues, counts, and catches up when it is back', async () => {
    const primary = new MemoryTaskRepository();
    const previous = flaky(new MemoryTaskRepository());
    const file = join(dir, 'queue-1.json');
    const dual = new DualWriteTaskRepository(primary, previous, { retryQueue: new MirrorRetryQueue(10, file), labels, retryIntervalMs: 3_600_000 });
    previous.down = true;
    const ids = [await runTask(dual, 'req-a'), await runTask(dual, 'req-b')];
    expect(await previous.listTaskIds()).toEqual([]);
    expect(dual.status()).toMatchObject({ mode: 'dual-write', pendingCopies: 2, failedCopies: 2, droppedCopies: 0, retryQueueDurable: true });
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(ids.map((id) => `v|${id}`));
    expect(await dual.retryQueued()).toBe(0); // still down: stays queued, not counted again
    expect(dual.status()).toMatchObject({ pendingCopies: 2, failedCopies: 2 });
    previous.down = false;
    expect(await dual.retryQueued()).toBe(2);
    for (const id of ids) expect(content(await previous.get(id))).toEqual(content(await primary.get(id)));
    expect(dual.status()).toMatchObject({ pendingCopies: 0 });
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual([]);
    await dual.close();
  });

  it('brings a copy that missed some changes forward (not only missing tasks)', async () => {
    const primary = new MemoryTaskRepository();
    const previous = flaky(new MemoryTaskRepository());
    const dual = new DualWriteTaskRepository(primary, previous, { retryQueue: new MirrorRetryQueue(10), labels, retryIntervalMs: 3_600_000 });
    const { task } = await dual.create('ORCHESTRATION', 'init', 'req-partial', 'node-a');
    previous.down = true;
    await dual.appendStatus(task.id, 'DEPLOY', 'step 1');
    await dual.addResultObjects(task.id, [{ r: 1 }]);
    await dual.appendStatus(task.id, 'ORCHESTRATION', 'done', 'COMPLETED');
    expect((await previous.get(task.id))?.history).toHaveLength(1);
    previous.down = false;
    expect(await dual.retryQueued()).toBe(1);
    expect(content(await previous.get(task.id))).toEqual(content(await primary.get(task.id)));
    await dual.close();
  });

  it('a queue that survives a restart with the stores swapped (a rollback) still copies towards the store that missed the write', async () => {
    const redisLike = new MemoryTaskRepository();
    const sqlLike = flaky(new MemoryTaskRepository());
    const file = join(dir, 'queue-2.json');
    const labelsBefore = { primary: 'redis', previous: 'sql' };
    const before = new DualWriteTaskRepository(redisLike, sqlLike, {
      retryQueue: new MirrorRetryQueue(10, file),
      labels: labelsBefore,
      retryIntervalMs: 3_600_000,
    });
    sqlLike.down = true;
    const id = await runTask(before, 'req-rollback');
    await before.close();
    sqlLike.down = false;
    // Rolled back: primary and previous swapped. The task is readable through the fallback meanwhile.
    const after = new DualWriteTaskRepository(sqlLike, redisLike, {
      retryQueue: new MirrorRetryQueue(10, file),
      labels: { primary: 'sql', previous: 'redis' },
      retryIntervalMs: 3_600_000,
    });
    expect((await after.get(id))?.id).toBe(id);
    expect(await after.retryQueued()).toBe(1);
    expect(content(await sqlLike.get(id))).toEqual(content(await redisLike.get(id)));
    await after.close();
  });

  it('bounds the queue: beyond it a failed copy is counted as dropped, and the write still succeeds', async () => {
    const previous = flaky(new MemoryTaskRepository());
    previous.down = true;
    const dual = new DualWriteTaskRepository(new MemoryTaskRepository(), previous, { retryQueue: new MirrorRetryQueue(1), labels, retryIntervalMs: 3_600_000 });
    await runTask(dual, 'req-x');
    await runTask(dual, 'req-y');
    expect(dual.status()).toMatchObject({ pendingCopies: 1, failedCopies: 2, droppedCopies: 1 });
    await dual.close();
  });
});
