import { afterAll, beforeAll, expect } from 'vitest';
import type { HttpAnswer, StratusProcess } from './server-process.js';

/** What an end-to-end test file drives: the fake cloud, the server process's HTTP API, and its operations as Orca posts them. */
export interface ServerE2e<F> {
  /** The fake cloud the server talks to (after the file's `beforeAll`). */
  readonly fake: F;
  /** The running process (after the file's `beforeAll`). */
  readonly process: StratusProcess;
  call(method: string, path: string, body?: unknown): Promise<HttpAnswer>;
  get(path: string): Promise<HttpAnswer>;
  /** The process's `until`, 45 s unless told. */
  until<T>(what: string, read: () => Promise<T>, accept: (value: T) => boolean, timeoutMs?: number): Promise<T>;
  /** Posts operations to the ops path, polls `GET /task/{id}` until the task completes and expects it to end `failed: expectFailure` (default false); returns the task. */
  runOps(ops: Record<string, unknown>[], options?: { expectFailure?: boolean; timeoutMs?: number }): Promise<any>;
  /** {@link runOps} of one operation `name` (with the harness's `opDefaults`). */
  runOp(name: string, description: Record<string, unknown>, expectFailure?: boolean): Promise<any>;
  /** Posts one operation `name` (with the harness's `opDefaults`) and returns its task once completed, failed or not. */
  runTask(name: string, description: Record<string, unknown>): Promise<any>;
}

/**
 * Registers a file's `beforeAll` (`startFake`, then `startProcess` against it) and `afterAll` (the
 * process stopped, then `stopFake`), and answers the calls a file makes as Orca would:
 * `POST {opsPath}`, then `GET /task/{id}` until the task completes. `opDefaults` go into every
 * single operation (`runOp`, `runTask`).
 */
export function serverE2e<F>(options: {
  opsPath: string;
  setupTimeoutMs: number;
  startFake(): Promise<F>;
  startProcess(fake: F): Promise<StratusProcess>;
  stopFake(fake: F): Promise<void>;
  opDefaults?: Record<string, unknown>;
}): ServerE2e<F> {
  let fake: F | undefined;
  let server: StratusProcess | undefined;
  beforeAll(async () => {
    fake = await options.startFake();
    server = await options.startProcess(fake);
  }, options.setupTimeoutMs);
  afterAll(async () => {
    await server?.stop();
    if (fake !== undefined) await options.stopFake(fake);
  }, 30_000);

  const call = (method: string, path: string, body?: unknown) => server!.call(method, path, body);
  const get = (path: string) => server!.get(path);
  const until = <T>(what: string, read: () => Promise<T>, accept: (value: T) => boolean, timeoutMs = 45_000) => server!.until(what, read, accept, timeoutMs);
  const postOps = async (ops: Record<string, unknown>[], timeoutMs?: number) => {
    const posted = await call('POST', options.opsPath, ops);
    expect(posted.status, JSON.stringify(posted.body)).toBe(200);
    const task = await until(
      `task ${posted.body.id}`,
      () => get(`/task/${posted.body.id}`),
      (a) => a.body?.status?.completed === true,
      timeoutMs,
    );
    return task.body;
  };
  const runOps = async (ops: Record<string, unknown>[], { expectFailure = false, timeoutMs }: { expectFailure?: boolean; timeoutMs?: number } = {}) => {
    const task = await postOps(ops, timeoutMs);
    expect(task.status, JSON.stringify(task.history)).toMatchObject({ completed: true, failed: expectFailure });
    return task;
  };
  return {
    get fake() {
      return fake!;
    },
    get process() {
      return server!;
    },
    call,
    get,
    until,
    runOps,
    runOp: (name, description, expectFailure = false) => runOps([{ [name]: { ...options.opDefaults, ...description } }], { expectFailure }),
    runTask: (name, description) => postOps([{ [name]: { ...options.opDefaults, ...description } }]),
  };
}
