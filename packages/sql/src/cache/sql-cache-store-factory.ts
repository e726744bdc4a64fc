import type { Logger } from '@stratus/plugin-api';
import { definedOnly, type CacheStoreFactory } from '@stratus/core';
import type { SqlDatabase } from '../database/sql-database.js';
import { defaultApplicationOf, type ApplicationOf } from './cache-row-codec.js';
import { CacheStatements } from './cache-statements.js';
import { CacheTableStatistics } from './cache-table-statistics.js';
import { SqlCacheStore } from './sql-cache-store.js';

export interface SqlCacheStoreFactoryOptions {
  readonly readBatchSize?: number;
  readonly readConcurrency?: number;
  readonly writeBatchSize?: number;
  readonly applicationOf?: ApplicationOf;
  readonly logger?: Logger;
  readonly now?: () => number;
  /** Refresh planner statistics after large merges (default true; see {@link CacheTableStatistics}). */
  readonly refreshStatistics?: boolean;
  /** Close the database with the factory (default true). */
  readonly ownsDatabase?: boolean;
}

/** One {@link SqlCacheStore} per namespace over one pool; statements are built once and shared. */
export class SqlCacheStoreFactory implements CacheStoreFactory {
  readonly kind: string;
  readonly #stores = new Map<string, SqlCacheStore>();
  readonly #statements: CacheStatements;
  /** One per database: every namespace shares the cache table. */
  readonly statistics: CacheTableStatistics | undefined;

  constructor(
    readonly database: SqlDatabase,
    private readonly options: SqlCacheStoreFactoryOptions = {},
  ) {
    this.kind = database.dialect;
    this.#statements = new CacheStatements(database);
    this.statistics =
      options.refreshStatistics === false ? undefined : new CacheTableStatistics(database, definedOnly({ logger: options.logger, now: options.now }));
  }

  getStore(namespace: string): SqlCacheStore {
    let store = this.#stores.get(namespace);
    if (!store) {
      store = new SqlCacheStore(
        namespace,
        this.database,
        this.#statements,
        definedOnly({
          readBatchSize: this.options.readBatchSize ?? 500,
          readConcurrency: this.options.readConcurrency ?? 4,
          writeBatchSize: this.options.writeBatchSize ?? 1000,
          applicationOf: this.options.applicationOf ?? defaultApplicationOf,
          logger: this.options.logger,
          now: this.options.now ?? Date.now,
          statistics: this.statistics,
        }),
      );
      this.#stores.set(namespace, store);
    }
    return store;
  }

  ping(): Promise<void> {
    return this.database.ping();
  }

  async close(): Promise<void> {
    await this.statistics?.idle();
    if (this.options.ownsDatabase !== false) await this.database.close();
  }
}
