import type { Logger } from '@stratus/plugin-api';
import { silentLogger } from '@stratus/plugin-api';
import { TaskConflictError, type TaskCheckpoint, type TaskRecord, type TaskScope, type TaskState } from './task.js';
import type { CreateTaskResult, TaskRepository } from './task-repository.js';

export interface DualTaskRepositoryOptions {
  /** How long a call to the previous repository may take before it is treated as unavailable (default 2 s). */
  readonly previousTimeoutMs?: number;
  readonly logger?: Logger;
}

class PreviousUnavailable extends Error {}

/**
 * Migrates tasks between two repositories without losing one (Clouddriver's DualTaskRepository,
 * hardened): new tasks are created in `primary`; reads go to primary, then `previous`; lists merge
 * both with primary winning on duplicate ids; updates go to the repository the task lives in, so a
 * task started before the switch finishes where it began. A `previous` that is down or slow never
 * breaks creating or reading primary tasks: its calls time out and count as "not found there".
 */
export class DualTaskRepository implements TaskRepository {
  readonly kind: string;
  protected readonly timeoutMs: number;
  protected readonly logger: Logger;
  /** Where each task id was found last, so updates do not probe both stores every time. */
  protected readonly home = new Map<string, TaskRepository>();

  constructor(
    readonly primary: TaskRepository,
    readonly previous: TaskRepository,
    options: DualTaskRepositoryOptions = {},
  ) {
    this.kind = `dual(${primary.kind}<-${previous.kind})`;
    this.timeoutMs = options.previousTimeoutMs ?? 2000;
    this.logger = options.logger ?? silentLogger;
  }

  /** Runs a call against `previous`, turning errors and slowness into `fallback`. */
  protected async fromPrevious<T>(what: string, call: () => Promise<T>, fallback: T): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        call(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new PreviousUnavailable(`timed out after ${this.timeoutMs} ms`)), this.timeoutMs);
        }),
      ]);
    } catch (error) {
      this.logger.warn({ err: error, repository: this.previous.kind, call: what }, 'previous task repository unavailable; using primary only');
      return fallback;
    } finally {
      clearTimeout(timer);
    }
  }

  async create(phase: string, status: string, clientRequestId: string, ownerId: string, scope?: TaskScope): Promise<CreateTaskResult> {
    // A request id already known to either store maps to that task: retries during a migration must
    // never create a second task.
    const inPrimary = await this.primary.getByClientRequestId(clientRequestId);
    if (inPrimary) return { task: inPrimary, created: false };
    const inPrevious = await this.fromPrevious('getByClientRequestId', () => this.previous.getByClientRequestId(clientRequestId), undefined);
    if (inPrevious) {
      this.home.set(inPrevious.id, this.previous);
      return { task: inPrevious, created: false };
    }
    const created = await this.primary.create(phase, status, clientRequestId, ownerId, scope);
    this.home.set(created.task.id, this.primary);
    return created;
  }

  async get(id: string): Promise<TaskRecord | undefined> {
    const primary = await this.primary.get(id);
    if (primary) return primary;
    return this.fromPrevious('get', () => this.previous.get(id), undefined);
  }

  async getByClientRequestId(clientRequestId: string): Promise<TaskRecord | undefined> {
    const primary = await this.primary.getByClientRequestId(clientRequestId);
    if (primary) return primary;
    return this.fromPrevious('getByClientRequestId', () => this.previous.getByClientRequestId(clientRequestId), undefined);
  }

  async listRunning(): Promise<TaskRecord[]> {
    const [primary, previous] = await Promise.all([this.primary.listRunning(), this.fromPrevious('listRunning', () => this.previous.listRunning(), [])]);
    return mergeById(primary, previous);
  }

  async listByOwner(ownerId: string): Promise<TaskRecord[]> {
    const [primary, previous] = await Promise.all([
      this.primary.listByOwner(ownerId),
      this.fromPrevious('listByOwner', () => this.previous.listByOwner(ownerId), []),
    ]);
    return mergeById(primary, previous);
  }

  /** The repository holding the task; primary when the task is in neither (its error then names the id). */
  protected async homeOf(id: string): Promise<TaskRepository> {
    const known = this.home.get(id);
    if (known) return known;
    if (await this.primary.get(id)) {
      this.home.set(id, this.primary);
      return this.primary;
    }
    // Updates must reach the previous store even when it is slow: no timeout fallback here.
    if (await this.previous.get(id).catch(() => undefined)) {
      this.home.set(id, this.previous);
      return this.previous;
    }
    return this.primary;
  }

  async appendStatus(id: string, phase: string, status: string, state?: TaskState, ownerId?: string): Promise<void> {
    return (await this.homeOf(id)).appendStatus(id, phase, status, state, ownerId);
  }

  async addResultObjects(id: string, objects: readonly Record<string, unknown>[], ownerId?: string): Promise<void> {
    return (await this.homeOf(id)).addResultObjects(id, objects, ownerId);
  }

  async addOutput(id: string, output: Record<string, unknown>, ownerId?: string): Promise<void> {
    return (await this.homeOf(id)).addOutput(id, output, ownerId);
  }

  async updateOwnerId(id: string, ownerId: string): Promise<void> {
    return (await this.homeOf(id)).updateOwnerId(id, ownerId);
  }

  async renewLease(id: string, ownerId: string): Promise<boolean> {
    return (await this.homeOf(id)).renewLease(id, ownerId);
  }

  async takeOver(id: string, expected: { ownerId: string; leaseRenewedAtMs: number | undefined }, newOwnerId: string): Promise<boolean> {
    return (await this.homeOf(id)).takeOver(id, expected, newOwnerId);
  }

  async saveCheckpoint(id: string, checkpoint: TaskCheckpoint, ownerId?: string): Promise<void> {
    return (await this.homeOf(id)).saveCheckpoint(id, checkpoint, ownerId);
  }

  /** Imports go to the primary: it is where tasks end up once the migration is over. */
  async importTask(task: TaskRecord): Promise<boolean> {
    // A task the previous store holds stays there (one home per task), like `create` does.
    if (await this.fromPrevious('get', () => this.previous.get(task.id), undefined)) return false;
    const holder = await this.fromPrevious('getByClientRequestId', () => this.previous.getByClientRequestId(task.requestId), undefined);
    if (holder) throw new TaskConflictError(task.id, task.requestId, holder.id);
    const imported = await this.primary.importTask(task);
    if (imported) this.home.set(task.id, this.primary);
    return imported;
  }

  async listTaskIds(): Promise<string[]> {
    const [primary, previous] = await Promise.all([this.primary.listTaskIds(), this.fromPrevious('listTaskIds', () => this.previous.listTaskIds(), [])]);
    return [...new Set([...primary, ...previous])].sort();
  }

  /** Readiness follows the primary: a previous store that is gone must not take the service down. */
  ping(): Promise<void> {
    return this.primary.ping();
  }

  async close(): Promise<void> {
    await Promise.allSettled([this.primary.close(), this.previous.close()]);
  }
}

function mergeById(primary: TaskRecord[], previous: TaskRecord[]): TaskRecord[] {
  const ids = new Set(primary.map((task) => task.id));
  return [...primary, ...previous.filter((task) => !ids.has(task.id))];
}
