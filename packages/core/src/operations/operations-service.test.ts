import {
  RetryableOperationError,
  silentLogger,
  type AccountCredentials,
  type AtomicOperation,
  type OperationContext,
  type OperationDefinition,
} from '@stratus/plugin-api';
import { describe, expect, it } from 'vitest';
import type { AccountLookup } from '../security/account-lookup.js';
import { NOOP_METRICS } from '../metrics/metrics-registry.js';
import { OPEN_ACCESS, type CallerAccess } from '../security/caller-access.js';
import { MemoryTaskRepository } from '../tasks/memory-task-repository.js';
import { currentLine } from '../tasks/task.js';
import { renderTask } from '../tasks/task-json.js';
import {
  InvalidOperationPayloadError,
  OperationAccessDeniedError,
  OperationValidationError,
  TaskNotResumableError,
  TaskNotRetryableError,
  UnknownOperationError,
} from './operation-errors.js';
import { OperationRegistry } from './operation-registry.js';
import { OperationsService, OperationsShuttingDownError } from './operations-service.js';

interface ResizeDescription {
  credentials: string;
  serverGroupName: string;
  capacity: { min: number; max: number; desired: number };
}

const accounts: AccountLookup = {
  get: (name) => (['prod', 'staging'].includes(name) ? ({ name, cloudProvider: 'test' } as AccountCredentials) : undefined),
  all: () => [],
};

/** Operations whose behaviour the tests steer; every call is recorded. */
function fixture() {
  const calls: { op: string; priorOutputs: unknown[]; context: OperationContext }[] = [];
  const behaviour: { fail?: Error; failTimes?: number; gate?: Promise<void> | undefined } = {};
  const op = (name: string, result: (prior: readonly unknown[]) => unknown): AtomicOperation => ({
    async operate(priorOutputs, context) {
      calls.push({ op: name, priorOutputs: [...priorOutputs], context });
      await behaviour.gate;
      if (behaviour.fail && (behaviour.failTimes ?? Infinity) > 0) {
        behaviour.failTimes = (behaviour.failTimes ?? Infinity) - 1;
        throw behaviour.fail;
      }
      return result(priorOutputs);
    },
  });
  const resize: OperationDefinition<ResizeDescription> = {
    name: 'resizeServerGroup',
    converter: {
      convertDescription: (input) => input as unknown as ResizeDescription,
      convertOperation: (d) => op('resizeServerGroup', () => ({ resized: d.serverGroupName, capacity: d.capacity })),
    },
    validator: {
      validate(d, errors) {
        if (!d.serverGroupName) errors.reject('serverGroupName', 'empty', 'serverGroupName is required');
        if (!d.capacity) errors.reject('capacity', 'empty', 'capacity is required');
        else if (d.capacity.min > d.capacity.max) errors.reject('capacity.min', 'invalid', 'min must not exceed max');
      },
    },
  };
  const deploy: OperationDefinition = {
    name: 'createServerGroup',
    converter: {
      convertDescription: (input) => input,
      convertOperation: () => op('createServerGroup', async () => ({ serverGroupNames: ['r1:app-v001'] })),
    },
  };
  const tag: OperationDefinition = {
    name: 'upsertServerGroupTags',
    converter: {
      convertDescription: (input) => {
        if (typeof input.tags !== 'object') throw Object.assign(new Error('tags must be an object'), { field: 'tags' });
        return input;
      },
      convertOperation: () => op('upsertServerGroupTags', (prior) => ({ taggedAfter: prior.length })),
    },
    accountsOf: (d: { accounts: string[] }) => d.accounts ?? [],
  };
  const registry = new OperationRegistry();
  registry.register('test', resize);
  registry.register('test', deploy);
  registry.register('test', tag);
  registry.register('other', { ...deploy });
  const repository = new MemoryTaskRepository();
  const service = new OperationsService(registry, repository, accounts, 'node-1', silentLogger, NOOP_METRICS);
  return { service, repository, registry, calls, behaviour };
}

const resizeInput = (extra: Record<string, unknown> = {}) => ({
  credentials: 'prod',
  serverGroupName: 'app-v001',
  capacity: { min: 1, max: 3, desired: 2 },
  ...extra,
});

const caught = async (promise: Promise<unknown>): Promise<Error> => {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
};

describe('OperationsService', () => {
  it('returns the task at once and completes it with the result attached before completion', async () => {
    const { service, repository } = fixture();
    const order: string[] = [];
    const appendStatus = repository.appendStatus.bind(repository);
    const addResultObjects = repository.addResultObjects.bind(repository);
    repository.appendStatus = async (id, phase, status, state) => {
      order.push(`status:${state ?? 'same'}`);
      return appendStatus(id, phase, status, state);
    };
    repository.addResultObjects = async (id, objects) => {
      order.push(`results:${objects.length}`);
      return addResultObjects(id, objects);
    };
    const started = await service.submit({ cloudProvider: 'test', body: [{ resizeServerGroup: resizeInput() }], access: OPEN_ACCESS });
    expect(started.resourceUri).toBe(`/task/${started.id}`);
    const task = (await service.waitFor(started.id))!;
    expect(currentLine(task).state).toBe('COMPLETED');
    expect(task.resultObjects).toEqual([{ resized: 'app-v001', capacity: { min: 1, max: 3, desired: 2 } }]);
    expect(task.history.map((line) => line.status)).toEqual([
      'Initializing Orchestration Task',
      'Processing op: resizeServerGroup',
      'Orchestration completed.',
    ]);
    expect(order).toEqual(['status:same', 'results:1', 'status:COMPLETED']);
    expect(task.ownerId).toBe('node-1');
  });

  it('lets other work run between the operations of one task, even when every operation finishes at once', async () => {
    const { service, calls } = fixture();
    // A ticker on the event loop's check phase: without a yield between operations, all of them
    // run in one turn and the ticker sees the count jump from 0 to 6.
    const seen: number[] = [];
    let ticking = true;
    const tick = () => {
      seen.push(calls.length);
      if (ticking) setImmediate(tick);
    };
    setImmediate(tick);
    const { id } = await service.submit({
      cloudProvider: 'test',
      body: Array.from({ length: 6 }, () => ({ resizeServerGroup: resizeInput() })),
      access: OPEN_ACCESS,
    });
    const task = (await service.waitFor(id))!;
    ticking = false;
    expect(currentLine(task).state).toBe('COMPLETED');
    for (let done = 1; done < 6; done++) expect(seen).toContain(done);
  });

  it('runs operations sequentially, each with the results before it', async () => {
    const { service, calls } = fixture();
    const { id } = await service.submit({
      cloudProvider: 'test',
      body: [{ createServerGroup: { credentials: 'prod' } }, { upsertServerGroupTags: { accounts: ['prod'], tags: {} } }, { resizeServerGroup: resizeInput() }],
      access: OPEN_ACCESS,
    });
    const task = (await service.waitFor(id))!;
    expect(calls.map((call) => [call.op, call.priorOutputs.length])).toEqual([
      ['createServerGroup', 0],
      ['upsertServerGroupTags', 1],
      ['resizeServerGroup', 2],
    ]);
    expect(calls[1]!.priorOutputs).toEqual([{ serverGroupNames: ['r1:app-v001'] }]);
    expect(task.resultObjects).toHaveLength(3);
    expect(task.resultObjects[1]).toEqual({ taggedAfter: 1 });
  });

  it('records a failure as an EXCEPTION result and a FAILED task, stopping later operations', async () => {
    const { service, calls, behaviour } = fixture();
    behaviour.fail = new TypeError('capacity service unavailable');
    const { id } = await service.submit({
      cloudProvider: 'test',
      body: [{ resizeServerGroup: resizeInput() }, { createServerGroup: { credentials: 'prod' } }],
      access: OPEN_ACCESS,
    });
    const task = (await service.waitFor(id))!;
    expect(calls).toHaveLength(1);
    expect(currentLine(task)).toMatchObject({
      state: 'FAILED',
      status: 'Orchestration failed: resizeServerGroup | TypeError: [capacity service unavailable]',
    });
    expect(task.resultObjects).toEqual([
      { type: 'EXCEPTION', operation: 'resizeServerGroup', cause: 'TypeError', message: 'capacity service unavailable', retryable: false },
    ]);
    await expect(service.resume(id, OPEN_ACCESS)).rejects.toBeInstanceOf(TaskNotRetryableError);
  });

  it('lets operations log progress and outputs through their task', async () => {
    const registry = new OperationRegistry();
    registry.register('test', {
      name: 'deployManifest',
      converter: {
        convertDescription: (input) => input,
        convertOperation: () => ({
          async operate(_prior, context) {
            await context.task.updateStatus('DEPLOY_K8S_MANIFEST', 'Deploying manifest');
            await context.task.addOutput({ manifest: 'deployment app', phase: 'DEPLOY_K8S_MANIFEST', stdOut: 'ok', stdError: '' });
            return { user: context.user, account: context.account('prod')?.name, aborted: context.signal.aborted };
          },
        }),
      },
    });
    const repository = new MemoryTaskRepository();
    const service = new OperationsService(registry, repository, accounts, 'node-1', silentLogger, NOOP_METRICS);
    const { id } = await service.submit({
      cloudProvider: 'test',
      operationName: 'deployManifest',
      body: { account: 'prod' },
      access: { ...OPEN_ACCESS, user: 'alice' },
    });
    const task = (await service.waitFor(id))!;
    expect(task.history.map((line) => line.phase)).toContain('DEPLOY_K8S_MANIFEST');
    expect(task.outputs).toEqual([{ manifest: 'deployment app', phase: 'DEPLOY_K8S_MANIFEST', stdOut: 'ok', stdError: '' }]);
    expect(task.resultObjects).toEqual([{ user: 'alice', account: 'prod', aborted: false }]);
  });

  it('returns the existing task for a known clientRequestId without running again', async () => {
    const { service, calls, repository } = fixture();
    const request = { cloudProvider: 'test', body: [{ resizeServerGroup: resizeInput() }], clientRequestId: 'req-1', access: OPEN_ACCESS };
    const [first, second] = await Promise.all([service.submit(request), service.submit(request)]);
    expect(second.id).toBe(first.id);
    await service.waitFor(first.id);
    const third = await service.submit(request);
    expect(third.id).toBe(first.id);
    await service.waitFor(first.id);
    expect(calls).toHaveLength(1);
    expect((await repository.getByClientRequestId('anon;req-1'))?.id).toBe(first.id);
    expect(renderTask((await repository.get(first.id))!).requestId).toBe('req-1');
  });

  it('re-runs a FAILED_RETRYABLE task under the same task, by clientRequestId and by resume', async () => {
    const { service, calls, behaviour } = fixture();
    behaviour.fail = new RetryableOperationError('throttled');
    behaviour.failTimes = 2;
    const request = { cloudProvider: 'test', body: [{ resizeServerGroup: resizeInput() }], clientRequestId: 'req-retry', access: OPEN_ACCESS };
    const { id } = await service.submit(request);
    let task = (await service.waitFor(id))!;
    expect(currentLine(task).state).toBe('FAILED_RETRYABLE');
    expect(task.resultObjects[0]).toMatchObject({ type: 'EXCEPTION', retryable: true, cause: 'RetryableOperationError' });

    expect((await service.submit(request)).id).toBe(id);
    task = (await service.waitFor(id))!;
    expect(currentLine(task).state).toBe('FAILED_RETRYABLE');

    expect((await service.resume(id, OPEN_ACCESS)).id).toBe(id);
    task = (await service.waitFor(id))!;
    expect(currentLine(task).state).toBe('COMPLETED');
    expect(calls).toHaveLength(3);
    expect(task.history.filter((line) => line.status === 'Re-initializing Orchestration Task')).toHaveLength(2);
    expect(task.resultObjects.at(-1)).toEqual({ resized: 'app-v001', capacity: { min: 1, max: 3, desired: 2 } });
    await expect(service.resume('nope', OPEN_ACCESS)).rejects.toBeInstanceOf(TaskNotResumableError);
  });

  it('rejects invalid descriptions naming every bad field, and creates no task', async () => {
    const { service, repository, calls } = fixture();
    const error = await caught(
      service.submit({
        cloudProvider: 'test',
        body: [
          { resizeServerGroup: { credentials: 'prod' } },
          { resizeServerGroup: resizeInput({ capacity: { min: 5, max: 1, desired: 1 } }) },
          { upsertServerGroupTags: { tags: 'x' } },
          { createServerGroup: { credentials: 'nowhere' } },
        ],
        clientRequestId: 'req-invalid',
        access: OPEN_ACCESS,
      }),
    );
    expect(error).toBeInstanceOf(OperationValidationError);
    expect((error as OperationValidationError).errors).toEqual([
      'serverGroupName: serverGroupName is required',
      'capacity: capacity is required',
      'capacity.min: min must not exceed max',
      'tags: tags must be an object',
      "credentials: account 'nowhere' is not configured",
    ]);
    expect((error as OperationValidationError).fieldErrors.map((e) => e.index)).toEqual([0, 0, 1, 2, 3]);
    expect(await repository.getByClientRequestId('req-invalid')).toBeUndefined();
    expect(await repository.listRunning()).toEqual([]);
    expect(calls).toEqual([]);
  });

  it('reports each issue of a schema error thrown by a converter as its own field', async () => {
    const { service, registry } = fixture();
    registry.register('test', {
      name: 'schemaOp',
      converter: {
        convertDescription: () => {
          throw Object.assign(new Error('schema failed'), {
            issues: [
              { path: ['capacity', 'min'], code: 'invalid_type', message: 'expected number' },
              { path: [], code: 'custom', message: 'region or zone required' },
            ],
          });
        },
        convertOperation: () => ({ operate: async () => undefined }),
      },
    });
    const error = await caught(service.submit({ cloudProvider: 'test', body: [{ schemaOp: {} }], access: OPEN_ACCESS }));
    expect((error as OperationValidationError).errors).toEqual(['capacity.min: expected number', 'schemaOp: region or zone required']);
  });

  it('rejects unknown operations and malformed payloads before anything else', async () => {
    const { service, repository } = fixture();
    const unknown = await caught(service.submit({ cloudProvider: 'test', body: [{ explode: {} }, { resizeServerGroup: {} }], access: OPEN_ACCESS }));
    expect(unknown).toBeInstanceOf(UnknownOperationError);
    expect((unknown as UnknownOperationError).errors).toEqual(['explode: no operation named explode for cloud provider test']);
    const disabled = await caught(service.submit({ cloudProvider: 'aws', body: [{ resizeServerGroup: {} }], access: OPEN_ACCESS }));
    expect((disabled as UnknownOperationError).errors).toEqual(['resizeServerGroup: cloud provider aws is not enabled on this server']);
    const malformed = await caught(service.submit({ cloudProvider: 'test', body: [{ a: {}, b: {} }, 'x', { resizeServerGroup: 3 }], access: OPEN_ACCESS }));
    expect(malformed).toBeInstanceOf(InvalidOperationPayloadError);
    expect((malformed as InvalidOperationPayloadError).errors).toHaveLength(3);
    expect(await caught(service.submit({ cloudProvider: 'test', body: [], access: OPEN_ACCESS }))).toBeInstanceOf(InvalidOperationPayloadError);
    expect(await repository.listRunning()).toEqual([]);
  });

  it('answers 403 without a task when the caller cannot WRITE an account', async () => {
    const { service, repository, calls } = fixture();
    const readOnly: CallerAccess = { user: 'bob', roles: [], canReadAccount: () => true, canWriteAccount: (account) => account !== 'prod' };
    const error = await caught(
      service.submit({
        cloudProvider: 'test',
        body: [{ createServerGroup: { account: 'staging' } }, { upsertServerGroupTags: { accounts: ['staging', 'prod'], tags: {} } }],
        clientRequestId: 'req-denied',
        access: readOnly,
      }),
    );
    expect(error).toBeInstanceOf(OperationAccessDeniedError);
    expect((error as OperationAccessDeniedError).status).toBe(403);
    expect((error as OperationAccessDeniedError).accounts).toEqual(['prod']);
    expect(error.message).toContain('bob');
    expect(await repository.getByClientRequestId('req-denied')).toBeUndefined();
    expect(calls).toEqual([]);
  });

  it('serves the legacy POST /ops with the cloud provider taken from each description', async () => {
    const { service, calls } = fixture();
    const { id } = await service.submit({ body: [{ resizeServerGroup: resizeInput() }], access: OPEN_ACCESS });
    await service.waitFor(id);
    expect(calls.map((call) => call.op)).toEqual(['resizeServerGroup']);
    const ambiguous = await caught(service.submit({ body: [{ createServerGroup: { credentials: 'prod' } }], access: OPEN_ACCESS }));
    expect(ambiguous).toBeInstanceOf(UnknownOperationError);
    expect(ambiguous.message).toContain('other, test');
    const { id: explicit } = await service.submit({ body: [{ createServerGroup: { credentials: 'prod', cloudProvider: 'other' } }], access: OPEN_ACCESS });
    expect(currentLine((await service.waitFor(explicit))!).state).toBe('COMPLETED');
  });

  it('marks a running task failed and restarts it under its request id', async () => {
    const { service, behaviour, calls } = fixture();
    let open!: () => void;
    behaviour.gate = new Promise<void>((resolve) => (open = resolve));
    const { id } = await service.submit({ cloudProvider: 'test', body: [{ resizeServerGroup: resizeInput() }], access: OPEN_ACCESS });
    expect(currentLine(await service.markFailed(id, true, OPEN_ACCESS)).state).toBe('FAILED_RETRYABLE');
    await expect(service.markFailed(id, false, OPEN_ACCESS)).rejects.toMatchObject({ name: 'TaskNotRunningError', status: 409 });
    open();
    behaviour.gate = undefined;
    expect(currentLine((await service.waitFor(id))!).state).toBe('FAILED_RETRYABLE');
    expect((await service.restart(id, 'test', [{ resizeServerGroup: resizeInput() }], OPEN_ACCESS)).id).toBe(id);
    const task = (await service.waitFor(id))!;
    expect(currentLine(task).state).toBe('COMPLETED');
    expect(calls).toHaveLength(2);
    await expect(service.restart(id, 'test', [{ resizeServerGroup: resizeInput() }], OPEN_ACCESS)).rejects.toBeInstanceOf(TaskNotRetryableError);
  });

  it('drains running tasks on shutdown and refuses new ones', async () => {
    const { service, behaviour } = fixture();
    let open!: () => void;
    behaviour.gate = new Promise<void>((resolve) => (open = resolve));
    const { id } = await service.submit({ cloudProvider: 'test', body: [{ resizeServerGroup: resizeInput() }], access: OPEN_ACCESS });
    expect(service.runningTaskIds()).toEqual([id]);
    expect(await service.drain(10)).toBe(false);
    await expect(service.submit({ cloudProvider: 'test', body: [{ resizeServerGroup: resizeInput() }], access: OPEN_ACCESS })).rejects.toBeInstanceOf(
      OperationsShuttingDownError,
    );
    open();
    expect(await service.drain(5_000)).toBe(true);
    expect(service.runningTaskIds()).toEqual([]);
  });
});

describe('OperationRegistry', () => {
  it('finds versioned operations and refuses duplicates', () => {
    const registry = new OperationRegistry();
    const plain: OperationDefinition = {
      name: 'deployManifest',
      converter: { convertDescription: (i) => i, convertOperation: () => ({ operate: async () => 1 }) },
    };
    const v2: OperationDefinition = { ...plain, name: 'deployManifest@v2' };
    registry.register('kubernetes', plain);
    registry.register('kubernetes', v2);
    expect(registry.find('kubernetes', 'deployManifest')).toBe(plain);
    expect(registry.find('kubernetes', 'deployManifest@v2')).toBe(v2);
    expect(registry.find('kubernetes', 'deployManifest@v3')).toBe(plain);
    expect(registry.find('aws', 'deployManifest')).toBeUndefined();
    expect(() => registry.register('kubernetes', plain)).toThrow(/already registered/);
    expect(registry.operationNames()).toEqual(['deployManifest']);
  });

  describe('authorization and limits', () => {
    const team = (user: string, accountsAllowed: string[]): CallerAccess => ({
      user,
      roles: [],
      canReadAccount: (account) => accountsAllowed.includes(account),
      canWriteAccount: (account) => accountsAllowed.includes(account),
    });

    it('records who created a task and what it touches', async () => {
      const { service, repository } = fixture();
      const { id } = await service.submit({ cloudProvider: 'test', body: [{ resizeServerGroup: resizeInput() }], access: team('dave', ['prod']) });
      expect((await service.waitFor(id))!.scope).toEqual({ user: 'dave', accounts: ['prod'], applications: ['app'] });
      expect((await repository.get(id))!.requestId).toMatch(/^u=dave;/);
    });

    it("refuses to mark failed, restart or resume another team's task, and restarts only within the task's accounts", async () => {
      const { service, behaviour } = fixture();
      let open!: () => void;
      behaviour.gate = new Promise<void>((resolve) => (open = resolve));
      const { id } = await service.submit({ cloudProvider: 'test', body: [{ resizeServerGroup: resizeInput() }], access: team('oscar', ['prod']) });
      const stranger = team('dave', ['staging']);
      await expect(service.markFailed(id, true, stranger)).rejects.toMatchObject({ status: 404 });
      const reader: CallerAccess = { ...team('rita', ['prod']), canWriteAccount: () => false };
      await expect(service.markFailed(id, true, reader)).rejects.toMatchObject({ name: 'TaskAccessDeniedError', status: 403 });
      await service.markFailed(id, true, team('oscar', ['prod']));
      open();
      behaviour.gate = undefined;
      await service.waitFor(id);
      const onOwn = [{ resizeServerGroup: resizeInput({ credentials: 'staging' }) }];
      await expect(service.restart(id, 'test', onOwn, stranger)).rejects.toMatchObject({ status: 404 });
      await expect(service.resume(id, stranger)).rejects.toMatchObject({ status: 404 });
      // Even its owner's team may not widen a task to other accounts.
      await expect(service.restart(id, 'test', onOwn, team('oscar', ['prod', 'staging']))).rejects.toMatchObject({ status: 403 });
      expect((await service.restart(id, 'test', [{ resizeServerGroup: resizeInput() }], team('oscar', ['prod']))).id).toBe(id);
    });

    it('refuses more operations than the limit before validating any', async () => {
      const { service } = fixture();
      const tooMany = Array.from({ length: 501 }, () => ({ resizeServerGroup: { credentials: 'ghost' } }));
      const error = await caught(service.submit({ cloudProvider: 'test', body: tooMany, access: OPEN_ACCESS }));
      expect(error).toMatchObject({ name: 'TooManyOperationsError', status: 413, limit: 500, count: 501 });
      expect(error.message).toContain('operations.maxPerRequest');
    });
  });
});
