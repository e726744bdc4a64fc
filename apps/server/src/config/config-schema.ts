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
  /** Marks the built-in demo (`config/demo.yml`, a synthetic cloud): logged loudly and shown by `GET /`. */
  demo: z.object({ enabled: z.boolean().default(false) }).prefault({}),
  /** Other Spinnaker services Stratus reads from (Clouddriver's `services.*`). */
  services: z
    .looseObject({
      /** Front50: projects (`GET /projects/{project}/clusters`) and application metadata; see docs/front50.md. */
      front50: z
        .object({
          enabled: z.boolean().default(false),
          /** e.g. `http://front50:8080`; the only address Stratus contacts for Front50. */
          baseUrl: z.url({ protocol: /^https?$/ }).optional(),
          timeoutSeconds: z.number().positive().default(10),
        })
        .prefault({})
        .refine((value) => !value.enabled || value.baseUrl, { message: 'services.front50.enabled needs services.front50.baseUrl', path: ['baseUrl'] }),
    })
    .prefault({}),
  /** Storage accounts (Clouddriver's `storage.accounts`); `GET /storage` lists their names. */
  storage: z.looseObject({ accounts: z.array(z.looseObject({ name: z.string().min(1, 'a storage account needs a name') })).default([]) }).prefault({}),
  /** Reload accounts when the config file changes (SIGHUP always reloads). */
  dynamicConfig: z.object({ enabled: z.boolean().default(true) }).prefault({}),
  /**
   * Artifact accounts, with Clouddriver's keys: `artifacts.<type>.enabled` and
   * `artifacts.<type>.accounts[]` per type (`http`, `s3`, `gcs`, `github`, `gitlab`, `bitbucket`,
   * `helm`, `gitRepo`, and types packages add); see docs/artifacts.md.
   */
  artifacts: z
    .looseObject({
      /** Largest artifact a download streams; larger ones fail with 413. */
      maxDownloadBytes: z.number().int().positive().default(100 * 1024 * 1024),
      /** How long an artifact upstream may stay silent. */
      timeoutSeconds: z.number().positive().default(60),
      /** Where downloads may go: by default any host resolving only to public addresses. */
      network: z
        .object({
          /** Only these hosts (`example.com`, `*.example.com`, `10.0.0.5:8080`); listing a host exactly also allows its private addresses. */
          allowedHosts: z.array(z.string().min(1)).default([]),
          /** Let any host resolve to loopback, private, link-local or metadata addresses. */
          allowPrivateAddresses: z.boolean().default(false),
        })
        .prefault({}),
    })
    .prefault({}),
  aws: cloudBlockSchema.optional(),
  kubernetes: cloudBlockSchema.optional(),
  google: cloudBlockSchema.optional(),
  azure: cloudBlockSchema.optional(),
  /** Docker Registry accounts (`@stratus/provider-docker-registry`, docs/providers/docker-registry.md). */
  dockerRegistry: cloudBlockSchema
    .extend({
      /** Whether accounts may use `passwordCommand` (a shell command run for the password). Only this file can allow it. */
      allowPasswordCommand: z.boolean().default(false),
    })
    .optional(),
});

export type StratusConfig = z.infer<typeof configSchema>;

/** Built-in providers: config key → package, loaded when `<key>.enabled` is true. */
export const BUILT_IN_PROVIDERS: Readonly<Record<string, string>> = {
  aws: '@stratus/provider-aws',
  kubernetes: '@stratus/provider-kubernetes',
  google: '@stratus/provider-gcp',
  azure: '@stratus/provider-azure',
  dockerRegistry: '@stratus/provider-docker-registry',
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
  'demo',
  'services',
  'storage',
  'artifacts',
] as const;
