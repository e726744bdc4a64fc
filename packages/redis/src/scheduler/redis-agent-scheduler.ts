import type { Agent, AgentOwnership } from '@stratus/plugin-api';
import { definedOnly } from '@stratus/core';
import type { Redis } from 'ioredis';
import { LuaScript } from '../connection/lua-script.js';
import { closeRedis } from '../connection/redis-client.js';
import { ClusteredSchedulerBase, type Acquired, type ActiveRun, type ClusteredSchedulerOptions, type ScheduledEntry } from './clustered-scheduler-base.js';
import { RedisCachingReplicas } from './redis-caching-replicas.js';

/**
 * Owner-only end of a run: the lock becomes a "not before" marker for the rest of the interval
 * (value = node id, so no run token matches it any more), or disappears when little time is left.
 */
const RELEASE = new LuaScript(
  'agent-lock-release',
  `if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
local ttl = tonumber(ARGV[2])
if ttl < tonumber(ARGV[3]) then redis.call('DEL', KEYS[1]) else redis.call('SET', KEYS[1], ARGV[4], 'PX', ttl) end
return 1`,
);

/** Owner-only check before a guarded write; stretches the lock so it outlives the write. */
const CONFIRM = new LuaScript(
  'agent-lock-confirm',
  `if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[2]) then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 1`,
);

const FORGET = new LuaScript(
  'agent-lock-forget',
  `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`,
);

/**
 * Is this node the agent's owner? The lock (a run token `<nodeId> <run>` or the `<nodeId>` "not
 * before" marker) names the node that ran it last; once the marker has expired and before any
 * node took the agent again, the owner key (set at every acquisition) does.
 */
const OWNS = `local function mine(v) return v == ARGV[1] or string.sub(v, 1, #ARGV[1] + 1) == ARGV[1] .. ' ' end
local v = redis.call('GET', KEYS[1])
if v then if mine(v) then return 1 end return 0 end
if redis.call('GET', KEYS[2]) == ARGV[1] then return 1 end
return 0`;

const OWNED = new LuaScript('agent-owned', OWNS);

/**
 * Owner-only claim before a write between runs, fencing it like a run's write: the lock is held
 * over the write so no node can take the agent meanwhile. Returns 0 (not the owner) or
 * {value, deadline}: what the lock held and when it was due to expire (Redis time, ms; -1 when this
 * claim created it), for {@link UNCLAIM} to put back, so writes never postpone the next run.
 */
const CLAIM = new LuaScript(
  'agent-write-claim',
  `local function mine(v) return v == ARGV[1] or string.sub(v, 1, #ARGV[1] + 1) == ARGV[1] .. ' ' end
local v = redis.call('GET', KEYS[1])
if v then
  if not mine(v) then return 0 end
  local pttl = redis.call('PTTL', KEYS[1])
  local t = redis.call('TIME')
  local deadline = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) + pttl
  if pttl < 0 then deadline = -2 end
  if pttl >= 0 and pttl < tonumber(ARGV[2]) then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
  return {v, tostring(deadline)}
end
if redis.call('GET', KEYS[2]) ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[3], 'PX', ARGV[2])
return {ARGV[3], '-1'}`,
);

/** Ends a write claim: deletes a lock the claim created, or restores the expiry it had (if unchanged). */
const UNCLAIM = new LuaScript(
  'agent-write-unclaim',
  `if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
local deadline = tonumber(ARGV[2])
if deadline == -1 then return redis.call('DEL', KEYS[1]) end
if deadline == -2 then return 1 end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
if deadline <= now then return redis.call('DEL', KEYS[1]) end
redis.call('PEXPIREAT', KEYS[1], deadline)
return 1`,
);

export interface ShardingOptions {
  /** `cache-sharding.heartbeat-interval-seconds` in ms (30 s). */
  readonly heartbeatIntervalMs?: number;
  /** `cache-sharding.replica-ttl-seconds` in ms (60 s). */
  readonly replicaTtlMs?: number;
  /** The replica set key (default `<keyPrefix>:caching:replicas`). */
  readonly key?: string;
}

export interface RedisAgentSchedulerOptions extends ClusteredSchedulerOptions {
  /** Delete instead of re-arming the lock when less than this remains (Clouddriver: 500 ms). */
  readonly releaseThresholdMs?: number;
  /** Account sharding (`cache-sharding.enabled`); off when absent. */
  readonly sharding?: ShardingOptions;
  /** How long a write between runs may hold the agent's lock (default 10 s). */
  readonly writeLeaseMs?: number;
}

/**
 * Clouddriver's ClusteredAgentScheduler: the lock is the schedule. Each tick the node tries
 * `SET <prefix>:<agentType> <token> NX PX <timeout + grace>` for as many shuffled candidates as it
 * has capacity; the winner runs the agent. On completion the owner (Lua compare-and-set) shortens
 * the key to `start + interval − now` (error interval after a failure) or deletes it when less than
 * `releaseThresholdMs` remain, so the key also tells every node when the agent is next due. A dead
 * node's keys simply expire. The token is `<nodeId> <runId>`, so a run that timed out on this very
 * node cannot pass the fencing check of a later run.
 */
export class RedisAgentScheduler extends ClusteredSchedulerBase {
  readonly kind = 'redis';
  readonly replicas: RedisCachingReplicas | undefined;
  private readonly releaseThresholdMs: number;
  private runSequence = 0;

  constructor(
    private readonly redis: Redis,
    private readonly options: RedisAgentSchedulerOptions = {},
  ) {
    super(options);
    this.releaseThresholdMs = options.releaseThresholdMs ?? 500;
    this.replicas = options.sharding
      ? new RedisCachingReplicas(
          redis,
          definedOnly({
            nodeId: this.nodeId,
            key: options.sharding.key ?? `${this.keyPrefix}:caching:replicas`,
            heartbeatIntervalMs: options.sharding.heartbeatIntervalMs,
            replicaTtlMs: options.sharding.replicaTtlMs,
          }),
        )
      : undefined;
  }

  /** The Redis key holding an agent's lock / schedule. */
  lockKey(agentType: string): string {
    return `${this.keyPrefix}:${agentType}`;
  }

  /** The Redis key naming the node that last acquired the agent (its owner between runs). */
  ownerKey(agentType: string): string {
    return `${this.keyPrefix}:${agentType}#owner`;
  }

  protected override ownershipFor(entry: ScheduledEntry): AgentOwnership {
    const keys = [this.lockKey(entry.agent.agentType), this.ownerKey(entry.agent.agentType)];
    const lease = this.options.writeLeaseMs ?? 10_000;
    return {
      owned: async () => this.isCurrent(entry) && (await OWNED.run(this.redis, keys, [this.nodeId])) === 1,
      writeIfOwned: async (write) => {
        if (!this.isCurrent(entry)) return false;
        const claimed = (await CLAIM.run(this.redis, keys, [this.nodeId, lease, `${this.nodeId} write-${++this.runSequence}`])) as 0 | [string, string];
        if (!Array.isArray(claimed)) return false;
        try {
          await write();
        } finally {
          await UNCLAIM.run(this.redis, [keys[0]!], claimed).catch((error) => this.options.onError?.(error, `write claim of ${entry.agent.agentType}`));
        }
        return true;
      },
    };
  }

  protected override accepts(agent: Agent): boolean {
    return this.replicas ? this.replicas.accepts(agent) : true;
  }

  protected override async onStart(): Promise<void> {
    await this.replicas?.start();
  }

  protected override async onStop(): Promise<void> {
    await this.replicas?.stop();
    if (this.options.ownsConnection) await closeRedis(this.redis);
  }

  protected async acquire(candidates: readonly ScheduledEntry[], capacity: number): Promise<Acquired[]> {
    const won: Acquired[] = [];
    let next = 0;
    // Try exactly as many as there is room for, so one pipelined round can never overshoot.
    while (won.length < capacity && next < candidates.length) {
      const batch = candidates.slice(next, next + (capacity - won.length));
      next += batch.length;
      const pipeline = this.redis.pipeline();
      const tokens = batch.map((entry) => {
        const token = `${this.nodeId} ${++this.runSequence}`;
        pipeline.set(this.lockKey(entry.agent.agentType), token, 'PX', entry.timing.timeoutMs + this.lockGraceMs, 'NX');
        return token;
      });
      const replies = (await pipeline.exec()) ?? [];
      const owners = this.redis.pipeline();
      batch.forEach((entry, i) => {
        const [error, reply] = replies[i] ?? [];
        if (error || reply !== 'OK') return;
        won.push({ entry, token: tokens[i]! });
        // The owner between runs, until another node acquires it (outlives a few intervals).
        const ttl = entry.timing.timeoutMs + this.lockGraceMs + 3 * entry.timing.intervalMs;
        owners.set(this.ownerKey(entry.agent.agentType), this.nodeId, 'PX', ttl);
      });
      if (owners.length > 0) await owners.exec();
    }
    return won;
  }

  protected async confirmAndExtend(run: ActiveRun): Promise<boolean> {
    const lease = run.entry.timing.timeoutMs + this.lockGraceMs;
    return (await CONFIRM.run(this.redis, [this.lockKey(run.entry.agent.agentType)], [run.token, lease])) === 1;
  }

  protected async release(run: ActiveRun, nextRunInMs: number): Promise<void> {
    const ttl = Math.round(nextRunInMs);
    await RELEASE.run(this.redis, [this.lockKey(run.entry.agent.agentType)], [run.token, ttl, this.releaseThresholdMs, this.nodeId]);
  }

  protected async forget(agentType: string, run: ActiveRun | undefined): Promise<void> {
    if (run) await FORGET.run(this.redis, [this.lockKey(agentType)], [run.token]);
  }
}
