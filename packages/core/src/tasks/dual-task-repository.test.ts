import { runTaskRepositoryContract } from '@stratus/testing';
import { describe, expect, it } from 'vitest';
import { DualTaskRepository } from './dual-task-repository.js';
import { MemoryTaskRepository } from './memory-task-repository.js';
import { currentLine } from './task.js';
import type { TaskRepository } from './task-repository.js';

runTaskRepositoryContract('dual(memory<-memory)', async () => ({
  repository: new DualTaskRepository(new MemoryTaskRepository(), new MemoryTaskRepository()),
  cleanup: async () => {},
}));

/** A previous repository that never answers, as a store that went away would. */
function hanging(): TaskRepository {
  const never = () => new Promise<never>(() => {});
  return {
    kind: 'hanging',
    create: never,
    get: never,
    getByClientRequestId: never,
    listRunning: never,
    listByOwner: never,
    appendStatus: never,
    addResultObjects: never,
    addOutput: never,
    updateOwnerId: never,
    importTask: never,
    listTaskIds: never,
    renewLease: never,
    takeOver: never,
    saveCheckpoint: never,
    ping: never,
    close: async () => {},
  };
}

describe('DualTaskRepository imports', () => {
  it('imports into primary, never duplicating a task or request id the previous store holds', async () => {
    const primary = new MemoryTaskRepository();
    const previous = new MemoryTaskRepository();
    const dual = new DualTaskRepository(primary, previous);
    const old = (await previous.create('ORCHESTRATION', 'init', 'req-import-old', 'node-old')).task;
    expect(await dual.importTask(old)).toBe(false);
    expect(await primary.get(old.id)).toBeUndefined();
    await expect(dual.importTask({ ...old, id: 'other-id' })).rejects.toMatchObject({ name: 'TaskConflictError' });
    const fresh = { ...old, id: 'fresh-id', requestId: 'req-import-new' };
    expect(await dual.importTask(fresh)).toBe(true);
    expect(await primary.get('fresh-id')).toEqual(fresh);
    expect(await dual.listTaskIds()).toEqual([old.id, 'fresh-id'].sort());
  });

  it('lists primary ids when previous hangs', async () => {
    const primary = new MemoryTaskRepository();
    const dual = new DualTaskRepository(primary, hanging(), { previousTimeoutMs: 50 });
    const { task } = await dual.create('ORCHESTRATION', 'init', 'req-hang-list', 'node');
    expect(await dual.listTaskIds()).toEqual([task.id]);
  });
});

describe('DualTaskRepository migration', () => {
  it('reads through to previous, keeps updating a task where it lives, and merges lists', async () => {
    const primary = new MemoryTaskRepository();
    const previous = new MemoryTaskRepository();
    const old = (await previous.create('ORCHESTRATION', 'init', 'req-old', 'node-old')).task;
    const dual = new DualTaskRepository(primary, previous);

    expect((await dual.get(old.id))?.id).toBe(old.id);
    const again = await dual.create('ORCHESTRATION', 'init', 'req-old', 'node-new');
    expect(again).toMatchObject({ created: false, task: { id: old.id } });

    await dual.addResultObjects(old.id, [{ finished: 'where it began' }]);
    await dual.appendStatus(old.id, 'ORCHESTRATION', 'done', 'COMPLETED');
    expect(await primary.get(old.id)).toBeUndefined();
    expect(currentLine((await previous.get(old.id))!).state).toBe('COMPLETED');
    expect((await previous.get(old.id))!.resultObjects).toEqual([{ finished: 'where it began' }]);

    const fresh = await dual.create('ORCHESTRATION', 'init', 'req-new', 'node-new');
    expect(fresh.created).toBe(true);
    expect(await primary.get(fresh.task.id)).toBeDefined();
    const stillRunning = (await previous.create('ORCHESTRATION', 'init', 'req-old-2', 'node-new')).task;
    expect((await dual.listRunning()).map((task) => task.id).sort()).toEqual([fresh.task.id, stillRunning.id].sort());
    expect((await dual.listByOwner('node-new')).map((task) => task.id).sort()).toEqual([fresh.task.id, stillRunning.id].sort());
  });

  it('keeps working on primary when previous hangs', async () => {
    const primary = new MemoryTaskRepository();
    const dual = new DualTaskRepository(primary, hanging(), { previousTimeoutMs: 20 });
    const { task, created } = await dual.create('ORCHESTRATION', 'init', 'req-1', 'node');
    expect(created).toBe(true);
    expect((await dual.get(task.id))?.id).toBe(task.id);
    expect(await dual.get('unknown')).toBeUndefined();
    expect((await dual.listRunning()).map((t) => t.id)).toEqual([task.id]);
    await dual.appendStatus(task.id, 'ORCHESTRATION', 'done', 'COMPLETED');
    expect(currentLine((await primary.get(task.id))!).state).toBe('COMPLETED');
    await expect(dual.ping()).resolves.toBeUndefined();
  });
});
