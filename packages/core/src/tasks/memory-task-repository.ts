import { randomUUID } from 'node:crypto';
import {
  TaskCompletedError,
  TaskConflictError,
  TaskLeaseLostError,
  TaskNotFoundError,
  currentLine,
  isCompletedState,
  type TaskCheckpoint,
  type TaskRecord,
  type TaskScope,
  type TaskState,
  type TaskStatusLine,
} from './task.js';
import type { CreateTaskResult, TaskRepository } from './task-repository.js';

interface StoredTask {
  readonly id: string;
  readonly requestId: string;
  ownerId: string;
  readonly startTimeMs: number;
  readonly history: TaskStatusLine[];
  readonly resultObjects: Record<string, unknown>[];
  readonly outputs: Record<string, unknown>[];
  leaseRenewedAtMs?: number;
  checkpoint?: TaskCheckpoint;
  readonly scope?: TaskScope;
}

/**
 * Tasks in process memory (Clouddriver's InMemoryTaskRepository): one map by id, one by client
 * request id, nothing ever evicted. Every method does its check-and-change without yielding, so
 * concurrent callers in this process can neither create two tasks for one request id nor lose
 * updates; reads hand out copies, so a snapshot never changes under its reader.
 */
export class MemoryTaskRepository implements TaskRepository {
  readonly kind = 'memory';
  private readonly tasks = new Map<string, StoredTask>();
  private readonly byRequestId = new Map<string, string>();

  constructor(private readonly now: () => number = Date.now) {}

  async create(phase: string, status: string, clientRequestId: string, ownerId: string, scope?: TaskScope): Promise<CreateTaskResult> {
    const existingId = this.byRequestId.get(clientRequestId);
    if (existingId !== undefined) return { task: this.snapshot(this.tasks.get(existingId)!), created: false };
    const startTimeMs = this.now();
    const task: StoredTask = {
      id: randomUUID(),
      requestId: clientRequestId,
      ownerId,
      startTimeMs,
      history: [{ phase, status, state: 'STARTED', timestamp: startTimeMs }],
      resultObjects: [],
      outputs: [],
      leaseRenewedAtMs: startTimeMs,
      ...(scope ? { scope: structuredClone(scope) } : {}),
    };
    this.tasks.set(task.id, task);
    this.byRequestId.set(clientRequestId, task.id);
    return { task: this.snapshot(task), created: true };
  }

  async get(id: string): Promise<TaskRecord | undefined> {
    const task = this.tasks.get(id);
    return task && this.snapshot(task);
  }

  async getByClientRequestId(clientRequestId: string): Promise<TaskRecord | undefined> {
    const id = this.byRequestId.get(clientRequestId);
    return id === undefined ? undefined : this.get(id);
  }

  async listRunning(): Promise<TaskRecord[]> {
    return [...this.tasks.values()].filter((task) => currentLine(task).state === 'STARTED').map((task) => this.snapshot(task));
  }

  async listByOwner(ownerId: string): Promise<TaskRecord[]> {
    return (await this.listRunning()).filter((task) => task.ownerId === ownerId);
  }

  async appendStatus(id: string, phase: string, status: string, state?: TaskState, ownerId?: string): Promise<void> {
    const task = this.find(id, ownerId);
    const current = currentLine(task).state;
    const next = state ?? current;
    const reopening = current === 'FAILED_RETRYABLE' && next === 'STARTED';
    if (isCompletedState(current) && !reopening) throw new TaskCompletedError(id);
    task.history.push({ phase, status, state: next, timestamp: this.now() });
  }

  async addResultObjects(id: string, objects: readonly Record<string, unknown>[], ownerId?: string): Promise<void> {
    const task = this.updatable(id, ownerId);
    task.resultObjects.push(...objects.map((object) => structuredClone(object)));
  }

  async addOutput(id: string, output: Record<string, unknown>, ownerId?: string): Promise<void> {
    this.updatable(id, ownerId).outputs.push(structuredClone(output));
  }

  async updateOwnerId(id: string, ownerId: string): Promise<void> {
    const task = this.find(id);
    task.ownerId = ownerId;
    task.leaseRenewedAtMs = this.now();
  }

  async renewLease(id: string, ownerId: string): Promise<boolean> {
    const task = this.tasks.get(id);
    if (!task || task.ownerId !== ownerId || currentLine(task).state !== 'STARTED') return false;
    task.leaseRenewedAtMs = this.now();
    return true;
  }

  async takeOver(id: string, expected: { ownerId: string; leaseRenewedAtMs: number | undefined }, newOwnerId: string): Promise<boolean> {
    const task = this.tasks.get(id);
    if (!task || currentLine(task).state !== 'STARTED') return false;
    if (task.ownerId !== expected.ownerId || task.leaseRenewedAtMs !== expected.leaseRenewedAtMs) return false;
    task.ownerId = newOwnerId;
    task.leaseRenewedAtMs = this.now();
    return true;
  }

  async saveCheckpoint(id: string, checkpoint: TaskCheckpoint, ownerId?: string): Promise<void> {
    this.updatable(id, ownerId).checkpoint = structuredClone(checkpoint);
  }

  async importTask(record: TaskRecord): Promise<boolean> {
    if (this.tasks.has(record.id)) return false;
    const holder = this.byRequestId.get(record.requestId);
    if (holder !== undefined) throw new TaskConflictError(record.id, record.requestId, holder);
    this.tasks.set(record.id, {
      id: record.id,
      requestId: record.requestId,
      ownerId: record.ownerId,
      startTimeMs: record.startTimeMs,
      history: record.history.map((line) => ({ ...line })),
      resultObjects: structuredClone([...record.resultObjects]),
      outputs: structuredClone([...record.outputs]),
      ...(record.leaseRenewedAtMs !== undefined ? { leaseRenewedAtMs: record.leaseRenewedAtMs } : {}),
      ...(record.checkpoint ? { checkpoint: structuredClone(record.checkpoint) } : {}),
      ...(record.scope ? { scope: structuredClone(record.scope) } : {}),
    });
    this.byRequestId.set(record.requestId, record.id);
    return true;
  }

  async listTaskIds(): Promise<string[]> {
    return [...this.tasks.keys()].sort();
  }

  async ping(): Promise<void> {}

  async close(): Promise<void> {}

  /** The task, checking the owner of a fenced write. */
  private find(id: string, ownerId?: string): StoredTask {
    const task = this.tasks.get(id);
    if (!task) throw new TaskNotFoundError(id);
    if (ownerId !== undefined && task.ownerId !== ownerId) throw new TaskLeaseLostError(id, ownerId);
    return task;
  }

  private updatable(id: string, ownerId?: string): StoredTask {
    const task = this.find(id, ownerId);
    if (isCompletedState(currentLine(task).state)) throw new TaskCompletedError(id);
    return task;
  }

  private snapshot(task: StoredTask): TaskRecord {
    return {
      id: task.id,
      requestId: task.requestId,
      ownerId: task.ownerId,
      startTimeMs: task.startTimeMs,
      history: [...task.history],
      resultObjects: structuredClone(task.resultObjects),
      outputs: structuredClone(task.outputs),
      ...(task.leaseRenewedAtMs !== undefined ? { leaseRenewedAtMs: task.leaseRenewedAtMs } : {}),
      ...(task.checkpoint ? { checkpoint: structuredClone(task.checkpoint) } : {}),
      ...(task.scope ? { scope: task.scope } : {}),
    };
  }
}
