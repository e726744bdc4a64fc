import { z } from 'zod';
import { STORAGE_ADAPTERS } from '../modules/storage-adapter-modules.js';

type StorageAdapterList = typeof STORAGE_ADAPTERS;
/** Each store's config section (`redis`, `sql`, …) keyed as the store names it, with the store's own schema. */
type StorageSections = {
  [A in StorageAdapterList[number] as A extends { readonly configSection: { readonly key: infer K extends string } } ? K : never]: A extends {
    readonly configSection: { readonly schema: infer S };
  }
    ? S
    : never;
};

/** The stores' sections, from the server's store list: a new store's module brings its section along. */
function storageSections(adapters: StorageAdapterList): StorageSections {
  return Object.fromEntries(
    adapters.flatMap((adapter) => ('configSection' in adapter ? [[adapter.configSection.key, adapter.configSection.schema]] : [])),
  ) as StorageSections;
}

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
      /**
       * Per-caller limit on `POST` requests (off by default). The caller is `X-SPINNAKER-USER`, else
       * the peer address; counted per replica (in memory).
       */
      rateLimit: z
        .object({
          enabled: z.boolean().default(false),
          windowSeconds: z.number().int().positive().default(60),
          /** Most `POST` requests one caller may send per window; more are answered 429. */
          maxPostsPerWindow: z.number().int().positive().default(600),
        })
        .prefault({}),
      /**
       * The per-application view cache (docs/read-api.md, "Repeated reads"): how long a serialised
       * `/applications/{app}/serverGroups|clusters…|loadBalancers` response may be served while no
       * write to its application was seen. Writes through any replica are seen at once (generations
       * and shared stamps); this bounds staleness only against writers that publish no stamps (the
       * admin CLI's truncate, a cache migration tool). `0` turns the cache off.
       */
      viewCache: z
        .object({
          ttlSeconds: z.number().min(0).default(60),
        })
        .prefault({}),
      /**
       * HTTPS on the main port (Spring's `server.ssl`, with PEM files instead of key stores). With
       * `clientAuth` `want` or `need` (Spring's `client-auth`), `X-SPINNAKER-USER` and the roles and
       * accounts headers are believed only on connections whose client certificate `clientCaFile`
       * verified (or, when also set, from `security.identity` trusted proxies or with its shared
       * secret). The management port stays plain HTTP. docs/threat-model.md.
       */
      ssl: z
        .object({
          enabled: z.boolean().default(false),
          /** PEM certificate (with its chain) the main port presents. */
          certificateFile: z.string().min(1).optional(),
          /** PEM private key of `certificateFile`. */
          keyFile: z.string().min(1).optional(),
          /** PEM CA certificates that client certificates must chain to. */
          clientCaFile: z.string().min(1).optional(),
          /** `none`, `want` (ask for a client certificate; without one the caller is anonymous) or `need` (refuse connections without one). */
          clientAuth: z.enum(['none', 'want', 'need']).default('none'),
        })
        .superRefine((ssl, context) => {
          if (!ssl.enabled) return;
          for (const key of ['certificateFile', 'keyFile'] as const) {
            if (!ssl[key]) context.addIssue({ code: 'custom', path: [key], message: `server.ssl.enabled needs server.ssl.${key}` });
          }
          if (ssl.clientAuth !== 'none' && !ssl.clientCaFile) {
            context.addIssue({ code: 'custom', path: ['clientCaFile'], message: `server.ssl.clientAuth ${ssl.clientAuth} needs server.ssl.clientCaFile` });
          }
        })
        .prefault({}),
    })
    .prefault({}),
  /** Spring's management server: `/metrics`, readiness details and `/cache/introspection` on their own port, in full. */
  management: z
    .object({
      server: z
        .object({
          /** The management port; unset = no separate port (the main port shows each caller only what it may read). */
          port: z.number().int().min(0).max(65535).optional(),
          /** The address the management port listens on (default: `server.address`). */
          address: z.string().min(1).optional(),
        })
        .prefault({}),
    })
    .prefault({}),
  /** Limits on what one request may ask for. */
  operations: z
    .object({
      /** Most operations one `POST …/ops` may carry; more are refused with 413 naming this key. */
      maxPerRequest: z.number().int().positive().default(500),
    })
    .prefault({}),
  /** Other Spinnaker services Stratus talks to (Spinnaker's `services.<name>.baseUrl`). */
  services: z
    .looseObject({
      /** Fiat: the callers' account and application permissions from `GET /authorize/{user}` instead of `security.users`. */
      fiat: z
        .object({
          enabled: z.boolean().default(false),
          baseUrl: z.string().url().optional(),
          /** How long a user's permissions are reused before Fiat is asked again. */
          cacheTtlSeconds: z.number().nonnegative().default(10),
          timeoutSeconds: z.number().positive().default(5),
        })
        .prefault({})
        .refine((fiat) => !fiat.enabled || fiat.baseUrl, { message: 'services.fiat.enabled needs services.fiat.baseUrl' }),
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
  logging: z
    .object({
      level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
      /**
       * Write log lines to stdout 4 KiB at a time (and at least every second) instead of one write per
       * line: cheaper under heavy request traffic, but a line may appear up to a second late and a kill
       * the process cannot see (SIGKILL) may lose the last ones.
       */
      buffered: z.boolean().default(false),
    })
    .prefault({}),
  /** npm package names (or paths) of extra providers to load. */
  providers: z.array(z.string().min(1)).default([]),
  caching: z
    .object({
      /** false: an API-only replica that schedules no agents (Clouddriver `caching.write-enabled`). */
      writeEnabled: z.boolean().default(true),
      /** Agent cadence defaults for agents that set none (Clouddriver `redis.poll.*`). */
      poll: z.object({ intervalSeconds: seconds(30), errorIntervalSeconds: seconds(30), timeoutSeconds: seconds(300) }).prefault({}),
      maxConcurrentAgents: z.number().int().positive().default(100),
      /** Clouddriver's Redis cache batching keys (`caching.redis.maxMergeBatchSize`, …); validated by the Redis adapter. */
      redis: z.looseObject({}).optional(),
      /**
       * A cache store migration in progress: agents write every result to the current store and to
       * `target` (a store URL: `redis://…?prefix=`, `postgres://…?tableNamespace=`, `mysql://…`), reads
       * stay on the current store (docs/runbooks/cache-and-task-migration.md).
       */
      migration: z.object({ target: z.string().min(1) }).optional(),
    })
    .prefault({}),
  /** Account sharding across caching replicas (`cache-sharding.enabled`, …); read by the clustered schedulers. */
  cacheSharding: z.looseObject({}).optional(),
  /** The stores' sections (`redis.enabled`, `sql.connectionPools`, …), each with its own package's schema. */
  ...storageSections(STORAGE_ADAPTERS),
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
      /**
       * `read-through`: new tasks live in the primary only (reads fall back to previous).
       * `dual-write`: new tasks and every change to them also go to previous, so rolling back is
       * swapping primary and previous (docs/runbooks/cache-and-task-migration.md).
       */
      mode: z.enum(['read-through', 'dual-write']).default('read-through'),
      /** dual-write: where task copies that failed wait for a retry. */
      retryQueue: z
        .object({
          /** JSON file keeping the queue across restarts; unset = memory only (lost on restart, shown in readiness). */
          file: z.string().min(1).optional(),
          /** At most this many tasks wait; beyond it a failed copy is only counted (fix with `stratus migrate tasks`). */
          maxEntries: z.number().int().positive().default(10_000),
          retryIntervalMs: z.number().int().positive().default(5000),
        })
        .prefault({}),
    })
    .prefault({})
    .refine((value) => !value.enabled || (value.primary && value.previous), {
      message: 'dualTaskRepository.enabled needs both primary and previous (adapter names such as sql and redis, or store URLs)',
    }),
  /** The clustered agent scheduler beyond the store it runs on (`redis.scheduler`, `sql.scheduler`). */
  scheduler: z
    .object({
      /**
       * A rolling move of the scheduler between Redis and SQL: while set, this replica takes every
       * agent's lock in `source` and then in `target` (both connections must be configured), so
       * replicas on either scheduler never run an agent twice. Remove it once every replica runs the
       * target's scheduler (docs/runbooks/cache-and-task-migration.md).
       */
      migration: z
        .object({ source: z.enum(['redis', 'sql']), target: z.enum(['redis', 'sql']) })
        .refine((value) => value.source !== value.target, { message: 'scheduler.migration: source and target must differ' })
        .optional(),
    })
    .prefault({}),
  account: z
    .object({
      /** Accounts managed through `POST/PUT/DELETE /credentials`, kept in the configured store. */
      storage: z
        .object({
          enabled: z.boolean().default(false),
          /** How often stored definitions are re-read, so changes made through another replica apply here too. */
          pollIntervalSeconds: z.number().positive().default(30),
          /**
           * Directories whose files API-created accounts may name (`kubeconfigFile`, any `…File` key).
           * Empty = API-created accounts may not name local files at all.
           */
          allowedFileDirectories: z.array(z.string().min(1)).default([]),
          /**
           * Hosts API-created accounts may point at (`server`, `endpoint`, `…Url` keys, kubeconfig
           * `server:` lines): exact host names or IPs, `*.example.com`, or CIDRs. Empty = none.
           */
          allowedEndpoints: z.array(z.string().min(1)).default([]),
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
      /** Roles that may read and write every account and use `/admin/*`; empty = `/admin/*` is refused to everyone. */
      adminRoles: roleList.default([]),
      /** Honour Gate's `X-SPINNAKER-ACCOUNTS` allowed-accounts header (trusted proxies only; for setups without Fiat). */
      trustAccountsHeader: z.boolean().default(false),
      /** Roles allowed to use `POST/PUT/DELETE /credentials` (and WRITE on the account to change it); empty = admins only. */
      accountManagerRoles: roleList.default([]),
      /**
       * Which requests may name their caller (`X-SPINNAKER-USER`, the roles and accounts headers).
       * With neither key set every request is believed: Stratus must then be reachable from Gate and
       * Orca only (docs/threat-model.md). Otherwise untrusted requests are anonymous.
       */
      identity: z
        .object({
          /** Peer addresses (IPs or CIDRs, e.g. `10.0.0.0/8`) of the proxies whose identity headers are believed. */
          trustedProxies: z.array(z.string().regex(/^[0-9a-fA-F:.]+(\/\d{1,3})?$/, 'an IP address or CIDR, e.g. 10.0.0.0/8')).default([]),
          /** A secret trusted callers send in `sharedSecretHeader`; believed from any address. */
          sharedSecret: z.string().min(16, 'use a secret of at least 16 characters').optional(),
          sharedSecretHeader: z.string().min(1).default('X-Stratus-Identity-Secret'),
        })
        .prefault({}),
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
      maxDownloadBytes: z
        .number()
        .int()
        .positive()
        .default(100 * 1024 * 1024),
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
  /** Docker Registry accounts (`@stratus/provider-docker-registry`, docs/providers/docker-registry.md); the provider checks its own keys (`allowPasswordCommand`). */
  dockerRegistry: cloudBlockSchema.optional(),
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
  'scheduler',
  'account',
  'security',
  'admin',
  'dynamicConfig',
  'demo',
  'services',
  'storage',
  'artifacts',
  'management',
  'operations',
] as const;
