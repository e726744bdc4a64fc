import type { Logger } from '@stratus/plugin-api';
import type { TaskCheckpoint, TaskState } from '../tasks/task.js';
import type { TaskRepository } from '../tasks/task-repository.js';

export interface TaskBookkeeperOptions {
  readonly taskId: string;
  /** This replica: every write is fenced on it, so a replica that lost the task writes nothing. */
  readonly ownerId: string;
  readonly tasks: TaskRepository;
  readonly logger: Logger;
  /** Most writes kept in memory while the store is down (default 500); beyond it the oldest progress lines go first. */
  readonly maxPending?: number;
  /** First and longest wait between retries (default 100 ms and 2 s). */
  readonly initialBackoffMs?: number;
  readonly maxBackoffMs?: number;
  /** Called once when the store says another replica owns the task now. */
  readonly onLeaseLost?: () => void;
}

interface PendingWrite {
  readonly what: string;
  /** Essential writes (results, state changes, checkpoints) are never dropped to stay within the bound. */
  readonly essential: boolean;
  apply: (ownerId: string) => Promise<void>;
  settle: () => void;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The task writes of one running task (status lines, results, outputs, checkpoints), applied in
 * order, oldest first. A write the store refuses because it is unavailable stays queued and is
 * retried with exponential backoff until the store answers again; the operation is never run again
 * because of it. While the store is down, callers are not held up: each write's promise settles
 * when it is stored or as soon as the store fails, so the operation goes on and its outcome is
 * recorded once the store is back. At most `maxPending` writes wait in memory; beyond that the
 * oldest plain progress lines (status lines without a state change, outputs) are dropped, never
 * results, state changes or checkpoints. Details: docs/operator-guide.md, "Task bookkeeping".
 */
export class TaskBookkeeper {
  private readonly queue: PendingWrite[] = [];
  private pump: Promise<void> | undefined;
  private failing = false;
  private fencedOut = false;
  private dropped = 0;
  private readonly maxPending: number;
  private readonly initialBackoffMs: number;
  private readonly maxBackoffMs: number;

  constructor(private readonly options: TaskBookkeeperOptions) {
    this.maxPending = Math.max(10, options.maxPending ?? 500);
    this.initialBackoffMs = options.initialBackoffMs ?? 100;
    this.maxBackoffMs = options.maxBackoffMs ?? 2_000;
  }

  /** True once the store said another replica owns the task: nothing more is written. */
  get fenced(): boolean {
    return this.fencedOut;
  }

  status(phase: string, status: string, state?: TaskState): Promise<void> {
    return this.enqueue(`status ${state ?? ''}`.trim(), state !== undefined, (owner) =>
      this.options.tasks.appendStatus(this.options.taskId, phase, status, state, owner),
    );
  }

  results(objects: readonly Record<string, unknown>[]): Promise<void> {
    if (objects.length === 0) return Promise.resolve();
    return this.enqueue('results', true, (owner) => this.options.tasks.addResultObjects(this.options.taskId, objects, owner));
  }

  output(output: Record<string, unknown>): Promise<void> {
    return this.enqueue('output', false, (owner) => this.options.tasks.addOutput(this.options.taskId, output, owner));
  }

  /** Queues the checkpoint; a newer one replaces a queued older one that is not being sent yet. */
  checkpoint(checkpoint: TaskCheckpoint): Promise<void> {
    const apply = (owner: string) => this.options.tasks.saveCheckpoint(this.options.taskId, checkpoint, owner);
    const last = this.queue[this.queue.length - 1];
    // The head of the queue is being sent; anything behind it can still change.
    if (last?.what === 'checkpoint' && this.queue.length > 1 && !this.fencedOut) {
      last.apply = apply;
      return new Promise<void>((resolve) => {
        const previous = last.settle;
        last.settle = () => {
          previous();
          resolve();
        };
        if (this.failing) resolve();
      });
    }
    return this.enqueue('checkpoint', true, apply);
  }

  /** Stops writing: another replica owns the task now. Queued writes are discarded. */
  fence(): void {
    if (this.fencedOut) return;
    this.fencedOut = true;
    for (const write of this.queue.splice(0)) write.settle();
    this.options.onLeaseLost?.();
  }

  /** Resolves once every queued write is stored, or the task was fenced out. Never rejects. */
  async flushed(): Promise<void> {
    while (this.pump) await this.pump;
  }

  private enqueue(what: string, essential: boolean, apply: (owner: string) => Promise<void>): Promise<void> {
    if (this.fencedOut) return Promise.resolve();
    const written = new Promise<void>((resolve) => {
      this.queue.push({ what, essential, apply, settle: resolve });
      // While the store is down the operation goes on; the write stays queued.
      if (this.failing) resolve();
    });
    this.trim();
    // `pump` is cleared by `drain` itself in the same step that sees the queue empty, so a write
    // queued right after always finds either a running drain or none.
    this.pump ??= this.drain();
    return written;
  }

  /** Keeps the queue within its bound by dropping the oldest plain progress lines (never the one being sent). */
  private trim(): void {
    while (this.queue.length > this.maxPending) {
      const index = this.queue.findIndex((write, i) => i > 0 && !write.essential);
      if (index < 0) return;
      this.queue.splice(index, 1)[0]!.settle();
      if (this.dropped++ % 100 === 0) {
        this.options.logger.warn(
          { taskId: this.options.taskId, dropped: this.dropped, pending: this.queue.length },
          'task bookkeeping: store still down, dropping the oldest progress lines',
        );
      }
    }
  }

  private async drain(): Promise<void> {
    let attempt = 0;
    for (;;) {
      if (this.queue.length === 0 || this.fencedOut) {
        this.pump = undefined;
        return;
      }
      const write = this.queue[0]!;
      try {
        await write.apply(this.options.ownerId);
        this.queue.shift();
        write.settle();
        if (this.failing) {
          this.failing = false;
          this.options.logger.info(
            { taskId: this.options.taskId, attempts: attempt, pending: this.queue.length },
            'task bookkeeping: store is back, writing queued task updates',
          );
        }
        attempt = 0;
      } catch (error) {
        const name = error instanceof Error ? error.name : '';
        if (name === 'TaskLeaseLostError') {
          this.options.logger.warn(
            { taskId: this.options.taskId, ownerId: this.options.ownerId },
            'task lease lost: another replica owns the task now; this replica stops writing to it',
          );
          this.fence();
          continue;
        }
        if (name === 'TaskCompletedError' || name === 'TaskNotFoundError') {
          // Nothing to retry: typically a write whose first attempt was stored although its reply was lost.
          this.options.logger.warn({ taskId: this.options.taskId, write: write.what, err: error }, 'task bookkeeping: write refused by the store, skipped');
          this.queue.shift();
          write.settle();
          continue;
        }
        attempt++;
        if (!this.failing) {
          this.failing = true;
          for (const queued of this.queue) queued.settle();
        }
        const delayMs = Math.min(this.maxBackoffMs, this.initialBackoffMs * 2 ** Math.min(attempt - 1, 16));
        if (attempt === 1 || attempt % 10 === 0) {
          this.options.logger.warn(
            { taskId: this.options.taskId, write: write.what, attempt, retryInMs: delayMs, pending: this.queue.length, err: error },
            'task bookkeeping retry: task store unavailable',
          );
        }
        await sleep(delayMs);
      }
    }
  }
}
