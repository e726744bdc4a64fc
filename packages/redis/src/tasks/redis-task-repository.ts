import { randomUUID } from 'node:crypto';
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
import type { Redis } from 'ioredis';
import { LuaScript } from '../connection/lua-script.js';
import { closeRedis, pingRedis, withRedis } from '../connection/redis-client.js';

/**
 * Creates the task unless the request id is already mapped (one atomic step, so two servers
 * racing on one clientRequestId get one task). A mapping whose task is gone (retention) is replaced.
 */
const CREATE = new LuaScript(
  'task-create',
  `local existing = redis.call('GET', KEYS[1])
if existing and redis.call('EXISTS', ARGV[6] .. existing) == 1 then return {0, existing} end
redis.call('SET', KEYS[1], ARGV[1])
redis.call('HSET', KEYS[2], 'id', ARGV[1], 'requestId', ARGV[2], 'ownerId', ARGV[3], 'startTimeMs', ARGV[4], 'state', 'STARTED', 'leaseRenewedAtMs', ARGV[4])
if ARGV[7] and ARGV[7] ~= '' then redis.call('HSET', KEYS[2], 'scope', ARGV[7]) end
redis.call('RPUSH', KEYS[3], ARGV[5])
redis.call('SADD', KEYS[4], ARGV[1])
return {1, ARGV[1]}`,
);

/** The owner check of a fenced write (ARGV[n] = the writer's id, '' = not fenced); KEYS[1] is the task hash. */
const fenced = (arg: string) => `if ${arg} ~= '' and redis.call('HGET', KEYS[1], 'ownerId') ~= ${arg} then return redis.error_reply('TASK_LEASE_LOST') end`;

/**
 * Appends a history line with the completed-task rule: only a STARTED task changes, except a
 * FAILED_RETRYABLE one re-opened with STARTED. Completing a task leaves the running set and starts
 * its retention clock on every key; re-opening stops it.
 */
const APPEND_STATUS = new LuaScript(
  'task-append-status',
  `local current = redis.call('HGET', KEYS[1], 'state')
if not current then return redis.error_reply('TASK_NOT_FOUND') end
${fenced('ARGV[8]')}
local nextState = ARGV[1]
if nextState == '' then nextState = current end
if current ~= 'STARTED' and not (current == 'FAILED_RETRYABLE' and nextState == 'STARTED') then
  return redis.error_reply('TASK_COMPLETED')
end
redis.call('RPUSH', KEYS[2], cjson.encode({ phase = ARGV[2], status = ARGV[3], state = nextState, timestamp = tonumber(ARGV[4]) }))
redis.call('HSET', KEYS[1], 'state', nextState)
local mapKey = ARGV[7] .. redis.call('HGET', KEYS[1], 'requestId')
if nextState == 'STARTED' then
  redis.call('SADD', KEYS[3], ARGV[5])
  for i = 1, 5 do if i ~= 3 then redis.call('PERSIST', KEYS[i]) end end
  redis.call('PERSIST', mapKey)
else
  redis.call('SREM', KEYS[3], ARGV[5])
  local retention = tonumber(ARGV[6])
  if retention > 0 then
    for i = 1, 5 do if i ~= 3 then redis.call('PEXPIRE', KEYS[i], retention) end end
    redis.call('PEXPIRE', mapKey, retention)
  end
end
return 1`,
);

/** Appends result objects or outputs (ARGV[2..]) to a running task; ARGV[1] fences the write. */
const APPEND_LIST = new LuaScript(
  'task-append-list',
  `local current = redis.call('HGET', KEYS[1], 'state')
if not current then return redis.error_reply('TASK_NOT_FOUND') end
${fenced('ARGV[1]')}
if current ~= 'STARTED' then return redis.error_reply('TASK_COMPLETED') end
if #ARGV > 1 then redis.call('RPUSH', KEYS[2], unpack(ARGV, 2)) end
return 1`,
);

/** Sets the owner and starts its lease (ARGV: owner, now). */
const UPDATE_OWNER = new LuaScript(
  'task-update-owner',
  `if redis.call('EXISTS', KEYS[1]) == 0 then return redis.error_reply('TASK_NOT_FOUND') end
redis.call('HSET', KEYS[1], 'ownerId', ARGV[1], 'leaseRenewedAtMs', ARGV[2])
return 1`,
);

/** Renews the lease of a running task if ARGV[1] owns it (ARGV: owner, now); 0 when lost. */
const RENEW_LEASE = new LuaScript(
  'task-renew-lease',
  `local fields = redis.call('HMGET', KEYS[1], 'state', 'ownerId')
if fields[1] ~= 'STARTED' or fields[2] ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'leaseRenewedAtMs', ARGV[2])
return 1`,
);

/**
 * Compare-and-set of owner and lease (ARGV: expected owner, expected lease or '', new owner, now):
 * 1 when the running task still had the observed owner and lease and now belongs to the new owner.
 */
const TAKE_OVER = new LuaScript(
  'task-take-over',
  `local fields = redis.call('HMGET', KEYS[1], 'state', 'ownerId', 'leaseRenewedAtMs')
if fields[1] ~= 'STARTED' or fields[2] ~= ARGV[1] or (fields[3] or '') ~= ARGV[2] then return 0 end
redis.call('HSET', KEYS[1], 'ownerId', ARGV[3], 'leaseRenewedAtMs', ARGV[4])
return 1`,
);

/** Replaces the checkpoint of a running task (ARGV: fencing owner or '', checkpoint JSON). */
const SAVE_CHECKPOINT = new LuaScript(
  'task-save-checkpoint',
  `local current = redis.call('HGET', KEYS[1], 'state')
if not current then return redis.error_reply('TASK_NOT_FOUND') end
${fenced('ARGV[1]')}
if current ~= 'STARTED' then return redis.error_reply('TASK_COMPLETED') end
redis.call('HSET', KEYS[1], 'checkpoint', ARGV[2])
return 1`,
);

/**
 * Writes a whole task unless its id exists (then 0), in one step. A request id mapped to another live
 * task is a conflict ({-1, holder}). ARGV: id, requestId, ownerId, startTimeMs, state, retentionMs,
 * history count, result count, key prefix, lease ('' = none), checkpoint JSON ('' = none), then the
 * history, result and output JSON strings.
 */
const IMPORT = new LuaScript(
  'task-import',
  `if redis.call('EXISTS', KEYS[1]) == 1 then return {0, ARGV[1]} end
local holder = redis.call('GET', KEYS[5])
if holder and holder ~= ARGV[1] and redis.call('EXISTS', ARGV[9] .. holder) == 1 then return {-1, holder} end
local nHistory = tonumber(ARGV[7])
local nResults = tonumber(ARGV[8])
redis.call('HSET', KEYS[1], 'id', ARGV[1], 'requestId', ARGV[2], 'ownerId', ARGV[3], 'startTimeMs', ARGV[4], 'state', ARGV[5])
if ARGV[10] ~= '' then redis.call('HSET', KEYS[1], 'leaseRenewedAtMs', ARGV[10]) end
if ARGV[11] ~= '' then redis.call('HSET', KEYS[1], 'checkpoint', ARGV[11]) end
redis.call('DEL', KEYS[2], KEYS[3], KEYS[4])
for i = 12, 11 + nHistory do redis.call('RPUSH', KEYS[2], ARGV[i]) end
for i = 12 + nHistory, 11 + nHistory + nResults do redis.call('RPUSH', KEYS[3], ARGV[i]) end
for i = 12 + nHistory + nResults, #ARGV do redis.call('RPUSH', KEYS[4], ARGV[i]) end
redis.call('SET', KEYS[5], ARGV[1])
if ARGV[5] == 'STARTED' then
  redis.call('SADD', KEYS[6], ARGV[1])
else
  local retention = tonumber(ARGV[6])
  if retention > 0 then
    for i = 1, 5 do redis.call('PEXPIRE', KEYS[i], retention) end
  end
end
return {1, ARGV[1]}`,
);

export interface RedisTaskRepositoryOptions {
  /** First segment of every key (default `stratus`). */
  readonly keyPrefix?: string;
  /** How long a completed task stays readable (Clouddriver's Redis repository: 12 h). 0 = forever. */
  readonly completedRetentionMs?: number;
  /** Close the connection in `close()`. */
  readonly ownsConnection?: boolean;
  readonly now?: () => number;
}

/**
 * Clouddriver's RedisTaskRepository, made race-free: a task is a hash (`task:<id>`) plus lists for
 * history, results and outputs; `taskmap:<clientRequestId>` maps request ids to tasks; `tasks:running`
 * holds running ids. Every check-and-change is one Lua script and every read one MULTI, so updates
 * from any number of servers interleave safely and readers see consistent snapshots.
 */
export class RedisTaskRepository implements TaskRepository {
  readonly kind = 'redis';
  private readonly prefix: string;
  private readonly retentionMs: number;
  private readonly now: () => number;

  constructor(
    private readonly redis: Redis,
    private readonly options: RedisTaskRepositoryOptions = {},
  ) {
    this.prefix = options.keyPrefix ?? 'stratus';
    this.retentionMs = options.completedRetentionMs ?? 12 * 60 * 60 * 1000;
    this.now = options.now ?? Date.now;
  }

  private keys(id: string) {
    return {
      task: `${this.prefix}:task:${id}`,
      history: `${this.prefix}:taskHistory:${id}`,
      results: `${this.prefix}:taskResult:${id}`,
      outputs: `${this.prefix}:taskOutput:${id}`,
    };
  }

  private get runningKey(): string {
    return `${this.prefix}:tasks:running`;
  }

  private mapKey(clientRequestId: string): string {
    return `${this.prefix}:taskmap:${clientRequestId}`;
  }

  async create(phase: string, status: string, clientRequestId: string, ownerId: string, scope?: TaskScope): Promise<CreateTaskResult> {
    const id = randomUUID();
    const startTimeMs = this.now();
    const keys = this.keys(id);
    const line: TaskStatusLine = { phase, status, state: 'STARTED', timestamp: startTimeMs };
    const [created, taskId] = (await withRedis('create task', () =>
      CREATE.run(
        this.redis,
        [this.mapKey(clientRequestId), keys.task, keys.history, this.runningKey],
        [id, clientRequestId, ownerId, startTimeMs, JSON.stringify(line), `${this.prefix}:task:`, scope ? JSON.stringify(scope) : ''],
      ),
    )) as [number, string];
    const task = await this.get(taskId);
    if (!task) throw new TaskNotFoundError(taskId); // retention removed it in between; vanishingly rare
    return { task, created: created === 1 };
  }

  async get(id: string): Promise<TaskRecord | undefined> {
    const keys = this.keys(id);
    const replies = await withRedis('read task', () =>
      this.redis.multi().hgetall(keys.task).lrange(keys.history, 0, -1).lrange(keys.results, 0, -1).lrange(keys.outputs, 0, -1).exec(),
    );
    if (!replies) return undefined;
    for (const [error] of replies) if (error) throw error;
    const [hash, history, results, outputs] = replies.map(([, value]) => value) as [Record<string, string>, string[], string[], string[]];
    if (!hash.id) return undefined;
    const scope = parseTaskScope(hash.scope);
    return {
      id: hash.id,
      requestId: hash.requestId ?? '',
      ownerId: hash.ownerId ?? '',
      startTimeMs: Number(hash.startTimeMs),
      history: history.map((json) => JSON.parse(json) as TaskStatusLine),
      resultObjects: results.map((json) => JSON.parse(json) as Record<string, unknown>),
      outputs: outputs.map((json) => JSON.parse(json) as Record<string, unknown>),
      ...(hash.leaseRenewedAtMs ? { leaseRenewedAtMs: Number(hash.leaseRenewedAtMs) } : {}),
      ...(hash.checkpoint ? { checkpoint: JSON.parse(hash.checkpoint) as TaskCheckpoint } : {}),
      ...(scope ? { scope } : {}),
    };
  }

  async getByClientRequestId(clientRequestId: string): Promise<TaskRecord | undefined> {
    const id = await withRedis('read task map', () => this.redis.get(this.mapKey(clientRequestId)));
    return id ? this.get(id) : undefined;
  }

  async listRunning(): Promise<TaskRecord[]> {
    const ids = await withRedis('list running tasks', () => this.redis.smembers(this.runningKey));
    const tasks: TaskRecord[] = [];
    for (let i = 0; i < ids.length; i += 100) {
      const batch = await Promise.all(ids.slice(i, i + 100).map((id) => this.get(id)));
      for (const task of batch) if (task && task.history[task.history.length - 1]!.state === 'STARTED') tasks.push(task);
    }
    return tasks;
  }

  async listByOwner(ownerId: string): Promise<TaskRecord[]> {
    return (await this.listRunning()).filter((task) => task.ownerId === ownerId);
  }

  async appendStatus(id: string, phase: string, status: string, state?: TaskState, ownerId?: string): Promise<void> {
    const keys = this.keys(id);
    await this.mutate(
      id,
      () =>
        APPEND_STATUS.run(
          this.redis,
          [keys.task, keys.history, this.runningKey, keys.results, keys.outputs],
          [state ?? '', phase, status, this.now(), id, this.retentionMs, `${this.prefix}:taskmap:`, ownerId ?? ''],
        ),
      ownerId,
    );
  }

  async addResultObjects(id: string, objects: readonly Record<string, unknown>[], ownerId?: string): Promise<void> {
    const keys = this.keys(id);
    await this.mutate(
      id,
      () => APPEND_LIST.run(this.redis, [keys.task, keys.results], [ownerId ?? '', ...objects.map((object) => JSON.stringify(object))]),
      ownerId,
    );
  }

  async addOutput(id: string, output: Record<string, unknown>, ownerId?: string): Promise<void> {
    const keys = this.keys(id);
    await this.mutate(id, () => APPEND_LIST.run(this.redis, [keys.task, keys.outputs], [ownerId ?? '', JSON.stringify(output)]), ownerId);
  }

  async updateOwnerId(id: string, ownerId: string): Promise<void> {
    await this.mutate(id, () => UPDATE_OWNER.run(this.redis, [this.keys(id).task], [ownerId, this.now()]));
  }

  async renewLease(id: string, ownerId: string): Promise<boolean> {
    const renewed = await withRedis('renew task lease', () => RENEW_LEASE.run(this.redis, [this.keys(id).task], [ownerId, this.now()]));
    return Number(renewed) === 1;
  }

  async takeOver(id: string, expected: { ownerId: string; leaseRenewedAtMs: number | undefined }, newOwnerId: string): Promise<boolean> {
    const taken = await withRedis('take over task', () =>
      TAKE_OVER.run(this.redis, [this.keys(id).task], [expected.ownerId, expected.leaseRenewedAtMs ?? '', newOwnerId, this.now()]),
    );
    return Number(taken) === 1;
  }

  async saveCheckpoint(id: string, checkpoint: TaskCheckpoint, ownerId?: string): Promise<void> {
    await this.mutate(id, () => SAVE_CHECKPOINT.run(this.redis, [this.keys(id).task], [ownerId ?? '', JSON.stringify(checkpoint)]), ownerId);
  }

  async importTask(task: TaskRecord): Promise<boolean> {
    const keys = this.keys(task.id);
    const state = task.history[task.history.length - 1]?.state ?? 'STARTED';
    const [outcome, holder] = (await withRedis('import task', () =>
      IMPORT.run(
        this.redis,
        [keys.task, keys.history, keys.results, keys.outputs, this.mapKey(task.requestId), this.runningKey],
        [
          task.id,
          task.requestId,
          task.ownerId,
          task.startTimeMs,
          state,
          this.retentionMs,
          task.history.length,
          task.resultObjects.length,
          `${this.prefix}:task:`,
          task.leaseRenewedAtMs ?? '',
          task.checkpoint ? JSON.stringify(task.checkpoint) : '',
          ...task.history.map((line) => JSON.stringify(line)),
          ...task.resultObjects.map((object) => JSON.stringify(object)),
          ...task.outputs.map((output) => JSON.stringify(output)),
        ],
      ),
    )) as [number, string];
    if (outcome === -1) throw new TaskConflictError(task.id, task.requestId, holder);
    if (outcome === 1 && task.scope) await withRedis('import task', () => this.redis.hset(keys.task, 'scope', JSON.stringify(task.scope)));
    return outcome === 1;
  }

  /** SCANs `<prefix>:task:*` (never KEYS, which blocks a shared Redis). */
  async listTaskIds(): Promise<string[]> {
    const head = `${this.prefix}:task:`;
    const match = `${head.replace(/[*?[\]\\]/g, (c) => `\\${c}`)}*`;
    const ids = new Set<string>();
    let cursor = '0';
    do {
      const [next, keys] = await withRedis('list tasks', () => this.redis.scan(cursor, 'MATCH', match, 'COUNT', 1000));
      cursor = next;
      for (const key of keys) ids.add(key.slice(head.length));
    } while (cursor !== '0');
    return [...ids].sort();
  }

  /** Runs a script and maps its error replies to the repository's errors. */
  private async mutate(id: string, call: () => Promise<unknown>, ownerId = ''): Promise<void> {
    try {
      await withRedis('update task', call);
    } catch (error) {
      const message = error instanceof Error ? error.message : '';
      if (message.includes('TASK_NOT_FOUND')) throw new TaskNotFoundError(id);
      if (message.includes('TASK_COMPLETED')) throw new TaskCompletedError(id);
      if (message.includes('TASK_LEASE_LOST')) throw new TaskLeaseLostError(id, ownerId);
      throw error;
    }
  }

  ping(): Promise<void> {
    return pingRedis(this.redis);
  }

  async close(): Promise<void> {
    if (this.options.ownsConnection) await closeRedis(this.redis);
  }
}
