import type { Agent } from '@stratus/plugin-api';
import type { Redis } from 'ioredis';
import { LuaScript } from '../connection/lua-script.js';
import { javaStringHash } from './java-string-hash.js';

/** Heartbeat, prune and list in one step, on Redis' clock so node clocks need not agree. */
const HEARTBEAT = new LuaScript(
  'caching-replicas-heartbeat',
  `local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
return redis.call('ZRANGE', KEYS[1], 0, -1)`,
);

export interface RedisCachingReplicasOptions {
  readonly nodeId: string;
  /** Sorted set of live replicas (Clouddriver: `clouddriver:caching:replicas`). */
  readonly key: string;
  /** `cache-sharding.heartbeat-interval-seconds` (30 s). */
  readonly heartbeatIntervalMs?: number;
  /** `cache-sharding.replica-ttl-seconds` (60 s). */
  readonly replicaTtlMs?: number;
}

/**
 * Account sharding (Clouddriver's CachingPodsObserver + ShardingFilter): every replica heartbeats
 * into a sorted set scored by its expiry; an agent of account A runs on the replica at position
 * `abs(hash(A) % live)` of the sorted live ids. Agents without an account (housekeeping) run
 * anywhere. Shards move when replicas come and go; until the first heartbeat answered, this node
 * takes no sharded agent (it cannot know its index).
 */
export class RedisCachingReplicas {
  private replicas: string[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly heartbeatIntervalMs: number;
  private readonly replicaTtlMs: number;

  constructor(
    private readonly redis: Redis,
    private readonly options: RedisCachingReplicasOptions,
  ) {
    this.heartbeatIntervalMs = options.heartbeatIntervalMs ?? 30_000;
    this.replicaTtlMs = options.replicaTtlMs ?? 60_000;
  }

  /** The live replica ids, sorted, as of the last heartbeat. */
  get live(): readonly string[] {
    return this.replicas;
  }

  async heartbeat(): Promise<readonly string[]> {
    const members = (await HEARTBEAT.run(this.redis, [this.options.key], [this.options.nodeId, this.replicaTtlMs])) as string[];
    this.replicas = [...members].sort();
    return this.replicas;
  }

  accepts(agent: Agent): boolean {
    if (agent.accountName === undefined) return true;
    const index = this.replicas.indexOf(this.options.nodeId);
    if (index < 0) return false;
    if (this.replicas.length === 1) return true;
    return Math.abs(javaStringHash(agent.accountName) % this.replicas.length) === index;
  }

  async start(): Promise<void> {
    if (this.timer) return;
    this.timer = setInterval(() => void this.heartbeat().catch(() => undefined), this.heartbeatIntervalMs);
    this.timer.unref?.();
    await this.heartbeat().catch(() => undefined);
  }

  /** Stops heartbeating and leaves the set, so the others reshuffle at their next heartbeat. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    this.replicas = [];
    await this.redis.zrem(this.options.key, this.options.nodeId).catch(() => undefined);
  }
}
