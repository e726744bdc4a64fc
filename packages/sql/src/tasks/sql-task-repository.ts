import {
  TaskCompletedError,
  TaskConflictError,
  TaskLeaseLostError,
  TaskNotFoundError,
  type CreateTaskResult,
  type TaskCheckpoint,
  parseTaskScope,
  type TaskRecord,
  type TaskRepository,
  type TaskScope,
  type TaskState,
  type TaskStatusLine,
} from '@stratus/core';
import type { SqlDatabase, SqlExecutor } from '../database/sql-database.js';
import type { TasksTable } from '../database/stratus-tables.js';
import { SQL_LIMITS } from '../migrations/limits.js';
import { newTaskId } from './task-id.js';
import { TaskStatements } from './task-statements.js';

export interface SqlTaskRepositoryOptions {
  readonly now?: () => number;
  /** Close the database with the repository (default false: the pool is usually shared). */
  readonly ownsDatabase?: boolean;
}

interface TaskRow {
  readonly kind: 'T' | 'S' | 'R' | 'O';
  readonly task_id: string;
  readonly seq: string | number | null;
  readonly created_at: string | number;
  readonly a: string | null;
  readonly b: string | null;
  readonly c: string | null;
  readonly d: string | null;
}

/** The locked task row an update checks. */
type LockedTask = Readonly<Pick<TasksTable, 'owner_id' | 'lease_renewed_at'>>;

const READ_BATCH = 500;

/**
 * Tasks in SQL (Clouddriver's SqlTaskRepository): a task row, an insert-only state history, result
 * objects and outputs. Every change runs in a READ COMMITTED transaction that first locks the task
 * row, so "is it completed?" and the insert behind it cannot interleave with another update; a read
 * is one `union all` statement over the four tables, hence one consistent snapshot.
 */
export class SqlTaskRepository implements TaskRepository {
  readonly kind: string;
  readonly #db: SqlDatabase;
  readonly #sql: TaskStatements;
  readonly #now: () => number;
  readonly #ownsDatabase: boolean;

  constructor(database: SqlDatabase, options: SqlTaskRepositoryOptions = {}) {
    this.#db = database;
    this.kind = `sql-${database.dialect}`;
    this.#sql = new TaskStatements(database);
    this.#now = options.now ?? Date.now;
    this.#ownsDatabase = options.ownsDatabase ?? false;
  }

  async create(phase: string, status: string, clientRequestId: string, ownerId: string, scope?: TaskScope): Promise<CreateTaskResult> {
    if (clientRequestId.length > SQL_LIMITS.requestIdLength) throw new Error(`clientRequestId is longer than ${SQL_LIMITS.requestIdLength} characters`);
    if (ownerId.length > SQL_LIMITS.ownerLength) throw new Error(`ownerId is longer than ${SQL_LIMITS.ownerLength} characters`);
    return this.#db.guard('task create', async () => {
      const now = this.#now();
      const id = newTaskId(now);
      const line: TaskStatusLine = { phase, status: truncate(status), state: 'STARTED', timestamp: now };
      const created = await this.#db.transaction(async (trx) => {
        // On a request-id clash this waits for the other creator to commit, then inserts nothing.
        if ((await this.#db.affected(this.#sql.insertTask, [id, clientRequestId, ownerId, now, now, scope ? JSON.stringify(scope) : null], trx)) === 0)
          return false;
        await this.#db.affected(this.#sql.insertState, [id, now, line.state, line.phase, line.status], trx);
        return true;
      });
      if (created) {
        const task: TaskRecord = {
          id,
          requestId: clientRequestId,
          ownerId,
          startTimeMs: now,
          history: [line],
          resultObjects: [],
          outputs: [],
          leaseRenewedAtMs: now,
          ...(scope ? { scope } : {}),
        };
        return { task, created: true };
      }
      const existing = await this.getByClientRequestId(clientRequestId);
      if (!existing) throw new Error(`task for clientRequestId ${clientRequestId} vanished while being created`);
      return { task: existing, created: false };
    });
  }

  async get(id: string): Promise<TaskRecord | undefined> {
    if (id.length > SQL_LIMITS.taskIdLength) return undefined;
    return (await this.#db.guard('task read', () => this.#read([id])))[0];
  }

  async getByClientRequestId(clientRequestId: string): Promise<TaskRecord | undefined> {
    return this.#db.guard('task read', async () => {
      const [row] = await this.#db.rows<{ id: string }>(this.#sql.selectIdByRequest, [clientRequestId]);
      return row ? (await this.#read([row.id]))[0] : undefined;
    });
  }

  listRunning(): Promise<TaskRecord[]> {
    return this.#db.guard('task read', async () => this.#running(await this.#db.rows<{ task_id: string }>(this.#sql.runningIds, [])));
  }

  listByOwner(ownerId: string): Promise<TaskRecord[]> {
    return this.#db.guard('task read', async () =>
      (await this.#running(await this.#db.rows<{ task_id: string }>(this.#sql.runningIdsByOwner, [ownerId]))).filter((t) => t.ownerId === ownerId),
    );
  }

  async #running(rows: readonly { task_id: string }[]): Promise<TaskRecord[]> {
    const tasks: TaskRecord[] = [];
    const ids = rows.map((row) => row.task_id);
    for (let i = 0; i < ids.length; i += READ_BATCH) tasks.push(...(await this.#read(ids.slice(i, i + READ_BATCH))));
    // A task may have completed between the id query and the read; the snapshot decides.
    return tasks
      .filter((task) => task.history[task.history.length - 1]!.state === 'STARTED')
      .sort((a, b) => a.startTimeMs - b.startTimeMs || (a.id < b.id ? -1 : 1));
  }

  appendStatus(id: string, phase: string, status: string, state?: TaskState, ownerId?: string): Promise<void> {
    return this.#update(id, 'task status', async (trx, current, row) => {
      fence(id, row, ownerId);
      const reopening = current === 'FAILED_RETRYABLE' && state === 'STARTED';
      if (current !== 'STARTED' && !reopening) throw new TaskCompletedError(id);
      await this.#db.affected(this.#sql.insertState, [id, this.#now(), state ?? current, phase, truncate(status)], trx);
    });
  }

  async addResultObjects(id: string, objects: readonly Record<string, unknown>[], ownerId?: string): Promise<void> {
    if (objects.length === 0 && ownerId === undefined) return;
    await this.#insertBodies(id, this.#db.tables.taskResults, objects, ownerId);
  }

  addOutput(id: string, output: Record<string, unknown>, ownerId?: string): Promise<void> {
    return this.#insertBodies(id, this.#db.tables.taskOutputs, [output], ownerId);
  }

  #insertBodies(id: string, table: string, bodies: readonly Record<string, unknown>[], ownerId: string | undefined): Promise<void> {
    return this.#update(id, 'task update', async (trx, current, row) => {
      fence(id, row, ownerId);
      if (current !== 'STARTED') throw new TaskCompletedError(id);
      const now = this.#now();
      for (let i = 0; i < bodies.length; i += 1000) {
        const slice = bodies.slice(i, i + 1000);
        await this.#db.affected(
          this.#sql.insertBodies(table, slice.length),
          slice.flatMap((body) => [id, now, JSON.stringify(body)]),
          trx,
        );
      }
    });
  }

  async updateOwnerId(id: string, ownerId: string): Promise<void> {
    if (ownerId.length > SQL_LIMITS.ownerLength) throw new Error(`ownerId is longer than ${SQL_LIMITS.ownerLength} characters`);
    const matched = await this.#db.guard('task update', () => this.#db.affected(this.#sql.updateOwner, [ownerId, this.#now(), id]));
    if (matched === 0) throw new TaskNotFoundError(id);
  }

  async renewLease(id: string, ownerId: string): Promise<boolean> {
    if (id.length > SQL_LIMITS.taskIdLength) return false;
    try {
      return await this.#update(id, 'task lease', async (trx, current, row) => {
        if (current !== 'STARTED' || row.owner_id !== ownerId) return false;
        await this.#db.affected(this.#sql.updateOwner, [ownerId, this.#now(), id], trx);
        return true;
      });
    } catch (error) {
      if (error instanceof TaskNotFoundError) return false;
      throw error;
    }
  }

  async takeOver(id: string, expected: { ownerId: string; leaseRenewedAtMs: number | undefined }, newOwnerId: string): Promise<boolean> {
    if (newOwnerId.length > SQL_LIMITS.ownerLength) throw new Error(`ownerId is longer than ${SQL_LIMITS.ownerLength} characters`);
    try {
      return await this.#update(id, 'task takeover', async (trx, current, row) => {
        const lease = row.lease_renewed_at === null ? undefined : Number(row.lease_renewed_at);
        if (current !== 'STARTED' || row.owner_id !== expected.ownerId || lease !== expected.leaseRenewedAtMs) return false;
        await this.#db.affected(this.#sql.updateOwner, [newOwnerId, this.#now(), id], trx);
        return true;
      });
    } catch (error) {
      if (error instanceof TaskNotFoundError) return false;
      throw error;
    }
  }

  saveCheckpoint(id: string, checkpoint: TaskCheckpoint, ownerId?: string): Promise<void> {
    return this.#update(id, 'task checkpoint', async (trx, current, row) => {
      fence(id, row, ownerId);
      if (current !== 'STARTED') throw new TaskCompletedError(id);
      await this.#db.affected(this.#sql.updateCheckpoint, [JSON.stringify(checkpoint), id], trx);
    });
  }

  importTask(task: TaskRecord): Promise<boolean> {
    if (task.id.length > SQL_LIMITS.taskIdLength) return Promise.reject(new Error(`task id is longer than ${SQL_LIMITS.taskIdLength} characters`));
    if (task.requestId.length > SQL_LIMITS.requestIdLength)
      return Promise.reject(new Error(`clientRequestId is longer than ${SQL_LIMITS.requestIdLength} characters`));
    return this.#db.guard('task import', async () => {
      const t = this.#db.tables;
      const imported = await this.#db.transaction(async (trx) => {
        // Ignored on a clash of either the id or the request id; the check below tells which.
        if (
          (await this.#db.affected(
            this.#sql.insertTask,
            [task.id, task.requestId, task.ownerId, task.startTimeMs, task.leaseRenewedAtMs ?? null, task.scope ? JSON.stringify(task.scope) : null],
            trx,
          )) === 0
        )
          return false;
        if (task.checkpoint) await this.#db.affected(this.#sql.updateCheckpoint, [JSON.stringify(task.checkpoint), task.id], trx);
        // One row per line, in order, so `seq` keeps the history order.
        for (const line of task.history) {
          await this.#db.affected(this.#sql.insertState, [task.id, line.timestamp, line.state, line.phase, truncate(line.status)], trx);
        }
        const at = task.history[task.history.length - 1]?.timestamp ?? task.startTimeMs;
        for (const [table, bodies] of [
          [t.taskResults, task.resultObjects],
          [t.taskOutputs, task.outputs],
        ] as const) {
          for (let i = 0; i < bodies.length; i += 1000) {
            const slice = bodies.slice(i, i + 1000);
            await this.#db.affected(
              this.#sql.insertBodies(table, slice.length),
              slice.flatMap((body) => [task.id, at, JSON.stringify(body)]),
              trx,
            );
          }
        }
        return true;
      });
      if (imported) return true;
      if ((await this.#db.rows(this.#db.statement(`select id from ${t.tasks} where id = ?`), [task.id])).length > 0) return false;
      const [holder] = await this.#db.rows<{ id: string }>(this.#sql.selectIdByRequest, [task.requestId]);
      throw new TaskConflictError(task.id, task.requestId, holder?.id ?? '(unknown)');
    });
  }

  listTaskIds(): Promise<string[]> {
    return this.#db.guard('task read', async () =>
      (await this.#db.rows<{ id: string }>(this.#db.statement(`select id from ${this.#db.tables.tasks}`), [])).map((row) => row.id).sort(),
    );
  }

  /** Locks the task row, reads its owner, lease and current state and runs `work` in the same transaction. */
  #update<T>(id: string, operation: string, work: (trx: SqlExecutor, current: TaskState, row: LockedTask) => Promise<T>): Promise<T> {
    return this.#db.guard(operation, () =>
      this.#db.transaction(async (trx) => {
        const [row] = await this.#db.rows<LockedTask>(this.#sql.lockTask, [id], trx);
        if (!row) throw new TaskNotFoundError(id);
        const [latest] = await this.#db.rows<{ state: TaskState }>(this.#sql.latestState, [id], trx);
        return work(trx, latest?.state ?? 'STARTED', row);
      }),
    );
  }

  async #read(ids: readonly string[]): Promise<TaskRecord[]> {
    if (ids.length === 0) return [];
    const params = this.#sql.idParams(ids);
    const rows = await this.#db.rows<TaskRow>(this.#sql.readTasks(ids.length), [...params, ...params, ...params, ...params]);
    return assemble(rows);
  }

  /** Deletes completed tasks whose final state is older than `cutoffMs`, `batchSize` tasks per transaction. */
  async deleteCompletedBefore(cutoffMs: number, batchSize = 100): Promise<number> {
    const t = this.#db.tables;
    let deleted = 0;
    for (;;) {
      const ids = (await this.#db.guard('task cleanup', () => this.#db.rows<{ task_id: string }>(this.#sql.completedBefore, [cutoffMs, batchSize]))).map(
        (row) => row.task_id,
      );
      if (ids.length === 0) return deleted;
      await this.#db.guard('task cleanup', () =>
        this.#db.transaction(async (trx) => {
          const params = this.#sql.idParams(ids);
          for (const table of [t.taskStates, t.taskResults, t.taskOutputs])
            await this.#db.affected(this.#sql.deleteTasks(table, 'task_id', ids.length), params, trx);
          await this.#db.affected(this.#sql.deleteTasks(t.tasks, 'id', ids.length), params, trx);
        }),
      );
      deleted += ids.length;
      if (ids.length < batchSize) return deleted;
    }
  }

  ping(): Promise<void> {
    return this.#db.ping();
  }

  async close(): Promise<void> {
    if (this.#ownsDatabase) await this.#db.close();
  }
}

/** The owner check of a fenced write, on the locked row. */
function fence(id: string, row: LockedTask, ownerId: string | undefined): void {
  if (ownerId !== undefined && row.owner_id !== ownerId) throw new TaskLeaseLostError(id, ownerId);
}

function truncate(status: string): string {
  return status.length > SQL_LIMITS.statusLength ? status.slice(0, SQL_LIMITS.statusLength) : status;
}

function assemble(rows: readonly TaskRow[]): TaskRecord[] {
  const sorted = [...rows].sort((x, y) => Number(x.seq) - Number(y.seq));
  const byId = new Map<
    string,
    {
      record: Omit<TaskRecord, 'history' | 'resultObjects' | 'outputs'>;
      history: TaskStatusLine[];
      resultObjects: Record<string, unknown>[];
      outputs: Record<string, unknown>[];
    }
  >();
  for (const row of sorted) {
    if (row.kind !== 'T') continue;
    const scope = parseTaskScope(row.c);
    byId.set(row.task_id, {
      record: {
        id: row.task_id,
        requestId: row.a!,
        ownerId: row.b!,
        startTimeMs: Number(row.created_at),
        ...(row.seq !== null ? { leaseRenewedAtMs: Number(row.seq) } : {}),
        ...(row.d ? { checkpoint: JSON.parse(row.d) as TaskCheckpoint } : {}),
        ...(scope ? { scope } : {}),
      },
      history: [],
      resultObjects: [],
      outputs: [],
    });
  }
  for (const row of sorted) {
    const task = byId.get(row.task_id);
    if (!task) continue;
    if (row.kind === 'S') task.history.push({ state: row.a as TaskState, phase: row.b!, status: row.c!, timestamp: Number(row.created_at) });
    else if (row.kind === 'R') task.resultObjects.push(JSON.parse(row.a!) as Record<string, unknown>);
    else if (row.kind === 'O') task.outputs.push(JSON.parse(row.a!) as Record<string, unknown>);
  }
  const tasks: TaskRecord[] = [];
  for (const { record, history, resultObjects, outputs } of byId.values()) {
    if (history.length > 0) tasks.push({ ...record, history, resultObjects, outputs });
  }
  return tasks;
}
