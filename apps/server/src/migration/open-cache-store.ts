import { MemoryCacheStoreFactory, type CacheStoreFactory } from '@stratus/core';
import { openRedisStoreUrl, RedisCacheStoreFactory } from '@stratus/redis';
import { openSqlStoreUrl, redact, SqlCacheStoreFactory } from '@stratus/sql';
import { asConfigError } from '../config/as-config-error.js';
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
  return asConfigError(() => open(spec, options));
}

async function open(spec: string, options: { readonly migrate?: boolean }): Promise<OpenedCacheStore> {
  if (spec === 'memory') {
    const factory = new MemoryCacheStoreFactory();
    return { factory, description: 'memory', namespaces: async () => [], close: () => factory.close() };
  }
  if (/^rediss?:\/\//i.test(spec)) {
    const { redis, keyPrefix: prefix, description } = openRedisStoreUrl(spec, { connectionName: 'stratus-cache-migration' });
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
    return { factory, description, namespaces, close: () => factory.close() };
  }
  if (/^(postgres(ql)?:\/\/|mysql:\/\/|mariadb:\/\/)/i.test(spec)) {
    const { database, label } = await openSqlStoreUrl(spec, { migrate: options.migrate === true });
    const factory = new SqlCacheStoreFactory(database, { ownsDatabase: true });
    return {
      factory,
      description: `${factory.kind} ${label}`,
      namespaces: async () =>
        (await database.rows<{ ns: string }>(database.statement(`select distinct ns from ${database.tables.cacheTypes}`), [])).map((row) => row.ns).sort(),
      close: () => factory.close(),
    };
  }
  throw new ConfigError(`unsupported cache store '${redact(spec)}': expected memory, redis://…, postgres://…, mysql://… or mariadb://…`);
}
