import { MemoryCacheStoreFactory, type CacheStoreFactory } from '@stratus/core';
import { createRedisClient, RedisCacheStoreFactory } from '@stratus/redis';
import { createSqlDatabase, migrateSqlDatabase, redact, SqlCacheStoreFactory } from '@stratus/sql';
import { ConfigError } from '../config/config-error.js';

/** An opened cache store and a printable name for it (passwords redacted). */
export interface OpenedCacheStore {
  readonly factory: CacheStoreFactory;
  readonly description: string;
  /** The provider namespaces stored there (memory: none, it starts empty). */
  namespaces(): Promise<string[]>;
  close(): Promise<void>;
}

/**
 * Opens a cache store named by a URL, for `caching.migration.target`, `stratus migrate cache` and
 * `stratus migrate verify cache`:
 * - `redis://host:6379/0?prefix=stratus` (`prefix` is the store's `redis.keyPrefix`; cache keys live
 *   under `<prefix>:cache`, as the server writes them)
 * - `postgres://user@host/db?tableNamespace=ns`, `mysql://…`, `mariadb://…` (`sql.tableNamespace`);
 *   the SQL schema is created if missing when `migrate` is set
 * - `memory` (a fresh, empty in-process store: only useful as a server's migration source or in tests)
 */
export async function openCacheStore(spec: string, options: { readonly migrate?: boolean } = {}): Promise<OpenedCacheStore> {
  if (spec === 'memory') {
    const factory = new MemoryCacheStoreFactory();
    return { factory, description: 'memory', namespaces: async () => [], close: () => factory.close() };
  }
  const { url, params } = splitParams(spec);
  if (/^rediss?:\/\//i.test(url)) {
    const prefix = params.get('prefix') ?? 'stratus';
    if (!/^[^\s*?[\]]+$/.test(prefix)) throw new ConfigError(`prefix: '${prefix}' must not contain spaces or glob characters`);
    const redis = createRedisClient({ url, connectionName: 'stratus-cache-migration' });
    const factory = new RedisCacheStoreFactory(redis, { keyPrefix: `${prefix}:cache`, ownsConnection: true });
    // Each provider namespace keeps a `<prefix>:cache:<namespace>:types` set (as `stratus cache stats` reads them).
    const namespaces = async () => {
      const head = `${prefix}:cache:`;
      const found = new Set<string>();
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${head.replace(/[*?[\]\\]/g, (c) => `\\${c}`)}*:types`, 'COUNT', 1000);
        cursor = next;
        for (const key of keys) {
          const namespace = key.slice(head.length, -':types'.length);
          if (!namespace.includes(':')) found.add(namespace);
        }
      } while (cursor !== '0');
      return [...found].sort();
    };
    return { factory, description: `redis ${redact(url)} prefix=${prefix}`, namespaces, close: () => factory.close() };
  }
  if (/^(postgres(ql)?:\/\/|mysql:\/\/|mariadb:\/\/)/i.test(url)) {
    const tableNamespace = params.get('tableNamespace') ?? undefined;
    if (tableNamespace !== undefined && !/^[a-z][a-z0-9_]{0,29}$/.test(tableNamespace)) {
      throw new ConfigError(`tableNamespace: '${tableNamespace}' must be 1-30 lower-case letters, digits or _, starting with a letter`);
    }
    const database = createSqlDatabase({ url, maxConnections: 4, ...(tableNamespace ? { tableNamespace } : {}) });
    try {
      if (options.migrate) await migrateSqlDatabase(database);
    } catch (error) {
      await database.close();
      throw error;
    }
    const factory = new SqlCacheStoreFactory(database, { ownsDatabase: true });
    return {
      factory,
      description: `${factory.kind} ${redact(url)}${tableNamespace ? ` tableNamespace=${tableNamespace}` : ''}`,
      namespaces: async () =>
        (await database.rows<{ ns: string }>(database.statement(`select distinct ns from ${database.tables.cacheTypes}`), [])).map((row) => row.ns).sort(),
      close: () => factory.close(),
    };
  }
  throw new ConfigError(`unsupported cache store '${redact(spec)}': expected memory, redis://…, postgres://…, mysql://… or mariadb://…`);
}

/** Our own query parameters (`prefix`, `tableNamespace`) come off the URL; the rest stay for the driver. */
function splitParams(spec: string): { url: string; params: URLSearchParams } {
  const at = spec.indexOf('?');
  if (at < 0) return { url: spec, params: new URLSearchParams() };
  const query = new URLSearchParams(spec.slice(at + 1));
  const params = new URLSearchParams();
  for (const name of ['prefix', 'tableNamespace']) {
    const value = query.get(name);
    if (value !== null) params.set(name, value);
    query.delete(name);
  }
  const rest = query.toString();
  return { url: spec.slice(0, at) + (rest ? `?${rest}` : ''), params };
}
