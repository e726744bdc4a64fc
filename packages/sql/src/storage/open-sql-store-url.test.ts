import { StorageConfigError } from '@stratus/core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqlStoreUrl } from './open-sql-store-url.js';

const dir = mkdtempSync(join(tmpdir(), 'stratus-open-sql-url-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('openSqlStoreUrl', () => {
  it('takes tableNamespace off the URL (or the default), migrates when asked and labels the store', async () => {
    const opened = await openSqlStoreUrl(`sqlite:${join(dir, 'a.db')}?tableNamespace=mig`, { migrate: true });
    try {
      expect(opened.tableNamespace).toBe('mig');
      expect(opened.label).toBe(`sqlite:${join(dir, 'a.db')} tableNamespace=mig`);
      expect(opened.database.tables.cacheTypes).toContain('mig');
      // Migrated: the namespaced tables exist.
      expect(await opened.database.rows(opened.database.statement(`select count(*) as n from ${opened.database.tables.cacheTypes}`), [])).toHaveLength(1);
    } finally {
      await opened.database.close();
    }
    const fallback = await openSqlStoreUrl(`sqlite:${join(dir, 'b.db')}`, { defaultTableNamespace: 'fromconfig' });
    expect(fallback.tableNamespace).toBe('fromconfig');
    await fallback.database.close();
  });

  it('refuses a bad table namespace as a config error before opening anything', async () => {
    await expect(openSqlStoreUrl('postgres://u:secret@127.0.0.1:1/db?tableNamespace=Bad-Name')).rejects.toThrow(StorageConfigError);
    await expect(openSqlStoreUrl('postgres://u:secret@127.0.0.1:1/db?tableNamespace=Bad-Name')).rejects.toThrow(
      "tableNamespace: 'Bad-Name' must be 1-30 lower-case letters, digits or _, starting with a letter",
    );
  });
});
