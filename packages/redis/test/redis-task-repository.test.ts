import { randomUUID } from 'node:crypto';
import { runTaskRepositoryContract } from '@stratus/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { RedisTaskRepository } from '../src/index.js';
import { dropPrefix, testClient, testPrefix } from './redis-test-support.js';

const contractPrefix = testPrefix('tasks-contract');
const contractAdmin = testClient();
afterAll(() => dropPrefix(contractAdmin, contractPrefix));

runTaskRepositoryContract('redis', async () => {
  const redis = testClient();
  const repository = new RedisTaskRepository(redis, { keyPrefix: contractPrefix, ownsConnection: true });
  return { repository, cleanup: () => repository.close() };
});

describe('RedisTaskRepository specifics', () => {
  const prefix = testPrefix('tasks');
  const admin = testClient();
  afterAll(() => dropPrefix(admin, prefix));
  const open = (options: { completedRetentionMs?: number } = {}) =>
    new RedisTaskRepository(testClient(), { keyPrefix: prefix, ownsConnection: true, ...options });

  it('tasks survive a restart (a new repository on a new connection reads them)', async () => {
    const first = open();
    const rid = `restart-${randomUUID()}`;
    const { task } = await first.create('ORCHESTRATION', 'init', rid, 'node-a');
    await first.addResultObjects(task.id, [{ serverGroupNames: ['r:app-v001'] }]);
    await first.close();
    const second = open();
    const read = await second.getByClientRequestId(rid);
    expect(read?.id).toBe(task.id);
    expect(read?.resultObjects).toEqual([{ serverGroupNames: ['r:app-v001'] }]);
    expect((await second.listRunning()).map((t) => t.id)).toContain(task.id);
    await second.close();
  });

  it('two servers racing on one clientRequestId get one task', async () => {
    const servers = [open(), open()];
    const rid = `race-${randomUUID()}`;
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => servers[i % 2]!.create('ORCHESTRATION', 'init', rid, `node-${i % 2}`)));
    expect(new Set(results.map((result) => result.task.id)).size).toBe(1);
    expect(results.filter((result) => result.created)).toHaveLength(1);
    for (const server of servers) await server.close();
  });

  it('completed tasks expire after the retention; running tasks never do', async () => {
    const repo = open({ completedRetentionMs: 300 });
    const done = (await repo.create('ORCHESTRATION', 'init', `ret-${randomUUID()}`, 'n')).task;
    const running = (await repo.create('ORCHESTRATION', 'init', `ret-${randomUUID()}`, 'n')).task;
    await repo.addOutput(done.id, { phase: 'X' });
    await repo.appendStatus(done.id, 'ORCHESTRATION', 'done', 'COMPLETED');
    expect(await admin.pttl(`${prefix}:taskOutput:${done.id}`)).toBeGreaterThan(0);
    expect(await admin.pttl(`${prefix}:task:${running.id}`)).toBe(-1);
    await new Promise((resolve) => setTimeout(resolve, 450));
    expect(await repo.get(done.id)).toBeUndefined();
    expect(await repo.getByClientRequestId(done.requestId)).toBeUndefined();
    expect((await repo.get(running.id))?.id).toBe(running.id);
    // The request id is free again once its task is gone.
    const again = await repo.create('ORCHESTRATION', 'init', done.requestId, 'n');
    expect(again.created).toBe(true);
    await repo.close();
  });

  it('a re-opened retryable task is no longer subject to retention', async () => {
    const repo = open({ completedRetentionMs: 60_000 });
    const { task } = await repo.create('ORCHESTRATION', 'init', `reopen-${randomUUID()}`, 'n');
    await repo.appendStatus(task.id, 'ORCHESTRATION', 'failed', 'FAILED_RETRYABLE');
    expect(await admin.pttl(`${prefix}:task:${task.id}`)).toBeGreaterThan(0);
    await repo.appendStatus(task.id, 'ORCHESTRATION', 'retry', 'STARTED');
    expect(await admin.pttl(`${prefix}:task:${task.id}`)).toBe(-1);
    expect(await admin.pttl(`${prefix}:taskmap:${task.requestId}`)).toBe(-1);
    expect((await repo.listRunning()).map((t) => t.id)).toContain(task.id);
    await repo.close();
  });
});
