import type { TaskRepository } from '@stratus/core';
import { openRedisStoreUrl, parseRedisConfig, RedisTaskRepository } from '@stratus/redis';
import { openSqlStoreUrl, redact, sqlConfigSchema, SqlTaskRepository } from '@stratus/sql';
import { asConfigError } from '../config/as-config-error.js';
import { ConfigError } from '../config/config-error.js';
import { loadConfig } from '../config/load-config.js';

/** An opened task store and a printable name for it (passwords redacted). */
export interface OpenedTaskStore {
  readonly repository: TaskRepository;
  readonly description: string;
  close(): Promise<void>;
}

export interface OpenTaskStoreOptions {
  /** Apply the SQL migrations first (destinations and dual-mode stores; default false). */
  readonly migrate?: boolean;
  /** Redis: how long completed tasks stay (ms; default 12 h, 0 = forever). */
  readonly completedRetentionMs?: number;
}

/**
 * Opens a task store named by a URL, for `stratus migrate tasks` and for a dual task repository's
 * second connection:
 * - `redis://host:6379/0?prefix=stratus` (`rediss://` too; `prefix` is `redis.keyPrefix`, default `stratus`)
 * - `postgres://user@host:5432/db?tableNamespace=ns`, `mysql://…`, `mariadb://…`, `sqlite:<path>`
 *   (`tableNamespace` is `sql.tableNamespace`; other query parameters go to the driver)
 * - `config:<file>`: the task repository a Stratus config file selects (`sql.taskRepository` wins
 *   over `redis.taskRepository`, as at startup).
 */
export async function openTaskStore(spec: string, options: OpenTaskStoreOptions = {}): Promise<OpenedTaskStore> {
  return asConfigError(() => open(spec, options));
}

async function open(spec: string, options: OpenTaskStoreOptions): Promise<OpenedTaskStore> {
  if (spec.startsWith('config:')) return openFromConfig(spec.slice('config:'.length), options);
  if (/^rediss?:\/\//i.test(spec)) return openRedis(spec, options);
  if (/^(postgres(ql)?:\/\/|mysql:\/\/|mariadb:\/\/|sqlite:)/i.test(spec)) return openSql(spec, options);
  throw new ConfigError(`unsupported task store '${redact(spec)}': expected redis://…, postgres://…, mysql://…, mariadb://…, sqlite:<path> or config:<file>`);
}

/** Whether a dual task repository side names a store by URL rather than by adapter name. */
export function isTaskStoreUrl(spec: string): boolean {
  return /^(rediss?:\/\/|postgres(ql)?:\/\/|mysql:\/\/|mariadb:\/\/|sqlite:|config:)/i.test(spec);
}

function openRedis(spec: string, options: OpenTaskStoreOptions, prefixFromConfig?: string): OpenedTaskStore {
  const { redis, keyPrefix, description } = openRedisStoreUrl(spec, {
    connectionName: 'stratus-task-migration',
    ...(prefixFromConfig !== undefined ? { defaultPrefix: prefixFromConfig } : {}),
  });
  const repository = new RedisTaskRepository(redis, {
    keyPrefix,
    ownsConnection: true,
    ...(options.completedRetentionMs !== undefined ? { completedRetentionMs: options.completedRetentionMs } : {}),
  });
  return { repository, description, close: () => repository.close() };
}

async function openSql(spec: string, options: OpenTaskStoreOptions, namespaceFromConfig?: string): Promise<OpenedTaskStore> {
  const { database, label } = await openSqlStoreUrl(spec, {
    migrate: options.migrate === true,
    ...(namespaceFromConfig !== undefined ? { defaultTableNamespace: namespaceFromConfig } : {}),
  });
  const repository = new SqlTaskRepository(database, { ownsDatabase: true });
  return { repository, description: `${repository.kind} ${label}`, close: () => repository.close() };
}

async function openFromConfig(path: string, options: OpenTaskStoreOptions): Promise<OpenedTaskStore> {
  const { config } = loadConfig({ path });
  const sql = config.sql.enabled ? sqlConfigSchema.safeParse(config.sql) : undefined;
  if (sql && !sql.success) throw new ConfigError(`${path}: sql: ${sql.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  if (sql?.data.taskRepository.enabled) {
    return openSql(sql.data.connectionPools.default!.url, { ...options, migrate: options.migrate ?? sql.data.migrate }, sql.data.tableNamespace);
  }
  if (config.redis.enabled) {
    let redis;
    try {
      redis = parseRedisConfig(config.redis);
    } catch (error) {
      throw new ConfigError(`${path}: ${(error as Error).message}`);
    }
    if (redis.taskRepository.enabled) {
      return openRedis(redis.connection, { completedRetentionMs: redis.taskRepository.completedRetentionSeconds * 1000, ...options }, redis.keyPrefix);
    }
  }
  throw new ConfigError(`${path}: selects no shared task repository (enable sql.taskRepository or redis.taskRepository); memory tasks cannot be migrated`);
}
