import { z } from 'zod';

const seconds = (fallback: number) => z.number().positive().default(fallback);
const roleList = z.array(z.string().min(1));

/** A cloud block (`aws:`, `kubernetes:`, `google:`, `azure:`, or any provider's config key). */
export const cloudBlockSchema = z.looseObject({
  enabled: z.boolean().default(false),
  accounts: z.array(z.looseObject({ name: z.string().min(1, 'an account needs a name') })).default([]),
});

/**
 * Stratus's configuration. Key names follow Clouddriver's `clouddriver.yml` where the concept
 * exists (Spring's kebab-case spellings are accepted too and turned into camelCase), so operators
 * can bring their files. Unknown top-level keys are kept: they may be the blocks of providers
 * listed under `providers`.
 */
export const configSchema = z.looseObject({
  server: z
    .object({
      port: z.number().int().min(0).max(65535).default(7002),
      /** The address to listen on. */
      address: z.string().min(1).default('0.0.0.0'),
      /** This instance's id (task owner, scheduler node); `<hostname>-<pid>` by default. */
      nodeId: z.string().min(1).optional(),
      /**
       * How long an idle keep-alive connection stays open. Longer than a load balancer's idle timeout
       * (AWS ALB: 60 s), or the balancer reuses connections Node already closed and answers 502.
       */
      keepAliveTimeoutSeconds: z.number().positive().default(65),
    })
    .prefault({}),
  logging: z
    .object({ level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info') })
    .prefault({}),
  /** npm package names (or paths) of extra providers to load. */
  providers: z.array(z.string().min(1)).default([]),
  caching: z
    .object({
      /** false: an API-only replica that schedules no agents (Clouddriver `caching.write-enabled`). */
      writeEnabled: z.boolean().default(true),
      /** Agent cadence defaults for agents that set none (Clouddriver `redis.poll.*`). */
      poll: z
        .object({ intervalSeconds: seconds(30), errorIntervalSeconds: seconds(30), timeoutSeconds: seconds(300) })
        .prefault({}),
      maxConcurrentAgents: z.number().int().positive().default(100),
      /** Clouddriver's Redis cache batching keys (`caching.redis.maxMergeBatchSize`, …); validated by the Redis adapter. */
      redis: z.looseObject({}).optional(),
    })
    .prefault({}),
  /** Redis adapter settings (`redis.enabled`, `redis.connection`, …); read by the Redis adapter. */
  redis: z.looseObject({ enabled: z.boolean().default(false) }).prefault({}),
  /** Account sharding across caching replicas (`cache-sharding.enabled`, …); read by the clustered schedulers. */
  cacheSharding: z.looseObject({}).optional(),
  /** SQL adapter settings (`sql.enabled`, `sql.connectionPools`, …); read by the SQL adapter. */
  sql: z.looseObject({ enabled: z.boolean().default(false) }).prefault({}),
  /**
   * Task migration: create in `primary`, read through to `previous`. Each is an adapter name (memory,
   * redis, sql: the configured connection) or a store URL for a second connection (`redis://…?prefix=`,
   * `postgres://…`, `mysql://…`, `sqlite:…`; see docs/runbooks/cache-and-task-migration.md).
   */
  dualTaskRepository: z
    .object({
      enabled: z.boolean().default(false),
      primary: z.string().optional(),
      previous: z.string().optional(),
      previousTimeoutMs: z.number().int().positive().optional(),
    })
    .prefault({})
    .refine((value) => !value.enabled || (value.primary && value.previous), {
      message: 'dualTaskRepository.enabled needs both primary and previous (adapter names such as sql and redis, or store URLs)',
    }),
  account: z
    .object({
      /** Accounts managed through `POST/PUT/DELETE /credentials`, kept in the configured store. */
      storage: z
        .object({
          enabled: z.boolean().default(false),
          /** How often stored definitions are re-read, so changes made through another replica apply here too. */
          pollIntervalSeconds: z.number().positive().default(30),
        })
        .prefault({}),
    })
    .prefault({}),
  /** Who the caller is and which roles they have (accounts' `permissions` decide the rest). */
  security: z
    .object({
      /** Static user → roles map. */
      users: z.record(z.string(), roleList).default({}),
      /** Header with comma-separated roles set by a trusted proxy (e.g. `X-SPINNAKER-ROLES`). */
      rolesHeader: z.string().min(1).optional(),
      defaultRoles: roleList.default([]),
      adminRoles: roleList.default([]),
      /** Honour Gate's `X-SPINNAKER-ACCOUNTS` allowed-accounts header (trusted proxies only; for setups without Fiat). */
      trustAccountsHeader: z.boolean().default(false),
      /** Roles allowed to use `POST/PUT/DELETE /credentials`; empty = anyone who may WRITE the account. */
      accountManagerRoles: roleList.default([]),
    })
    .prefault({}),
  admin: z
    .object({
      /** How long shutdown waits for running operations (Clouddriver `admin.tasks.shutdown-wait-seconds`). */
      tasks: z
        .object({
          shutdownWaitSeconds: z.number().nonnegative().default(600),
          /** How long a running task's lease lasts without renewal before another replica takes it over (docs/operator-guide.md). */
          leaseSeconds: z.number().min(0.3).default(30),
        })
        .prefault({}),
    })
    .prefault({}),
  /** Reload accounts when the config file changes (SIGHUP always reloads). */
  dynamicConfig: z.object({ enabled: z.boolean().default(true) }).prefault({}),
  aws: cloudBlockSchema.optional(),
  kubernetes: cloudBlockSchema.optional(),
  google: cloudBlockSchema.optional(),
  azure: cloudBlockSchema.optional(),
});

export type StratusConfig = z.infer<typeof configSchema>;

/** Built-in providers: config key → package, loaded when `<key>.enabled` is true. */
export const BUILT_IN_PROVIDERS: Readonly<Record<string, string>> = {
  aws: '@stratus/provider-aws',
  kubernetes: '@stratus/provider-kubernetes',
  google: '@stratus/provider-gcp',
  azure: '@stratus/provider-azure',
};

/** Top-level keys whose nested keys are Stratus's own (kebab-case spellings become camelCase there). */
export const OWN_SECTIONS = [
  'server',
  'logging',
  'caching',
  'redis',
  'cacheSharding',
  'sql',
  'dualTaskRepository',
  'account',
  'security',
  'admin',
  'dynamicConfig',
] as const;
