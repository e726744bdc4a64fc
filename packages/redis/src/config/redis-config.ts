import { z } from 'zod';
import type { RedisCacheOptions } from '../cache/redis-cache-options.js';

/** `cache-sharding` → `cacheSharding`, `heartbeat-interval-seconds` → `heartbeatIntervalSeconds` (YAML may use either). */
function camelCaseKeys(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) out[key.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase())] = camelCaseKeys(inner);
  return out;
}

const positiveInt = z.number().int().positive();

const connectionSchema = z
  .string()
  .refine((url) => /^rediss?:\/\//.test(url), { message: 'must start with redis:// or rediss://' })
  .refine(
    (url) => {
      try {
        const path = new URL(url).pathname.replace(/^\//, '');
        return path === '' || /^\d+$/.test(path);
      } catch {
        return false;
      }
    },
    { message: 'must be a valid URL whose path, if any, is a database index (redis://host:6379/2)' },
  );

const schedulerType = z.enum(['default', 'sort']);

/**
 * `redis.scheduler` is both Clouddriver's flavour string (`default` | `sort`) and the parent of
 * `redis.scheduler.enabled`; accept either shape and normalise to `{ enabled, type }`.
 */
const schedulerSchema = z
  .union([
    schedulerType.transform((type) => ({ enabled: true, type })),
    z
      .object({
        enabled: z.boolean().default(true),
        type: schedulerType.default('default'),
      })
      .strict(),
  ])
  .prefault({});

/** The `redis` configuration block. Each concern switches independently once `enabled` is true. */
export const redisConfigSchema = z.preprocess(
  camelCaseKeys,
  z
    .object({
      /** Stratus defaults to the embedded memory backends; Clouddriver defaults this to true. */
      enabled: z.boolean().default(false),
      connection: connectionSchema.default('redis://localhost:6379'),
      /** Connect timeout in ms (`redis.timeout`, 2000). */
      timeout: positiveInt.default(2000),
      /** First segment of every key, so several installations can share one server. */
      keyPrefix: z
        .string()
        .min(1)
        .regex(/^[^\s*?[\]]+$/, 'must not contain spaces or glob characters')
        .default('stratus'),
      cache: z
        .object({
          enabled: z.boolean().default(true),
          writeBatchSize: positiveInt.optional(),
          writeConcurrency: positiveInt.optional(),
          readBatchSize: positiveInt.optional(),
          multiOpSize: positiveInt.optional(),
          scanCount: positiveInt.optional(),
          hashingEnabled: z.boolean().optional(),
        })
        .strict()
        .prefault({}),
      scheduler: schedulerSchema,
      /** Sort scheduler only: runs in flight per node, -1 = unlimited (`redis.parallelism`). */
      parallelism: z.number().int().min(-1).default(-1),
      taskRepository: z
        .object({
          enabled: z.boolean().default(true),
          /** How long completed tasks stay readable (Clouddriver: 12 h). 0 = forever. */
          completedRetentionSeconds: z.number().int().min(0).default(43_200),
        })
        .strict()
        .prefault({}),
      poll: z
        .object({
          intervalSeconds: positiveInt.default(30),
          errorIntervalSeconds: positiveInt.default(30),
          timeoutSeconds: positiveInt.default(300),
        })
        .strict()
        .prefault({}),
      agent: z
        .object({
          maxConcurrentAgents: positiveInt.default(1000),
          enabledPattern: z
            .string()
            .default('.*')
            .refine(
              (pattern) => {
                try {
                  new RegExp(pattern);
                  return true;
                } catch {
                  return false;
                }
              },
              { message: 'must be a valid regular expression' },
            ),
          agentLockAcquisitionIntervalSeconds: z.number().positive().default(1),
        })
        .strict()
        .prefault({}),
    })
    .strict(),
);

/** The `cache-sharding` block (docs/architecture.md, "Scheduler semantics", sharding). */
export const cacheShardingConfigSchema = z.preprocess(
  camelCaseKeys,
  z
    .object({
      enabled: z.boolean().default(false),
      heartbeatIntervalSeconds: positiveInt.default(30),
      replicaTtlSeconds: positiveInt.default(60),
    })
    .strict()
    .refine((value) => value.replicaTtlSeconds > value.heartbeatIntervalSeconds, {
      message: 'replicaTtlSeconds must exceed heartbeatIntervalSeconds, or replicas drop out between heartbeats',
      path: ['replicaTtlSeconds'],
    }),
);

/**
 * Clouddriver's `caching.redis.*` batching keys, accepted so an existing configuration carries over.
 * Stratus has fewer knobs: the variadic-command limits (`maxMsetSize`, `maxHmgetSize`, `maxSaddSize`,
 * `maxDelSize`, …) all set `multiOpSize` (the smallest given wins). `redis.cache.*` (Stratus's own
 * names) take precedence over these.
 */
export const cachingRedisConfigSchema = z.preprocess(
  camelCaseKeys,
  z
    .object({
      maxMergeBatchSize: positiveInt.optional(),
      batchSize: positiveInt.optional(),
      maxGetBatchSize: positiveInt.optional(),
      maxEvictBatchSize: positiveInt.optional(),
      scanSize: positiveInt.optional(),
      multiOpSize: positiveInt.optional(),
      maxMsetSize: positiveInt.optional(),
      maxMgetSize: positiveInt.optional(),
      maxHmgetSize: positiveInt.optional(),
      maxHmsetSize: positiveInt.optional(),
      maxSaddSize: positiveInt.optional(),
      maxDelSize: positiveInt.optional(),
      maxPipelineSize: positiveInt.optional(),
      hashingEnabled: z.boolean().optional(),
    })
    .strict()
    .prefault({}),
);

/** The Redis cache tuning a `caching.redis` block sets, in `redis.cache` terms. */
export function cacheTuningFromCachingRedis(input: unknown): Partial<RedisCacheOptions> {
  const c = parseWith(cachingRedisConfigSchema, 'caching.redis', input);
  const multi = [c.multiOpSize, c.maxMsetSize, c.maxMgetSize, c.maxHmgetSize, c.maxHmsetSize, c.maxSaddSize, c.maxDelSize, c.maxEvictBatchSize].filter(
    (value): value is number => value !== undefined,
  );
  const tuning = {
    writeBatchSize: c.maxMergeBatchSize ?? c.batchSize ?? c.maxPipelineSize,
    readBatchSize: c.maxGetBatchSize ?? c.maxPipelineSize,
    multiOpSize: multi.length > 0 ? Math.min(...multi) : undefined,
    scanCount: c.scanSize,
    hashingEnabled: c.hashingEnabled,
  };
  return Object.fromEntries(Object.entries(tuning).filter(([, value]) => value !== undefined));
}

export type RedisConfig = z.output<typeof redisConfigSchema>;
export type CacheShardingConfig = z.output<typeof cacheShardingConfigSchema>;

/** Thrown for invalid configuration; the message names every bad field (`redis.poll.timeoutSeconds: …`). */
export class RedisConfigError extends Error {
  readonly statusCode = 400;

  constructor(readonly issues: readonly string[]) {
    super(`Invalid Redis configuration: ${issues.join('; ')}`);
    this.name = 'RedisConfigError';
  }
}

function parseWith<T>(schema: z.ZodType<T>, root: string, input: unknown): T {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  throw new RedisConfigError(result.error.issues.map((issue) => `${[root, ...issue.path.map(String)].join('.')}: ${issue.message}`));
}

export function parseRedisConfig(input: unknown): RedisConfig {
  return parseWith(redisConfigSchema, 'redis', input);
}

export function parseCacheShardingConfig(input: unknown): CacheShardingConfig {
  return parseWith(cacheShardingConfigSchema, 'cache-sharding', input);
}
