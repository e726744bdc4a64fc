import { randomUUID } from 'node:crypto';
import { currentLine, type TaskRecord, type TaskRepository } from '@stratus/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

export interface TaskRepositoryFixture {
  readonly repository: TaskRepository;
  /** Removes what the test wrote (keys, rows) and closes connections. */
  cleanup(): Promise<void>;
}

const stateOf = (task: TaskRecord | undefined) => (task ? currentLine(task).state : undefined);

/** Asserts that `promise` rejects with an error named `name` (works across module copies). */
async function rejectsNamed(promise: Promise<unknown>, name: string): Promise<void> {
  let error: unknown;
  try {
    await promise;
  } catch (caught) {
    error = caught;
  }
  expect(error, `expected a ${name}`).toBeInstanceOf(Error);
  expect((error as Error).name).toBe(name);
}

/**
 * The behaviour every {@link TaskRepository} must have (memory, Redis, SQL, dual). `create` is called
 * before every test and `cleanup` after it; tests use unique request ids, so a shared backing store
 * is fine.
 */
export function runTaskRepositoryContract(name: string, create: () => Promise<TaskRepositoryFixture>): void {
  describe(`TaskRepository contract: ${name}`, () => {
    let fixture: TaskRepositoryFixture;
    let repo: TaskRepository;
    const requestId = (label: string) => `contract-${label}-${randomUUID()}`;

    beforeEach(async () => {
      fixture = await create();
      repo = fixture.repository;
    });
    afterEach(async () => {
      await fixture.cleanup();
    });

    it('creates a STARTED task with its request id, owner and one history line', async () => {
      const before = Date.now();
      const rid = requestId('create');
      const { task, created } = await repo.create('ORCHESTRATION', 'Initializing Orchestration Task', rid, 'node-a');
      expect(created).toBe(true);
      expect(task.id).toEqual(expect.any(String));
      expect(task.requestId).toBe(rid);
      expect(task.ownerId).toBe('node-a');
      expect(task.startTimeMs).toBeGreaterThanOrEqual(before - 1000);
      expect(task.history.map(({ phase, status, state }) => ({ phase, status, state }))).toEqual([
        { phase: 'ORCHESTRATION', status: 'Initializing Orchestration Task', state: 'STARTED' },
      ]);
      expect(task.resultObjects).toEqual([]);
      expect(task.outputs).toEqual([]);
      const read = await repo.get(task.id);
      expect(read?.id).toBe(task.id);
      expect(read?.history).toHaveLength(1);
      expect(await repo.get(`missing-${randomUUID()}`)).toBeUndefined();
    });

    it('keeps the scope a task was created with (creator, accounts, applications) on every read and on import', async () => {
      const scope = { user: 'alice', accounts: ['devacct', 'opsacct'], applications: ['shop'] };
      const { task } = await repo.create('ORCHESTRATION', 'init', requestId('scope'), 'node-a', scope);
      expect(task.scope).toEqual(scope);
      expect((await repo.get(task.id))?.scope).toEqual(scope);
      expect((await repo.listRunning()).find((t) => t.id === task.id)?.scope).toEqual(scope);
      const anonymous = await repo.create('ORCHESTRATION', 'init', requestId('scope-anon'), 'node-a', { accounts: ['devacct'], applications: [] });
      expect((await repo.get(anonymous.task.id))?.scope).toEqual({ accounts: ['devacct'], applications: [] });
      const unscoped = await repo.create('ORCHESTRATION', 'init', requestId('scope-none'), 'node-a');
      expect((await repo.get(unscoped.task.id))?.scope).toBeUndefined();
      const imported = { ...(await repo.get(task.id))!, id: `imported-${randomUUID()}`.slice(0, 36), requestId: requestId('scope-import') };
      expect(await repo.importTask(imported)).toBe(true);
      expect((await repo.get(imported.id))?.scope).toEqual(scope);
    });

    it('appends history lines in order, keeping the state unless one is given', async () => {
      const { task } = await repo.create('ORCHESTRATION', 'init', requestId('history'), 'node-a');
      await repo.appendStatus(task.id, 'DEPLOY', 'Creating server group');
      await repo.appendStatus(task.id, 'DEPLOY', 'Waiting for instances');
      const read = (await repo.get(task.id))!;
      expect(read.history.map((line) => [line.phase, line.status, line.state])).toEqual([
        ['ORCHESTRATION', 'init', 'STARTED'],
        ['DEPLOY', 'Creating server group', 'STARTED'],
        ['DEPLOY', 'Waiting for instances', 'STARTED'],
      ]);
      for (const line of read.history) expect(line.timestamp).toEqual(expect.any(Number));
    });

    it('moves through COMPLETED, FAILED and FAILED_RETRYABLE', async () => {
      const ids: Record<string, string> = {};
      for (const state of ['COMPLETED', 'FAILED', 'FAILED_RETRYABLE'] as const) {
        const { task } = await repo.create('ORCHESTRATION', 'init', requestId(state), 'node-a');
        await repo.appendStatus(task.id, 'ORCHESTRATION', `now ${state}`, state);
        ids[state] = task.id;
        const read = (await repo.get(task.id))!;
        expect(stateOf(read)).toBe(state);
        expect(currentLine(read).status).toBe(`now ${state}`);
      }
      const running = (await repo.listRunning()).map((task) => task.id);
      for (const id of Object.values(ids)) expect(running).not.toContain(id);
    });

    it('keeps a completed task immutable', async () => {
      for (const state of ['COMPLETED', 'FAILED'] as const) {
        const { task } = await repo.create('ORCHESTRATION', 'init', requestId(`immutable-${state}`), 'node-a');
        await repo.addResultObjects(task.id, [{ ok: true }]);
        await repo.appendStatus(task.id, 'ORCHESTRATION', 'done', state);
        await rejectsNamed(repo.appendStatus(task.id, 'ORCHESTRATION', 'more'), 'TaskCompletedError');
        await rejectsNamed(repo.appendStatus(task.id, 'ORCHESTRATION', 'again', 'STARTED'), 'TaskCompletedError');
        await rejectsNamed(repo.addResultObjects(task.id, [{ late: true }]), 'TaskCompletedError');
        await rejectsNamed(repo.addOutput(task.id, { phase: 'X', manifest: null, stdOut: '', stdError: '' }), 'TaskCompletedError');
        const read = (await repo.get(task.id))!;
        expect(read.history).toHaveLength(2);
        expect(read.resultObjects).toEqual([{ ok: true }]);
        expect(read.outputs).toEqual([]);
        expect(stateOf(read)).toBe(state);
      }
    });

    it('re-opens a FAILED_RETRYABLE task for a retry', async () => {
      const { task } = await repo.create('ORCHESTRATION', 'init', requestId('retry'), 'node-a');
      await repo.appendStatus(task.id, 'ORCHESTRATION', 'Orchestration failed', 'FAILED_RETRYABLE');
      await rejectsNamed(repo.addResultObjects(task.id, [{ x: 1 }]), 'TaskCompletedError');
      await repo.appendStatus(task.id, 'ORCHESTRATION', 'Re-initializing Orchestration Task', 'STARTED');
      await repo.updateOwnerId(task.id, 'node-b');
      await repo.addResultObjects(task.id, [{ second: 'try' }]);
      await repo.appendStatus(task.id, 'ORCHESTRATION', 'Orchestration completed', 'COMPLETED');
      const read = (await repo.get(task.id))!;
      expect(read.history.map((line) => line.state)).toEqual(['STARTED', 'FAILED_RETRYABLE', 'STARTED', 'COMPLETED']);
      expect(read.ownerId).toBe('node-b');
      expect(read.resultObjects).toEqual([{ second: 'try' }]);
    });

    it('stores result objects in order, nested values intact', async () => {
      const { task } = await repo.create('ORCHESTRATION', 'init', requestId('results'), 'node-a');
      const deploy = { serverGroupNames: ['us-east-1:app-v001'], deployedNamesByLocation: { 'us-east-1': ['app-v001'] }, capacity: { min: 1, max: 3 } };
      await repo.addResultObjects(task.id, [deploy]);
      await repo.addResultObjects(task.id, [
        { type: 'EXCEPTION', message: 'boom', retryable: false },
        { n: 3, empty: [], nil: null },
      ]);
      expect((await repo.get(task.id))!.resultObjects).toEqual([
        deploy,
        { type: 'EXCEPTION', message: 'boom', retryable: false },
        { n: 3, empty: [], nil: null },
      ]);
      await repo.addResultObjects(task.id, []);
      expect((await repo.get(task.id))!.resultObjects).toHaveLength(3);
    });

    it('stores outputs in order', async () => {
      const { task } = await repo.create('ORCHESTRATION', 'init', requestId('outputs'), 'node-a');
      const first = { manifest: 'deployment app', phase: 'DEPLOY_K8S_MANIFEST', stdOut: 'created', stdError: '' };
      const second = { manifest: 'service app', phase: 'DEPLOY_K8S_MANIFEST', stdOut: '', stdError: 'warning' };
      await repo.addOutput(task.id, first);
      await repo.addOutput(task.id, second);
      expect((await repo.get(task.id))!.outputs).toEqual([first, second]);
    });

    it('finds a task by client request id and does not create a second one', async () => {
      const rid = requestId('lookup');
      expect(await repo.getByClientRequestId(rid)).toBeUndefined();
      const first = await repo.create('ORCHESTRATION', 'init', rid, 'node-a');
      await repo.appendStatus(first.task.id, 'DEPLOY', 'working');
      const found = await repo.getByClientRequestId(rid);
      expect(found?.id).toBe(first.task.id);
      expect(found?.history).toHaveLength(2);
      const second = await repo.create('ORCHESTRATION', 'init', rid, 'node-b');
      expect(second.created).toBe(false);
      expect(second.task.id).toBe(first.task.id);
      expect(second.task.ownerId).toBe('node-a');
      expect(stateOf(await repo.get(first.task.id))).toBe('STARTED');
    });

    it('creates exactly one task when creates with one request id race', async () => {
      const rid = requestId('race');
      const results = await Promise.all(Array.from({ length: 5 }, (_, i) => repo.create('ORCHESTRATION', 'init', rid, `node-${i}`)));
      expect(new Set(results.map((result) => result.task.id)).size).toBe(1);
      expect(results.filter((result) => result.created)).toHaveLength(1);
      const winner = results.find((result) => result.created)!.task;
      expect((await repo.getByClientRequestId(rid))?.id).toBe(winner.id);
      expect(stateOf(await repo.get(winner.id))).toBe('STARTED');
    });

    it('lists running tasks only', async () => {
      const a = (await repo.create('ORCHESTRATION', 'init', requestId('run-a'), 'node-a')).task;
      const b = (await repo.create('ORCHESTRATION', 'init', requestId('run-b'), 'node-a')).task;
      const c = (await repo.create('ORCHESTRATION', 'init', requestId('run-c'), 'node-a')).task;
      await repo.appendStatus(b.id, 'ORCHESTRATION', 'done', 'COMPLETED');
      await repo.appendStatus(c.id, 'ORCHESTRATION', 'failed', 'FAILED');
      const running = (await repo.listRunning()).filter((task) => [a.id, b.id, c.id].includes(task.id));
      expect(running.map((task) => task.id)).toEqual([a.id]);
      expect(stateOf(running[0])).toBe('STARTED');
    });

    it('lists running tasks by owner, following ownership changes', async () => {
      const owner = `owner-${randomUUID()}`;
      const other = `other-${randomUUID()}`;
      const mine = (await repo.create('ORCHESTRATION', 'init', requestId('own-1'), owner)).task;
      const done = (await repo.create('ORCHESTRATION', 'init', requestId('own-2'), owner)).task;
      const theirs = (await repo.create('ORCHESTRATION', 'init', requestId('own-3'), other)).task;
      await repo.appendStatus(done.id, 'ORCHESTRATION', 'done', 'COMPLETED');
      expect((await repo.listByOwner(owner)).map((task) => task.id)).toEqual([mine.id]);
      await repo.updateOwnerId(theirs.id, owner);
      expect((await repo.listByOwner(owner)).map((task) => task.id).sort()).toEqual([mine.id, theirs.id].sort());
      expect(await repo.listByOwner(other)).toEqual([]);
    });

    it('loses nothing under concurrent updates to one task', async () => {
      const { task } = await repo.create('ORCHESTRATION', 'init', requestId('concurrent'), 'node-a');
      const n = 50;
      await Promise.all([
        ...Array.from({ length: n }, (_, i) => repo.appendStatus(task.id, 'WORK', `step ${i}`)),
        ...Array.from({ length: n }, (_, i) => repo.addResultObjects(task.id, [{ i }])),
        ...Array.from({ length: 10 }, (_, i) => repo.addOutput(task.id, { phase: 'WORK', manifest: `m${i}`, stdOut: '', stdError: '' })),
      ]);
      const read = (await repo.get(task.id))!;
      expect(read.history).toHaveLength(n + 1);
      expect(new Set(read.history.slice(1).map((line) => line.status))).toEqual(new Set(Array.from({ length: n }, (_, i) => `step ${i}`)));
      expect(read.resultObjects.map((object) => object.i).sort((x, y) => Number(x) - Number(y))).toEqual(Array.from({ length: n }, (_, i) => i));
      expect(read.outputs).toHaveLength(10);
      expect(stateOf(read)).toBe('STARTED');
    });

    it('never shows a completed status without the results attached before it', async () => {
      const { task } = await repo.create('ORCHESTRATION', 'init', requestId('snapshot'), 'node-a');
      let finished = false;
      const writer = (async () => {
        await repo.addResultObjects(task.id, [{ serverGroupNames: ['r1:app-v001'] }]);
        await repo.addOutput(task.id, { phase: 'DEPLOY', manifest: 'm', stdOut: '', stdError: '' });
        await repo.appendStatus(task.id, 'ORCHESTRATION', 'Orchestration completed', 'COMPLETED');
        finished = true;
      })();
      const seen: string[] = [];
      while (!finished) {
        const read = (await repo.get(task.id))!;
        seen.push(stateOf(read)!);
        if (stateOf(read) === 'COMPLETED') {
          expect(read.resultObjects).toHaveLength(1);
          expect(read.outputs).toHaveLength(1);
        }
      }
      await writer;
      const final = (await repo.get(task.id))!;
      expect(stateOf(final)).toBe('COMPLETED');
      expect(final.resultObjects).toHaveLength(1);
      expect(seen.length).toBeGreaterThan(0);
    });

    it('rejects updates to an unknown task', async () => {
      const missing = `missing-${randomUUID()}`;
      await expect(repo.appendStatus(missing, 'X', 'y')).rejects.toThrow();
      await expect(repo.addResultObjects(missing, [{ a: 1 }])).rejects.toThrow();
      await expect(repo.addOutput(missing, { phase: 'X' })).rejects.toThrow();
    });

    it('imports a task exactly as given, once per id, and lists it', async () => {
      const id = `imported-${randomUUID()}`;
      const rid = requestId('import');
      const record: TaskRecord = {
        id,
        requestId: rid,
        ownerId: 'node-old',
        startTimeMs: 1_700_000_000_000,
        history: [
          { phase: 'ORCHESTRATION', status: 'Initializing', state: 'STARTED', timestamp: 1_700_000_000_000 },
          { phase: 'DEPLOY', status: 'Deployed', state: 'COMPLETED', timestamp: 1_700_000_005_000 },
        ],
        resultObjects: [{ serverGroupNames: ['us-east-1:app-v001'], nested: { n: 1, list: [] } }],
        outputs: [{ phase: 'DEPLOY', text: 'done' }],
      };
      await expect(repo.importTask(record)).resolves.toBe(true);
      expect(await repo.get(id)).toEqual(record);
      expect((await repo.getByClientRequestId(rid))?.id).toBe(id);
      // Idempotent: a second import (a resumed migration) changes nothing and says so.
      await expect(repo.importTask({ ...record, ownerId: 'someone-else' })).resolves.toBe(false);
      expect(await repo.get(id)).toEqual(record);
      expect(await repo.listTaskIds()).toContain(id);
      // A created task to the same request id is the imported one, not a second task.
      const again = await repo.create('ORCHESTRATION', 'retry', rid, 'node-new');
      expect(again).toMatchObject({ created: false, task: { id } });
      // An imported running task is running and can be finished where it now lives.
      const runningId = `imported-${randomUUID()}`;
      await repo.importTask({ ...record, id: runningId, requestId: requestId('import-running'), history: [record.history[0]!] });
      expect((await repo.listRunning()).map((task) => task.id)).toContain(runningId);
      await repo.appendStatus(runningId, 'DEPLOY', 'finished', 'COMPLETED');
      expect(stateOf(await repo.get(runningId))).toBe('COMPLETED');
      // The lease and checkpoint travel with the task, so a migrated running task can still be resumed.
      const leasedId = `imported-${randomUUID()}`;
      const checkpoint = {
        request: { cloudProvider: 'synthetic', body: [{ createServerGroup: { account: 'prod' } }] },
        operation: 0,
        results: [],
        steps: { 'create:r1': 'app-v001' },
      };
      const leased: TaskRecord = {
        ...record,
        id: leasedId,
        requestId: requestId('import-leased'),
        history: [record.history[0]!],
        leaseRenewedAtMs: 1_700_000_001_000,
        checkpoint,
      };
      await repo.importTask(leased);
      expect(await repo.get(leasedId)).toEqual(leased);
    });

    it('refuses to import a task whose request id belongs to another task', async () => {
      const rid = requestId('import-conflict');
      const { task } = await repo.create('ORCHESTRATION', 'Initializing', rid, 'node-a');
      const other = { ...task, id: `imported-${randomUUID()}` };
      await rejectsNamed(repo.importTask(other), 'TaskConflictError');
      expect(await repo.get(other.id)).toBeUndefined();
      expect((await repo.getByClientRequestId(rid))?.id).toBe(task.id);
      const ids = await repo.listTaskIds();
      expect(ids).toContain(task.id);
      expect(ids).toEqual([...ids].sort());
    });

    it('starts a lease at create and renews it only for the running owner', async () => {
      const { task } = await repo.create('ORCHESTRATION', 'init', requestId('lease'), 'node-a');
      const created = (await repo.get(task.id))!;
      expect(created.leaseRenewedAtMs).toEqual(expect.any(Number));
      await new Promise((resolve) => setTimeout(resolve, 5));
      expect(await repo.renewLease(task.id, 'node-a')).toBe(true);
      const renewed = (await repo.get(task.id))!;
      expect(renewed.leaseRenewedAtMs!).toBeGreaterThan(created.leaseRenewedAtMs!);
      expect(await repo.renewLease(task.id, 'node-b')).toBe(false);
      expect(await repo.renewLease(`missing-${randomUUID()}`, 'node-a')).toBe(false);
      await repo.appendStatus(task.id, 'ORCHESTRATION', 'done', 'COMPLETED');
      expect(await repo.renewLease(task.id, 'node-a')).toBe(false);
    });

    it('lets exactly one replica take over a task whose lease it observed, and fences the old owner out', async () => {
      const { task } = await repo.create('ORCHESTRATION', 'init', requestId('takeover'), 'node-a');
      const observed = (await repo.get(task.id))!;
      const expected = { ownerId: observed.ownerId, leaseRenewedAtMs: observed.leaseRenewedAtMs };
      const outcomes = await Promise.all(['node-b', 'node-c', 'node-d'].map((node) => repo.takeOver(task.id, expected, node)));
      expect(outcomes.filter(Boolean)).toHaveLength(1);
      const winner = ['node-b', 'node-c', 'node-d'][outcomes.indexOf(true)]!;
      const taken = (await repo.get(task.id))!;
      expect(taken.ownerId).toBe(winner);
      expect(await repo.renewLease(task.id, 'node-a')).toBe(false);
      await rejectsNamed(repo.appendStatus(task.id, 'DEPLOY', 'late write', undefined, 'node-a'), 'TaskLeaseLostError');
      await rejectsNamed(repo.addResultObjects(task.id, [{ late: true }], 'node-a'), 'TaskLeaseLostError');
      await rejectsNamed(repo.addOutput(task.id, { late: true }, 'node-a'), 'TaskLeaseLostError');
      await rejectsNamed(repo.saveCheckpoint(task.id, { request: { body: [] }, operation: 1, results: [], steps: {} }, 'node-a'), 'TaskLeaseLostError');
      await repo.appendStatus(task.id, 'DEPLOY', 'new owner writes', undefined, winner);
      const read = (await repo.get(task.id))!;
      expect(read.history.map((line) => line.status)).toEqual(['init', 'new owner writes']);
      expect(read.resultObjects).toEqual([]);
      expect(read.outputs).toEqual([]);
    });

    it('refuses a takeover when the owner renewed since it was observed, or the task is not running', async () => {
      const { task } = await repo.create('ORCHESTRATION', 'init', requestId('takeover-stale'), 'node-a');
      const observed = (await repo.get(task.id))!;
      await new Promise((resolve) => setTimeout(resolve, 5));
      expect(await repo.renewLease(task.id, 'node-a')).toBe(true);
      expect(await repo.takeOver(task.id, { ownerId: 'node-a', leaseRenewedAtMs: observed.leaseRenewedAtMs }, 'node-b')).toBe(false);
      const current = (await repo.get(task.id))!;
      expect(await repo.takeOver(task.id, { ownerId: 'node-x', leaseRenewedAtMs: current.leaseRenewedAtMs }, 'node-b')).toBe(false);
      await repo.appendStatus(task.id, 'ORCHESTRATION', 'done', 'COMPLETED');
      expect(await repo.takeOver(task.id, { ownerId: 'node-a', leaseRenewedAtMs: current.leaseRenewedAtMs }, 'node-b')).toBe(false);
      expect((await repo.get(task.id))!.ownerId).toBe('node-a');
    });

    it('stores the checkpoint of a running task, replacing the previous one', async () => {
      const { task } = await repo.create('ORCHESTRATION', 'init', requestId('checkpoint'), 'node-a');
      expect((await repo.get(task.id))!.checkpoint).toBeUndefined();
      const request = { cloudProvider: 'synthetic', body: [{ createServerGroup: { account: 'prod', nested: { list: [1, 'two'] } } }], user: 'alice' };
      await repo.saveCheckpoint(task.id, { request, operation: 0, results: [], steps: {} }, 'node-a');
      await repo.saveCheckpoint(task.id, { request, operation: 1, results: [{ a: 1 }], steps: { 'create:us-east-1': { name: 'app-v001' } } });
      const read = (await repo.get(task.id))!;
      expect(read.checkpoint).toEqual({ request, operation: 1, results: [{ a: 1 }], steps: { 'create:us-east-1': { name: 'app-v001' } } });
      expect((await repo.getByClientRequestId(task.requestId))!.checkpoint?.operation).toBe(1);
      expect((await repo.listRunning()).find((running) => running.id === task.id)?.checkpoint?.operation).toBe(1);
      await repo.appendStatus(task.id, 'ORCHESTRATION', 'done', 'COMPLETED', 'node-a');
      await rejectsNamed(repo.saveCheckpoint(task.id, { request, operation: 2, results: [], steps: {} }, 'node-a'), 'TaskCompletedError');
    });

    it('restarts the lease when the owner changes', async () => {
      const { task } = await repo.create('ORCHESTRATION', 'init', requestId('owner-lease'), 'node-a');
      const before = (await repo.get(task.id))!.leaseRenewedAtMs!;
      await new Promise((resolve) => setTimeout(resolve, 5));
      await repo.updateOwnerId(task.id, 'node-b');
      const after = (await repo.get(task.id))!;
      expect(after.ownerId).toBe('node-b');
      expect(after.leaseRenewedAtMs!).toBeGreaterThan(before);
      expect(await repo.renewLease(task.id, 'node-b')).toBe(true);
    });

    it('answers ping', async () => {
      await expect(repo.ping()).resolves.toBeUndefined();
    });
  });
}
