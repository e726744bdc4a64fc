import type { AgentLock } from '@stratus/core';
import type { AgentOwnership } from '@stratus/plugin-api';
import type { Redis } from 'ioredis';
import { LuaScript } from '../connection/lua-script.js';
import { closeRedis, withRedis } from '../connection/redis-client.js';
import { ClusteredSchedulerBase, type Acquired, type ActiveRun, type ClusteredSchedulerOptions, type ScheduledEntry } from './clustered-scheduler-base.js';

/**
 * Redis' clock in MILLISECONDS. Clouddriver's sort scheduler scores in seconds but adds millisecond
 * intervals to them (docs/architecture.md, "Scheduler semantics"); every score here is epoch ms, on the server's clock only.
 */
const NOW_MS = `local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
`;

/** Moves due agents (WAITZ score ≤ now) to WORKZ (score = deadline), up to ARGV[1] of them. */
const ACQUIRE = new LuaScript(
  'sort-acquire',
  `${NOW_MS}local cap = tonumber(ARGV[1])
local out = {}
local won = 0
for i = 2, #ARGV, 2 do
  if won >= cap then break end
  local agent = ARGV[i]
  local score = redis.call('ZSCORE', KEYS[1], agent)
  if score and tonumber(score) <= now then
    local deadline = now + tonumber(ARGV[i + 1])
    redis.call('ZREM', KEYS[1], agent)
    redis.call('ZADD', KEYS[2], deadline, agent)
    out[#out + 1] = agent
    out[#out + 1] = string.format('%d', deadline)
    out[#out + 1] = string.format('%d', now)
    won = won + 1
  end
end
return out`,
);

/** Fencing check before a write: still ours (WORKZ score unchanged)? Then push the deadline out. */
const CONFIRM = new LuaScript(
  'sort-confirm',
  `${NOW_MS}local score = redis.call('ZSCORE', KEYS[1], ARGV[1])
if not score or tonumber(score) ~= tonumber(ARGV[2]) then return false end
local deadline = math.max(tonumber(score), now + tonumber(ARGV[3]))
redis.call('ZADD', KEYS[1], 'XX', deadline, ARGV[1])
return string.format('%d', deadline)`,
);

/** Owner-only: back to WAITZ with the next run time. */
const RELEASE = new LuaScript(
  'sort-release',
  `local score = redis.call('ZSCORE', KEYS[2], ARGV[1])
if not score or tonumber(score) ~= tonumber(ARGV[2]) then return 0 end
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('ZADD', KEYS[1], tonumber(ARGV[3]), ARGV[1])
return 1`,
);

/** Work whose deadline passed (its node died or hung) becomes due again. */
const REQUEUE_EXPIRED = new LuaScript(
  'sort-requeue-expired',
  `${NOW_MS}local expired = redis.call('ZRANGE', KEYS[2], '-inf', now, 'BYSCORE', 'LIMIT', 0, 1000)
for _, agent in ipairs(expired) do
  redis.call('ZREM', KEYS[2], agent)
  redis.call('ZADD', KEYS[1], now, agent)
end
return #expired`,
);

/** Agents in neither set (new, or Redis lost its data) are due now. */
const RESEED = new LuaScript(
  'sort-reseed',
  `${NOW_MS}local added = 0
for _, agent in ipairs(ARGV) do
  if not redis.call('ZSCORE', KEYS[1], agent) and not redis.call('ZSCORE', KEYS[2], agent) then
    redis.call('ZADD', KEYS[1], now, agent)
    added = added + 1
  end
end
return added`,
);

const FORGET = new LuaScript(
  'sort-forget',
  `redis.call('ZREM', KEYS[1], ARGV[1])
if ARGV[2] ~= '' then
  local score = redis.call('ZSCORE', KEYS[2], ARGV[1])
  if score and tonumber(score) == tonumber(ARGV[2]) then redis.call('ZREM', KEYS[2], ARGV[1]) end
end
return 1`,
);

/** On-demand lock: a waiting agent moves to WORKZ; its old WAITZ score is kept in the token. */
const TRY_LOCK = new LuaScript(
  'sort-try-lock',
  `${NOW_MS}local score = redis.call('ZSCORE', KEYS[1], ARGV[1])
if not score then return false end
local deadline = now + tonumber(ARGV[2])
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('ZADD', KEYS[2], deadline, ARGV[1])
return { string.format('%d', deadline), score }`,
);

const LOCK_VALID = new LuaScript(
  'sort-lock-valid',
  `local score = redis.call('ZSCORE', KEYS[1], ARGV[1])
if score and tonumber(score) == tonumber(ARGV[2]) then return 1 end
return 0`,
);

/**
 * Claim for a write between runs: this node owns the agent (the owner hash names it) and the agent
 * is waiting, not running anywhere. Its WAITZ score is pushed to at least now + lease so no node
 * starts it mid-write; returns {original score, score set}, or false.
 */
const OWNER_CLAIM = new LuaScript(
  'sort-owner-claim',
  `${NOW_MS}if redis.call('HGET', KEYS[3], ARGV[1]) ~= ARGV[2] then return false end
local score = redis.call('ZSCORE', KEYS[1], ARGV[1])
if not score then return false end
local held = math.max(tonumber(score), now + tonumber(ARGV[3]))
if held ~= tonumber(score) then redis.call('ZADD', KEYS[1], 'XX', held, ARGV[1]) end
return { score, string.format('%d', held) }`,
);

/** Ends a claim: the agent's original next-run time comes back if nothing moved it meanwhile. */
const OWNER_UNCLAIM = new LuaScript(
  'sort-owner-unclaim',
  `local score = redis.call('ZSCORE', KEYS[1], ARGV[1])
if score and tonumber(score) == tonumber(ARGV[3]) then redis.call('ZADD', KEYS[1], 'XX', tonumber(ARGV[2]), ARGV[1]) end
return 1`,
);

/** Read-only: this node owns the agent, waiting or (ARGV[3] = '1': its run is here) running. */
const OWNER_CHECK = new LuaScript(
  'sort-owner-check',
  `if redis.call('HGET', KEYS[3], ARGV[1]) ~= ARGV[2] then return 0 end
if redis.call('ZSCORE', KEYS[1], ARGV[1]) then return 1 end
if ARGV[3] == '1' and redis.call('ZSCORE', KEYS[2], ARGV[1]) then return 1 end
return 0`,
);

export interface RedisSortAgentSchedulerOptions extends ClusteredSchedulerOptions {
  /** `redis.parallelism`: cap on runs in flight per node; -1 (default) = only `maxConcurrentAgents`. */
  readonly parallelism?: number;
  /** Re-add missing agents every this many ticks (Clouddriver: 30). */
  readonly reseedEveryTicks?: number;
  /** How long a write between runs may hold the agent back (default 10 s). */
  readonly writeLeaseMs?: number;
}

/** Fencing token of a sort-scheduler run: WORKZ deadline and the run's start, both Redis ms. */
function parseToken(token: string): { deadline: string; redisStart: number } {
  const [deadline, start] = token.split(':');
  return { deadline: deadline!, redisStart: Number(start) };
}

/**
 * Clouddriver's ClusteredSortAgentScheduler, with millisecond scores: every agent is in WAITZ
 * (score = when it may run next) or WORKZ (score = when its run times out). Lua moves agents
 * between the sets atomically on Redis' clock; the node whose move succeeds owns the run, and a run
 * may store its result only while its WORKZ score is still the one it set. Atomic: `tryLock` lets an
 * on-demand refresh hold an agent so no scheduled run writes at the same time.
 */
export class RedisSortAgentScheduler extends ClusteredSchedulerBase {
  readonly kind = 'redis-sort';
  readonly atomic = true;
  readonly waitKey: string;
  readonly workKey: string;
  /** Hash agent type → the node that last acquired it (its owner between runs). */
  readonly ownerKey: string;
  private readonly reseedEveryTicks: number;
  private ticks = 0;

  constructor(
    private readonly redis: Redis,
    private readonly options: RedisSortAgentSchedulerOptions = {},
  ) {
    const parallelism = options.parallelism ?? -1;
    const maxConcurrentAgents = parallelism > 0 ? Math.min(parallelism, options.maxConcurrentAgents ?? parallelism) : options.maxConcurrentAgents;
    super({ ...options, ...(maxConcurrentAgents !== undefined ? { maxConcurrentAgents } : {}) });
    this.waitKey = `${this.keyPrefix}:WAITZ`;
    this.workKey = `${this.keyPrefix}:WORKZ`;
    this.ownerKey = `${this.keyPrefix}:OWNERS`;
    this.reseedEveryTicks = Math.max(1, options.reseedEveryTicks ?? 30);
  }

  private get keys(): [string, string] {
    return [this.waitKey, this.workKey];
  }

  protected override onScheduled(entry: ScheduledEntry): void {
    void RESEED.run(this.redis, this.keys, [entry.agent.agentType]).catch(() => undefined);
  }

  protected override async onStart(): Promise<void> {
    await this.reseed();
  }

  protected override async onStop(): Promise<void> {
    if (this.options.ownsConnection) await closeRedis(this.redis);
  }

  /** Puts every locally registered agent that Redis does not know back into WAITZ. */
  async reseed(): Promise<number> {
    const types = [...this.entries.keys()];
    let added = 0;
    for (let i = 0; i < types.length; i += 500) added += Number(await RESEED.run(this.redis, this.keys, types.slice(i, i + 500)));
    return added;
  }

  protected override async beforeTick(): Promise<void> {
    if (++this.ticks % this.reseedEveryTicks === 0) await this.reseed();
    await REQUEUE_EXPIRED.run(this.redis, this.keys);
  }

  protected async acquire(candidates: readonly ScheduledEntry[], capacity: number): Promise<Acquired[]> {
    const byType = new Map(candidates.map((entry) => [entry.agent.agentType, entry]));
    const won: Acquired[] = [];
    for (let i = 0; i < candidates.length && won.length < capacity; i += 500) {
      const args: (string | number)[] = [capacity - won.length];
      for (const entry of candidates.slice(i, i + 500)) args.push(entry.agent.agentType, entry.timing.timeoutMs + this.lockGraceMs);
      const out = (await ACQUIRE.run(this.redis, this.keys, args)) as string[];
      for (let j = 0; j < out.length; j += 3) won.push({ entry: byType.get(out[j]!)!, token: `${out[j + 1]}:${out[j + 2]}` });
    }
    // Recorded while the agents sit in WORKZ: no claim of a previous owner can pass meanwhile.
    if (won.length > 0) await this.redis.hset(this.ownerKey, ...won.flatMap(({ entry }) => [entry.agent.agentType, this.nodeId]));
    return won;
  }

  /**
   * Owned between runs while the owner hash names this node and the agent waits in WAITZ; during
   * this node's own run the run's fencing covers it. A write holds the agent's next run back for its
   * duration and then restores it.
   */
  protected override ownershipFor(entry: ScheduledEntry): AgentOwnership {
    const agentType = entry.agent.agentType;
    const keys = [this.waitKey, this.workKey, this.ownerKey];
    const lease = this.options.writeLeaseMs ?? 10_000;
    const runningHere = () => this.running.get(agentType)?.entry === entry;
    const check = async () => this.isCurrent(entry) && (await OWNER_CHECK.run(this.redis, keys, [agentType, this.nodeId, runningHere() ? '1' : '0'])) === 1;
    return {
      owned: check,
      writeIfOwned: async (write) => {
        if (!this.isCurrent(entry)) return false;
        if (runningHere()) {
          // This node's run holds the agent in WORKZ; no other node can start it meanwhile.
          if (!(await check())) return false;
          await write();
          return true;
        }
        const claimed = (await OWNER_CLAIM.run(this.redis, keys, [agentType, this.nodeId, lease])) as [string, string] | null;
        if (!claimed) return false;
        try {
          await write();
        } finally {
          await OWNER_UNCLAIM.run(this.redis, [this.waitKey], [agentType, claimed[0], claimed[1]]).catch((error) =>
            this.options.onError?.(error, `write claim of ${agentType}`),
          );
        }
        return true;
      },
    };
  }

  protected async confirmAndExtend(run: ActiveRun): Promise<boolean> {
    const { deadline, redisStart } = parseToken(run.token);
    const lease = run.entry.timing.timeoutMs + this.lockGraceMs;
    const extended = (await CONFIRM.run(this.redis, [this.workKey], [run.entry.agent.agentType, deadline, lease])) as string | null;
    if (!extended) return false;
    run.token = `${extended}:${redisStart}`;
    return true;
  }

  protected async release(run: ActiveRun, nextRunInMs: number): Promise<void> {
    const { deadline, redisStart } = parseToken(run.token);
    // next = start + (error) interval, expressed on Redis' clock.
    const nextAt = redisStart + Math.round(Date.now() + nextRunInMs - run.startMs);
    await RELEASE.run(this.redis, this.keys, [run.entry.agent.agentType, deadline, nextAt]);
  }

  protected async forget(agentType: string, run: ActiveRun | undefined): Promise<void> {
    await FORGET.run(this.redis, this.keys, [agentType, run ? parseToken(run.token).deadline : '']);
  }

  // ---- atomic locking for on-demand refreshes ----

  async tryLock(agentType: string): Promise<AgentLock | undefined> {
    const timeoutMs = (this.entries.get(agentType)?.timing.timeoutMs ?? this.defaults.timeoutMs) + this.lockGraceMs;
    const reply = (await withRedis('tryLock', () => TRY_LOCK.run(this.redis, this.keys, [agentType, timeoutMs]))) as [string, string] | null;
    return reply ? { agentType, token: `${reply[0]}|${reply[1]}` } : undefined;
  }

  async lockValid(lock: AgentLock): Promise<boolean> {
    const [deadline] = lock.token.split('|');
    return (await withRedis('lockValid', () => LOCK_VALID.run(this.redis, [this.workKey], [lock.agentType, deadline!]))) === 1;
  }

  /** Releases an on-demand lock, restoring the agent's original next-run time. */
  async tryRelease(lock: AgentLock): Promise<boolean> {
    const [deadline, waitScore] = lock.token.split('|');
    return (await withRedis('tryRelease', () => RELEASE.run(this.redis, this.keys, [lock.agentType, deadline!, waitScore!]))) === 1;
  }
}
