import { randomUUID } from 'node:crypto';
import {
  pollUntil,
  scratchStoreUnavailable,
  startScratchMariadb,
  startScratchPostgres,
  startScratchRedis,
  startStratusProcess,
  type ScratchStore,
  type StratusProcess,
} from '@stratus/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * Faults injected into real processes (docs/operator-guide.md, "Task leases"): two server replicas
 * share a task store that the test starts on a free port (never the shared servers). The store is
 * killed with SIGKILL mid-task and restarted; a replica is killed mid-task; a replica is paused
 * (SIGSTOP) past its lease and resumed. Each time: no task lost, none run twice, none left
 * non-terminal 60 s after the fault cleared, and no write from a replica that lost its lease.
 *
 * Tasks are the synthetic provider's createServerGroup (resumable: one persisted step per region,
 * its delay split around the creation) and resizeServerGroup (not resumable).
 */

const LEASE_SECONDS = 1.5;
const DELAY_MS = 3_000;
const TERMINAL_WITHIN_MS = 60_000;

type StoreKind = ScratchStore['kind'];

function storeConfig(store: ScratchStore, keyPrefix: string): Record<string, unknown> {
  if (store.kind === 'redis') {
    return {
      redis: { enabled: true, connection: store.url, keyPrefix, cache: { enabled: false }, scheduler: { enabled: false }, taskRepository: { enabled: true } },
    };
  }
  return { sql: { enabled: true, connectionPools: { default: { url: store.url } }, taskRepository: { enabled: true } } };
}

async function startReplica(store: ScratchStore, nodeId: string, keyPrefix: string): Promise<StratusProcess> {
  return startStratusProcess({
    config: (place) => ({
      server: { port: place.port, address: '127.0.0.1', nodeId },
      logging: { level: 'warn' },
      providers: ['@stratus/testing/synthetic-provider'],
      admin: { tasks: { leaseSeconds: LEASE_SECONDS, shutdownWaitSeconds: 1 } },
      synthetic: {
        agentIntervalMs: 60_000,
        accounts: [{ name: 'prod', regions: ['us-east-1', 'us-west-2'], seed: 11 }],
        operationDelayMs: { createServerGroup: DELAY_MS, resizeServerGroup: DELAY_MS },
      },
      ...storeConfig(store, keyPrefix),
    }),
    readyTimeoutMs: 90_000,
    tempPrefix: `stratus-fault-${nodeId}-`,
  });
}

const createBody = (application: string) => [
  { createServerGroup: { credentials: 'prod', application, regions: ['us-east-1', 'us-west-2'], capacity: { min: 1, max: 1, desired: 1 } } },
];

interface Submitted {
  readonly requestId: string;
  readonly id: string;
  readonly body: unknown;
}

async function submit(replica: StratusProcess, body: unknown, requestId = `fault-${randomUUID()}`): Promise<Submitted> {
  const answer = await replica.call('POST', '/synthetic/ops', body, { 'x-spinnaker-request-id': requestId });
  if (answer.status !== 200) throw new Error(`POST /synthetic/ops answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  return { requestId, id: answer.body.id as string, body };
}

const readTask = async (replica: StratusProcess, id: string) => {
  try {
    const answer = await replica.get(`/task/${id}`);
    return answer.status === 200 ? answer.body : undefined;
  } catch {
    return undefined;
  }
};

const statuses = (task: any): string[] => (task?.history ?? []).map((line: { status: string }) => line.status);
const count = (task: any, pattern: RegExp) => statuses(task).filter((status) => pattern.test(status)).length;

/** Every task reaches a terminal state; returns the final tasks. */
async function allTerminal(reader: StratusProcess, tasks: readonly Submitted[]): Promise<any[]> {
  return Promise.all(
    tasks.map(({ id }) =>
      pollUntil(
        `task ${id} to end`,
        () => readTask(reader, id),
        (task) => task?.status?.completed === true,
        TERMINAL_WITHIN_MS,
        { intervalMs: 200, context: () => reader.output().slice(-3000) },
      ),
    ),
  );
}

/** Zero lost, zero duplicated: each request id maps to its one task, and no creation step ran twice. */
function assertOnceEach(tasks: readonly Submitted[], finals: readonly any[]): void {
  expect(new Set(tasks.map((task) => task.id)).size).toBe(tasks.length);
  finals.forEach((task, index) => {
    expect(task.id).toBe(tasks[index]!.id);
    expect(task.requestId).toBe(tasks[index]!.requestId);
    // A step completed before the fault never runs again (one that was in progress would: steps must be idempotent).
    for (const region of ['us-east-1', 'us-west-2']) {
      expect(count(task, new RegExp(`^Creating server group in cluster .* in prod/${region}\\.\\.\\.$`))).toBeLessThanOrEqual(1);
    }
    expect(count(task, /^Orchestration (completed\.|failed)/)).toBe(1);
  });
}

const stores: { kind: StoreKind; start: () => Promise<ScratchStore> }[] = [
  { kind: 'redis', start: startScratchRedis },
  { kind: 'postgres', start: startScratchPostgres },
  { kind: 'mariadb', start: startScratchMariadb },
];

for (const { kind, start } of stores) {
  const unavailable = scratchStoreUnavailable(kind);
  describe.skipIf(unavailable !== undefined)(`fault injection on a ${kind} task repository${unavailable ? ` (${unavailable})` : ''}`, () => {
    let store: ScratchStore;
    let a: StratusProcess;
    let b: StratusProcess;
    const keyPrefix = `fault-${randomUUID().slice(0, 8)}`;

    beforeAll(async () => {
      store = await start();
      [a, b] = await Promise.all([startReplica(store, 'replica-a', keyPrefix), startReplica(store, 'replica-b', keyPrefix)]);
    }, 180_000);

    afterAll(async () => {
      await Promise.allSettled([a?.stop(2_000), b?.stop(2_000)]);
      await store?.stop();
    }, 60_000);

    it('store killed with SIGKILL mid-task and restarted: every task ends with its real outcome, none lost or run twice', async () => {
      const tasks = [await submit(a, createBody('storea')), await submit(b, createBody('storeb')), await submit(a, createBody('storec'))];
      await new Promise((resolve) => setTimeout(resolve, DELAY_MS / 3));
      await store.kill9();
      // The operations finish while the store is down; their outcome waits in the replicas' memory.
      await new Promise((resolve) => setTimeout(resolve, DELAY_MS + 1_000));
      await store.restart();
      const finals = await allTerminal(b, tasks);
      for (const task of finals) {
        expect(task.status).toMatchObject({ completed: true, failed: false });
        expect(task.resultObjects).toHaveLength(1);
        expect(task.resultObjects[0].serverGroupNames).toHaveLength(2);
      }
      assertOnceEach(tasks, finals);
      expect(a.output() + b.output()).toMatch(/task bookkeeping retry/);
    }, 150_000);

    it('replica paused (SIGSTOP) past its lease: the other takes over and resumes; the paused one writes nothing after it resumes', async () => {
      const task = await submit(a, createBody('pause'));
      // Pause right after the creation steps were persisted, in the second half of the delay.
      await pollUntil(
        'creation persisted',
        () => readTask(b, task.id),
        (t) => count(t, /^Waiting for the new server groups/) === 1,
        20_000,
        { intervalMs: 50 },
      );
      a.child.kill('SIGSTOP');
      try {
        await pollUntil(
          'takeover by replica-b',
          () => readTask(b, task.id),
          (t) =>
            t?.ownerId === 'replica-b' && statuses(t).some((status) => status.startsWith('Owner replica-a stopped renewing its lease; replica-b took over')),
          30_000,
          { intervalMs: 100 },
        );
      } finally {
        a.child.kill('SIGCONT');
      }
      const [final] = await allTerminal(b, [task]);
      // Let the resumed replica run into its timers, renewals and queued writes.
      await pollUntil(
        'replica-a to notice the lost lease',
        async () => a.output(),
        (out) => /task lease lost/.test(out),
        20_000,
      );
      await new Promise((resolve) => setTimeout(resolve, DELAY_MS));
      const after = await readTask(b, task.id);
      expect(after).toEqual(final);
      expect(final.status).toMatchObject({ completed: true, failed: false });
      expect(final.ownerId).toBe('replica-b');
      expect(final.resultObjects).toHaveLength(1);
      expect(count(final, /^Deployed server groups/)).toBe(1);
      expect(count(final, /^Created server group/)).toBe(2);
      assertOnceEach([task], [final]);
    }, 120_000);

    it('replica killed with SIGKILL mid-task: resumable tasks finish on the other, others end FAILED_RETRYABLE naming it and re-run on retry', async () => {
      // A server group of the seeded world, which both replicas' synthetic clouds share.
      const applications = await pollUntil(
        'seeded applications',
        () => b.get('/applications'),
        (answer) => Array.isArray(answer.body) && answer.body.length > 0,
        30_000,
      );
      const seeded = (applications.body as { name: string }[]).find((app) => !/^(store|pause|kill)/.test(app.name))!;
      const groups = await b.get(`/applications/${seeded.name}/serverGroups`);
      const group = (groups.body as { name: string; region: string; account: string }[]).find((g) => g.account === 'prod')!;
      const resize = [
        { resizeServerGroup: { credentials: 'prod', region: group.region, serverGroupName: group.name, capacity: { min: 1, max: 2, desired: 2 } } },
      ];
      const resumable = [await submit(a, createBody('killa')), await submit(a, createBody('killb'))];
      const plain = await submit(a, resize);
      for (const { id } of resumable) {
        await pollUntil(
          'creation persisted',
          () => readTask(b, id),
          (t) => count(t, /^Waiting for the new server groups/) === 1,
          20_000,
          { intervalMs: 50 },
        );
      }
      a.child.kill('SIGKILL');
      await a.exited;
      const finals = await allTerminal(b, [...resumable, plain]);
      for (const task of finals.slice(0, 2)) {
        expect(task.status).toMatchObject({ completed: true, failed: false });
        expect(task.ownerId).toBe('replica-b');
        expect(task.resultObjects[0].serverGroupNames).toHaveLength(2);
      }
      const failed = finals[2];
      expect(failed.status).toMatchObject({ completed: true, failed: true, retryable: true });
      expect(statuses(failed).at(-1)).toMatch(/Owner replica-a stopped renewing its lease/);
      assertOnceEach([...resumable, plain], finals);
      // Orca's MonitorKatoTask sees `retryable` and calls :resume, here on the surviving replica,
      // which never ran the task: it re-runs the stored request under the same task.
      const resumed = await b.call('POST', `/task/${plain.id}:resume`);
      expect(resumed.status).toBe(200);
      expect(resumed.body.id).toBe(plain.id);
      const [done] = await allTerminal(b, [plain]);
      expect(done.status).toMatchObject({ completed: true, failed: false });
      expect(done.ownerId).toBe('replica-b');
      // A re-POST under the same clientRequestId finds the same task and runs nothing more.
      expect((await submit(b, resize, plain.requestId)).id).toBe(plain.id);
      expect(b.output()).toMatch(/task taken over/);
    }, 150_000);
  });
}
