import { runTaskRepositoryContract } from '@stratus/testing';
import { describe, expect, it } from 'vitest';
import { MemoryTaskRepository } from './memory-task-repository.js';

runTaskRepositoryContract('memory', async () => ({ repository: new MemoryTaskRepository(), cleanup: async () => {} }));

describe('MemoryTaskRepository', () => {
  it('hands out snapshots that later updates do not change', async () => {
    const repo = new MemoryTaskRepository();
    const { task } = await repo.create('ORCHESTRATION', 'init', 'snap', 'node');
    await repo.addResultObjects(task.id, [{ nested: { n: 1 } }]);
    const before = (await repo.get(task.id))!;
    await repo.appendStatus(task.id, 'X', 'later');
    await repo.addResultObjects(task.id, [{ more: true }]);
    (before.resultObjects[0]!.nested as { n: number }).n = 99;
    expect(before.history).toHaveLength(1);
    expect(before.resultObjects).toHaveLength(1);
    expect((await repo.get(task.id))!.resultObjects[0]).toEqual({ nested: { n: 1 } });
  });
});
