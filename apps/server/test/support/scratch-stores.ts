import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRedisClient, deleteKeysMatching } from '@stratus/redis';
import { createTestDatabase, type TestDatabase } from '@stratus/sql/testing';
import { afterAll } from 'vitest';

/** What a migration test file creates and must leave nothing of. */
export interface ScratchStores {
  /** A temporary directory, removed after the file (only with `dirPrefix`). */
  readonly dir: string;
  /** Run after the file, last pushed first; a failing one does not stop the others. */
  readonly cleanups: (() => Promise<unknown>)[];
  /** A fresh key prefix `stratus-test-<label>-<hex>` on the local Redis, whose keys are deleted after the file. */
  redisPrefix(label: string): string;
  /** A fresh database on the local PostgreSQL or MariaDB, dropped after the file. */
  database(kind: 'postgres' | 'mysql'): Promise<TestDatabase>;
}

/** Registers the file's `afterAll` that runs the cleanups (then removes the directory). */
export function scratchStores(dirPrefix?: string): ScratchStores {
  const dir = dirPrefix ? mkdtempSync(join(tmpdir(), dirPrefix)) : '';
  const cleanups: (() => Promise<unknown>)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 60_000);
  return {
    dir,
    cleanups,
    redisPrefix(label) {
      const prefix = `stratus-test-${label}-${randomBytes(4).toString('hex')}`;
      const redis = createRedisClient({ url: 'redis://127.0.0.1:6379/0' });
      cleanups.push(async () => {
        await deleteKeysMatching(redis, `${prefix}:*`);
        redis.disconnect();
      });
      return prefix;
    },
    async database(kind) {
      const database = await createTestDatabase(kind);
      cleanups.push(() => database.drop());
      return database;
    },
  };
}
