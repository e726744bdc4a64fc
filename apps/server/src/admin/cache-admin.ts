import type { CacheStoreFactory } from '@stratus/core';
import { createRedisCacheStoreFactory, createRedisClient, deleteKeysMatching, parseRedisConfig, type RedisConfig } from '@stratus/redis';
import { createSqlCacheStoreFactory, openSqlDatabase, sqlConfigSchema, tableNames, type SqlConfig, type SqlDatabase } from '@stratus/sql';
import type { StratusConfig } from '../config/config-schema.js';
import { ConfigError } from '../config/config-error.js';

/** Items per type, per provider namespace (the CacheStore namespace each provider writes). */
export type CacheStats = Record<string, Record<string, number>>;

/** Thrown when an admin action targets the namespace the server is using. */
export class ActiveNamespaceError extends Error {
  constructor(
    readonly namespace: string,
    what: string,
  ) {
    super(`refusing to ${what} '${namespace}': it is the active cache namespace of this server; configure a new namespace first`);
    this.name = 'ActiveNamespaceError';
  }
}

/** Thrown when a namespace to drop still holds data that must not be lost. */
export class NamespaceInUseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NamespaceInUseError';
  }
}

/**
 * The configured shared cache store, opened for admin work outside the serving path: stats per
 * provider namespace, and truncating or dropping another *store* namespace (`redis.keyPrefix` for
 * Redis, `sql.tableNamespace` for SQL) after a cache rebuild in a fresh one.
 */
export interface CacheAdmin {
  /** `redis` or the SQL dialect. */
  readonly kind: string;
  /** The store namespace the config uses (Redis key prefix, SQL table namespace; '' = none). */
  readonly activeNamespace: string;
  stats(): Promise<CacheStats>;
  /** Empties another namespace's cache (keys / rows); returns how many keys or rows went. */
  truncate(namespace: string): Promise<number>;
  /** Removes another namespace entirely (Redis: its cache keys; SQL: all its tables, refused while it holds tasks). */
  drop(namespace: string): Promise<number>;
  close(): Promise<void>;
}

async function statsOf(factory: CacheStoreFactory, namespaces: readonly string[]): Promise<CacheStats> {
  const stats: CacheStats = {};
  for (const namespace of [...namespaces].sort()) {
    const store = factory.getStore(namespace);
    const perType: Record<string, number> = {};
    for (const type of (await store.types()).sort()) perType[type] = (await store.ids(type)).length;
    stats[namespace] = perType;
  }
  return stats;
}

function redisAdmin(config: RedisConfig): CacheAdmin {
  const redis = createRedisClient({ url: config.connection, connectionName: 'stratus-cache-admin' });
  const factory = createRedisCacheStoreFactory(config, redis);
  const cacheKeys = (prefix: string) => `${prefix}:cache`;
  const check = (namespace: string, what: string) => {
    if (namespace === config.keyPrefix) throw new ActiveNamespaceError(namespace, what);
    if (!/^[^\s*?[\]:]+$/.test(namespace)) throw new ConfigError(`namespace: '${namespace}' is not a Redis key prefix (no spaces, ':' or glob characters)`);
  };
  return {
    kind: 'redis',
    activeNamespace: config.keyPrefix,
    async stats() {
      // Each provider namespace keeps a `<prefix>:cache:<namespace>:types` set.
      const head = `${cacheKeys(config.keyPrefix)}:`;
      const namespaces = new Set<string>();
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${head}*:types`, 'COUNT', 1000);
        cursor = next;
        for (const key of keys) {
          const namespace = key.slice(head.length, -':types'.length);
          if (!namespace.includes(':')) namespaces.add(namespace);
        }
      } while (cursor !== '0');
      return statsOf(factory, [...namespaces]);
    },
    async truncate(namespace) {
      check(namespace, 'truncate');
      return deleteKeysMatching(redis, `${cacheKeys(namespace)}:*`);
    },
    async drop(namespace) {
      check(namespace, 'drop');
      return deleteKeysMatching(redis, `${cacheKeys(namespace)}:*`);
    },
    close: async () => {
      await factory.close();
      redis.disconnect();
    },
  };
}

function sqlAdmin(config: SqlConfig): CacheAdmin {
  const database: SqlDatabase = openSqlDatabase(config);
  const factory = createSqlCacheStoreFactory(database, config);
  const active = config.tableNamespace ?? '';
  const tablesOf = (namespace: string, what: string) => {
    if (namespace === active) throw new ActiveNamespaceError(namespace, what);
    try {
      return tableNames(namespace);
    } catch (error) {
      throw new ConfigError(`namespace: ${(error as Error).message.replace(/^sql\.tableNamespace /, '')}`);
    }
  };
  const cacheTables = (namespace: string, what: string) => {
    const t = tablesOf(namespace, what);
    return [t.cacheItems, t.cacheSources, t.cacheTypes];
  };
  return {
    kind: database.dialect,
    activeNamespace: active,
    async stats() {
      const rows = await database.rows<{ ns: string }>(database.statement(`select distinct ns from ${database.tables.cacheTypes}`), []);
      return statsOf(
        factory,
        rows.map((row) => row.ns),
      );
    },
    async truncate(namespace) {
      let removed = 0;
      for (const table of cacheTables(namespace, 'truncate')) removed += await database.affected(database.statement(`delete from ${table}`), []);
      return removed;
    },
    async drop(namespace) {
      const t = tablesOf(namespace, 'drop');
      // Every table of the namespace goes (cache, locks, tasks, migration records), so the namespace
      // can later be reused from scratch; a namespace that still holds tasks is refused instead.
      const tasks = await database.rows<{ n: string | number }>(database.statement(`select count(*) as n from ${t.tasks}`), []).then(
        (rows) => Number(rows[0]?.n ?? 0),
        () => 0,
      );
      if (tasks > 0)
        throw new NamespaceInUseError(
          `refusing to drop '${namespace}': it still holds ${tasks} task(s); migrate them (stratus migrate tasks) or truncate the cache only`,
        );
      const tables = [
        t.cacheItems,
        t.cacheSources,
        t.cacheTypes,
        t.agentLocks,
        t.taskOutputs,
        t.taskResults,
        t.taskStates,
        t.tasks,
        t.migrationLock,
        t.migrations,
      ];
      for (const table of tables) await database.affected(database.statement(`drop table if exists ${table}`), []);
      return tables.length;
    },
    close: () => database.close(),
  };
}

/** Opens the cache store the config selects (SQL cache wins over Redis, as at startup). */
export function openCacheAdmin(config: StratusConfig): CacheAdmin {
  if (config.sql.enabled) {
    const parsed = sqlConfigSchema.safeParse(config.sql);
    if (!parsed.success) throw new ConfigError(`Invalid configuration: ${parsed.error.issues.map((i) => `sql.${i.path.join('.')}: ${i.message}`).join('; ')}`);
    if (parsed.data.cache.enabled) return sqlAdmin(parsed.data);
  }
  if (config.redis.enabled) {
    let redis: RedisConfig;
    try {
      redis = parseRedisConfig(config.redis);
    } catch (error) {
      throw new ConfigError((error as Error).message);
    }
    if (redis.cache.enabled) return redisAdmin(redis);
  }
  throw new ConfigError('no shared cache store is configured (redis.cache or sql.cache): the memory cache lives inside the server process');
}
