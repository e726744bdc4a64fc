import { z } from 'zod';

const DAY_MS = 24 * 60 * 60 * 1000;

const positiveInt = z.number().int().positive();

/**
 * Clouddriver's pools name a JDBC URL with separate credentials (`jdbcUrl: jdbc:mysql://host:3306/clouddriver`,
 * `user`, `password`); Stratus's drivers take one URL. A pool given that way is read as the same URL.
 */
function fromJdbc(pool: unknown): unknown {
  if (typeof pool !== 'object' || pool === null || Array.isArray(pool)) return pool;
  const { jdbcUrl, user, password, url, ...rest } = pool as Record<string, unknown>;
  if (url !== undefined || typeof jdbcUrl !== 'string') return pool;
  const match = /^jdbc:(mysql|mariadb|postgresql):\/\/(.*)$/i.exec(jdbcUrl);
  if (!match) return { ...rest, url: jdbcUrl };
  const scheme = match[1]!.toLowerCase() === 'postgresql' ? 'postgres' : match[1]!.toLowerCase();
  const credentials =
    typeof user === 'string' && user ? `${encodeURIComponent(user)}${typeof password === 'string' && password ? `:${encodeURIComponent(password)}` : ''}@` : '';
  return { ...rest, url: `${scheme}://${credentials}${match[2]}` };
}

export const sqlConnectionPoolSchema = z.preprocess(
  fromJdbc,
  z.object({
    /** `postgres://user@host:5432/db`, `mysql://user@host:3306/db` (MariaDB too) or `sqlite:<path>`. */
    url: z
      .string()
      .min(1)
      .regex(/^(postgres(ql)?:\/\/|mysql:\/\/|mariadb:\/\/|sqlite:)/i, 'must start with postgres://, mysql://, mariadb:// or sqlite:'),
    maxPoolSize: positiveInt.default(10),
    connectTimeoutMs: positiveInt.default(5_000),
  }),
);

/**
 * The `sql:` block. Each concern (cache, scheduler, task repository) is switched on separately, so
 * e.g. a SQL cache can run with the Redis scheduler; like Clouddriver, each is off unless enabled.
 */
export const sqlConfigSchema = z
  .object({
    enabled: z.boolean().default(false),
    connectionPools: z.record(z.string(), sqlConnectionPoolSchema).prefault({}),
    /** Prefix for every table (`<ns>_cache_items`, …): lower-case letters, digits, `_`. */
    tableNamespace: z
      .string()
      .regex(/^[a-z][a-z0-9_]{0,29}$/, 'must be 1-30 lower-case letters, digits or _, starting with a letter')
      .optional(),
    /** Apply the shipped migrations at startup (safe with several replicas starting at once). */
    migrate: z.boolean().default(true),
    cache: z
      .object({
        enabled: z.boolean().default(false),
        readBatchSize: positiveInt.max(10_000).default(500),
        /**
         * Id batches of one read in flight at once (each on its own pooled connection): the database
         * looks up one batch while this process decodes the last. A cold cluster read of 27,500 items
         * took a third less time with 4 than with 1 on PostgreSQL and MariaDB (docs/sql.md).
         */
        readConcurrency: positiveInt.max(64).default(4),
        writeBatchSize: positiveInt.max(50_000).default(1_000),
      })
      .prefault({}),
    scheduler: z.object({ enabled: z.boolean().default(false) }).prefault({}),
    taskRepository: z.object({ enabled: z.boolean().default(false) }).prefault({}),
    agent: z
      .object({
        maxConcurrentAgents: positiveInt.default(100),
        /** How often each replica looks for agents to run. */
        agentLockAcquisitionIntervalMs: positiveInt.default(1_000),
        releaseThresholdMs: z.number().int().nonnegative().default(500),
        zombieThresholdMs: positiveInt.default(3_600_000),
        poll: z
          .object({
            intervalMs: positiveInt.default(30_000),
            errorIntervalMs: positiveInt.default(30_000),
            timeoutMs: positiveInt.default(300_000),
          })
          .prefault({}),
        taskCleanup: z
          .object({
            enabled: z.boolean().default(true),
            completedTtlMs: positiveInt.default(4 * DAY_MS),
            batchSize: positiveInt.default(100),
            intervalMs: positiveInt.default(60_000),
          })
          .prefault({}),
      })
      .prefault({}),
  })
  .superRefine((config, context) => {
    const anyConcern = config.cache.enabled || config.scheduler.enabled || config.taskRepository.enabled;
    if (config.enabled && anyConcern && !config.connectionPools.default) {
      context.addIssue({ code: 'custom', path: ['connectionPools', 'default', 'url'], message: 'required when sql.enabled is true' });
    }
    if (config.enabled && config.scheduler.enabled && config.connectionPools.default?.url.toLowerCase().startsWith('sqlite:')) {
      context.addIssue({ code: 'custom', path: ['scheduler', 'enabled'], message: 'the clustered scheduler needs PostgreSQL or MySQL/MariaDB, not SQLite' });
    }
  });

export type SqlConfig = z.output<typeof sqlConfigSchema>;
export type SqlConfigInput = z.input<typeof sqlConfigSchema>;
