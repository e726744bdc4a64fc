import { LuaScript, type createRedisClient, type ScheduledEntry } from '@stratus/redis';
import type { AgentStoreLock } from './agent-store-lock.js';

type Redis = ReturnType<typeof createRedisClient>;

// The Redis scheduler's lock protocol (packages/redis/src/scheduler/redis-agent-scheduler.ts):
// `<prefix>:<agentType>` = run token `<nodeId> <n>` with PX timeout + grace, set NX; at the end of
// a run the owner turns it into a marker holding `<nodeId>` until the next start, or deletes it.
const CONFIRM = new LuaScript(
  'migration-agent-lock-confirm',
  `if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[2]) then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 1`,
);
const RELEASE = new LuaScript(
  'migration-agent-lock-release',
  `if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
local ttl = tonumber(ARGV[2])
if ttl < tonumber(ARGV[3]) then redis.call('DEL', KEYS[1]) else redis.call('SET', KEYS[1], ARGV[4], 'PX', ttl) end
return 1`,
);
const FORGET = new LuaScript(
  'migration-agent-lock-forget',
  `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`,
);

export class RedisAgentStoreLock implements AgentStoreLock {
  readonly store = 'redis';
  private sequence = 0;

  constructor(
    private readonly redis: Redis,
    /** The Redis scheduler's key prefix (`<redis.keyPrefix>:agents`). */
    private readonly keyPrefix: string,
    private readonly nodeId: string,
    private readonly lockGraceMs = 1000,
    private readonly releaseThresholdMs = 500,
  ) {}

  private key(agentType: string): string {
    return `${this.keyPrefix}:${agentType}`;
  }

  async take(entries: readonly ScheduledEntry[]): Promise<Map<string, string>> {
    const taken = new Map<string, string>();
    if (entries.length === 0) return taken;
    const pipeline = this.redis.pipeline();
    const tokens = entries.map((entry) => {
      const token = `${this.nodeId} m${++this.sequence}`;
      pipeline.set(this.key(entry.agent.agentType), token, 'PX', entry.timing.timeoutMs + this.lockGraceMs, 'NX');
      return token;
    });
    const replies = (await pipeline.exec()) ?? [];
    const owners = this.redis.pipeline();
    entries.forEach((entry, i) => {
      const [error, reply] = replies[i] ?? [];
      if (error || reply !== 'OK') return;
      taken.set(entry.agent.agentType, tokens[i]!);
      // The owner between runs, as the Redis scheduler records it.
      owners.set(`${this.key(entry.agent.agentType)}#owner`, this.nodeId, 'PX', entry.timing.timeoutMs + this.lockGraceMs + 3 * entry.timing.intervalMs);
    });
    if (owners.length > 0) await owners.exec();
    return taken;
  }

  async confirm(agentType: string, token: string, leaseMs: number): Promise<boolean> {
    return (await CONFIRM.run(this.redis, [this.key(agentType)], [token, leaseMs + this.lockGraceMs])) === 1;
  }

  async release(agentType: string, token: string, nextRunInMs: number): Promise<void> {
    await RELEASE.run(this.redis, [this.key(agentType)], [token, Math.round(nextRunInMs), this.releaseThresholdMs, this.nodeId]);
  }

  async forget(agentType: string, token: string): Promise<void> {
    await FORGET.run(this.redis, [this.key(agentType)], [token]);
  }
}
