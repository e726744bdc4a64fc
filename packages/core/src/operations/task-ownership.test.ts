import { runStep, type AccountCredentials, type Logger, type OperationDefinition } from '@stratus/plugin-api';
import { afterEach, describe, expect, it } from 'vitest';
import type { AccountLookup } from '../security/account-lookup.js';
import { NOOP_METRICS } from '../metrics/metrics-registry.js';
import { OPEN_ACCESS } from '../security/caller-access.js';
import { MemoryTaskRepository } from '../tasks/memory-task-repository.js';
import { currentLine, type TaskRecord } from '../tasks/task.js';
import type { TaskRepository } from '../tasks/task-repository.js';
import { OperationRegistry } from './operation-registry.js';
import { OperationsService } from './operations-service.js';

const accounts: AccountLookup = {
  get: (name) => (name === 'prod' ? ({ name, cloudProvider: 'test' } as AccountCredentials) : undefined),
  all: () => [],
};

/** Log lines, by message, with their context. */
function recordingLogger(lines: { level: string; msg: string; obj: unknown }[]): Logger {
  const at = (level: string) => (obj: unknown, msg?: string) => void lines.push({ level, msg: msg ?? String(obj), obj });
  const logger: Logger = { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'), child: () => logger } as unknown as Logger;
  return logger;
}

/** A repository whose every call fails while `down` is set, like a store that is unreachable. */
function flaky(inner: TaskRepository): TaskRepository & { down: boolean; calls: string[] } {
  const state = { down: false, calls: [] as string[] };
  return new Proxy(inner, {
    get(target, property, receiver) {
      if (property === 'down' || property === 'calls') return state[property];
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        state.calls.push(String(property));
        if (state.down) return Promise.reject(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6379'), { name: 'StoreUnavailableError' }));
        return value.apply(target, args);
      };
    },
    set(_target, property, value) {
      if (property === 'down') state.down = value as boolean;
      return true;
    },
  }) as TaskRepository & { down: boolean; calls: string[] };
}

interface Gate {
  promise: Promise<void>;
  open(): void;
}
const gate = (): Gate => {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
};

/** A two-step deploy (resumable unless told otherwise) whose steps the test releases one by one. */
function world() {
  const executed: string[] = [];
  const gates = { first: gate(), second: gate() };
  const definition = (name: string, resumable: boolean): OperationDefinition => ({
    name,
    converter: {
      convertDescription: (input) => input,
      convertOperation: () => ({
        resumable,
        async operate(_prior, context) {
          const created = await runStep(context, 'create', async () => {
            await gates.first.promise;
            executed.push(`create@${context.task.id}`);
            return { serverGroup: 'app-v001' };
          });
          await context.task.updateStatus('DEPLOY', `created ${created.serverGroup}`);
          await runStep(context, 'wait', async () => {
            await Promise.race([
              gates.second.promise,
              new Promise((_, reject) => context.signal.addEventListener('abort', () => reject(context.signal.reason))),
            ]);
            executed.push(`wait@${context.task.id}`);
          });
          return { deployed: created.serverGroup };
        },
      }),
    },
  });
  const registry = new OperationRegistry();
  registry.register('test', definition('deploy', true));
  registry.register('test', definition('legacyDeploy', false));
  return { registry, executed, gates };
}

const services: OperationsService[] = [];
afterEach(async () => {
  for (const service of services.splice(0)) await service.drain(0);
});

function replica(registry: OperationRegistry, repository: TaskRepository, nodeId: string, logs: { level: string; msg: string; obj: unknown }[] = []) {
  const service = new OperationsService(registry, repository, accounts, nodeId, recordingLogger(logs), NOOP_METRICS);
  services.push(service);
  return service;
}

async function until<T>(read: () => Promise<T>, accept: (value: T) => boolean, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (accept(value)) return value;
    if (Date.now() > deadline) throw new Error(`condition not met in ${timeoutMs} ms; last value ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const stateOf = (task: TaskRecord | undefined) => (task ? currentLine(task).state : undefined);

describe('durable task bookkeeping', () => {
  it('records the real outcome once the store is back when it died during the operation, and logs the retries', async () => {
    const { registry, gates, executed } = world();
    const store = flaky(new MemoryTaskRepository());
    const logs: { level: string; msg: string; obj: unknown }[] = [];
    const service = replica(registry, store, 'node-a', logs);
    const { id } = await service.submit({ cloudProvider: 'test', operationName: 'deploy', body: { account: 'prod' }, access: OPEN_ACCESS });
    store.down = true;
    gates.first.open();
    gates.second.open();
    // The operation finishes while the store is down; its outcome waits in memory.
    await until(
      async () => executed.length,
      (n) => n === 2,
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(service.runningTaskIds()).toEqual([id]);
    store.down = false;
    const task = (await service.waitFor(id))!;
    expect(stateOf(task)).toBe('COMPLETED');
    expect(task.resultObjects).toEqual([{ deployed: 'app-v001' }]);
    expect(task.history.map((line) => line.status)).toEqual([
      'Initializing Orchestration Task',
      'Processing op: deploy',
      'created app-v001',
      'Orchestration completed.',
    ]);
    expect(executed).toEqual([`create@${id}`, `wait@${id}`]);
    expect(logs.some((line) => line.msg.startsWith('task bookkeeping retry'))).toBe(true);
    expect(logs.some((line) => line.msg.startsWith('task bookkeeping: store is back'))).toBe(true);
  });
});

describe('task leases and takeover', () => {
  it('resumes a resumable operation on another replica from its last completed step', async () => {
    const { registry, gates, executed } = world();
    const repository = new MemoryTaskRepository();
    const logs: { level: string; msg: string; obj: unknown }[] = [];
    const a = replica(registry, repository, 'node-a');
    const b = replica(registry, repository, 'node-b', logs);
    b.startLeases({ leaseMs: 150 });
    const { id } = await a.submit({
      cloudProvider: 'test',
      operationName: 'deploy',
      body: { account: 'prod' },
      clientRequestId: 'resume-1',
      access: { ...OPEN_ACCESS, user: 'alice' },
    });
    gates.first.open();
    await until(
      () => repository.get(id),
      (task) => Object.hasOwn(task?.checkpoint?.steps ?? {}, 'create'),
    );
    // node-a never renews (it was started without leases): it is as good as dead.
    await until(
      () => repository.get(id),
      (t) => t?.ownerId === 'node-b',
    );
    gates.second.open();
    const done = (await until(
      () => repository.get(id),
      (t) => stateOf(t) === 'COMPLETED',
    ))!;
    expect(done.resultObjects).toEqual([{ deployed: 'app-v001' }]);
    expect(done.history.map((line) => line.status)).toEqual([
      'Initializing Orchestration Task',
      'Processing op: deploy',
      'created app-v001',
      'Owner node-a stopped renewing its lease; node-b took over, resuming deploy from its last completed step',
      'created app-v001',
      'Orchestration completed.',
    ]);
    // The create step ran once, on node-a; node-b continued after it.
    expect(executed.filter((step) => step.startsWith('create'))).toHaveLength(1);
    expect(logs.some((line) => line.msg.startsWith('task taken over') && (line.obj as { lostOwner: string }).lostOwner === 'node-a')).toBe(true);
    expect(b.runningTaskIds()).toEqual([]);
  });

  it('marks a non-resumable operation FAILED_RETRYABLE naming the dead owner; resume then works on any replica', async () => {
    const { registry, gates } = world();
    const repository = new MemoryTaskRepository();
    const a = replica(registry, repository, 'node-a');
    const b = replica(registry, repository, 'node-b');
    b.startLeases({ leaseMs: 150 });
    const { id } = await a.submit({
      cloudProvider: 'test',
      operationName: 'legacyDeploy',
      body: { account: 'prod' },
      clientRequestId: 'legacy-1',
      access: OPEN_ACCESS,
    });
    const failed = (await until(
      () => repository.get(id),
      (t) => stateOf(t) === 'FAILED_RETRYABLE',
    ))!;
    expect(failed.history.at(-1)!.status).toMatch(
      /^Orchestration failed: legacyDeploy \| TaskOwnerLost: \[Owner node-a stopped renewing its lease and legacyDeploy is not resumable; marked retryable by node-b\]$/,
    );
    expect(failed.resultObjects.at(-1)).toMatchObject({ type: 'EXCEPTION', cause: 'TaskOwnerLost', retryable: true });
    // A third replica that never ran it resumes it from the stored request.
    const c = replica(registry, repository, 'node-c');
    gates.first.open();
    gates.second.open();
    expect((await c.resume(id, OPEN_ACCESS)).id).toBe(id);
    const done = (await c.waitFor(id))!;
    expect(stateOf(done)).toBe('COMPLETED');
    expect(done.ownerId).toBe('node-c');
  });

  it('fences out a replica that lost its lease: it stops and writes nothing more', async () => {
    const { registry, gates } = world();
    const repository = new MemoryTaskRepository();
    const aLogs: { level: string; msg: string; obj: unknown }[] = [];
    const a = replica(registry, repository, 'node-a', aLogs);
    const { id } = await a.submit({
      cloudProvider: 'test',
      operationName: 'deploy',
      body: { account: 'prod' },
      clientRequestId: 'fence-1',
      access: OPEN_ACCESS,
    });
    gates.first.open();
    await until(
      () => repository.get(id),
      (task) => Object.hasOwn(task?.checkpoint?.steps ?? {}, 'create'),
    );
    // Another replica took the task while node-a was paused (simulated: the CAS a scan would do).
    const observed = (await repository.get(id))!;
    expect(await repository.takeOver(id, { ownerId: 'node-a', leaseRenewedAtMs: observed.leaseRenewedAtMs }, 'node-b')).toBe(true);
    const before = (await repository.get(id))!;
    // node-a resumes and renews: the store says it lost the lease.
    a.startLeases({ leaseMs: 90 });
    await until(async () => aLogs.some((line) => line.msg.startsWith('task lease lost')), Boolean);
    gates.second.open();
    await until(
      async () => a.runningTaskIds(),
      (ids) => ids.length === 0,
    );
    const after = (await repository.get(id))!;
    expect(after.history).toEqual(before.history);
    expect(after.resultObjects).toEqual(before.resultObjects);
    expect(after.checkpoint).toEqual(before.checkpoint);
    expect(stateOf(after)).toBe('STARTED');
    expect(after.ownerId).toBe('node-b');
  });

  it('keeps renewing while it runs, so nobody takes a live task', async () => {
    const { registry, gates } = world();
    const repository = new MemoryTaskRepository();
    const a = replica(registry, repository, 'node-a');
    const b = replica(registry, repository, 'node-b');
    a.startLeases({ leaseMs: 150 });
    b.startLeases({ leaseMs: 150 });
    const { id } = await a.submit({ cloudProvider: 'test', operationName: 'legacyDeploy', body: { account: 'prod' }, access: OPEN_ACCESS });
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect((await repository.get(id))!.ownerId).toBe('node-a');
    gates.first.open();
    gates.second.open();
    expect(stateOf(await a.waitFor(id))).toBe('COMPLETED');
  });
});

describe('rolling upgrades', () => {
  it('never takes over a task without a lease (started by a replica that does not keep leases)', async () => {
    const { registry, gates } = world();
    const repository = new MemoryTaskRepository();
    const b = replica(registry, repository, 'node-b');
    b.startLeases({ leaseMs: 100 });
    const imported = await repository.importTask({
      id: 'old-version-task',
      requestId: 'old-version-request',
      ownerId: 'node-old',
      startTimeMs: Date.now(),
      history: [{ phase: 'ORCHESTRATION', status: 'Initializing Orchestration Task', state: 'STARTED', timestamp: Date.now() }],
      resultObjects: [],
      outputs: [],
    });
    expect(imported).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const task = (await repository.get('old-version-task'))!;
    expect(task.ownerId).toBe('node-old');
    expect(stateOf(task)).toBe('STARTED');
    gates.first.open();
    gates.second.open();
  });
});
