import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection } from 'mysql2/promise';
import pg from 'pg';
import type { SqlDialectName } from '../dialects/sql-dialect-name.js';

/** Server URLs for tests; override with env vars when the servers live elsewhere (loopback only). */
export const TEST_SERVER_URLS = {
  postgres: process.env.STRATUS_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432',
  mysql: process.env.STRATUS_TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306',
};

export interface TestDatabase {
  readonly dialect: SqlDialectName;
  readonly name: string;
  readonly url: string;
  drop(): Promise<void>;
}

/** A fresh `stratus_test_<random>` database (or a temp SQLite file) that `drop()` removes again. */
export async function createTestDatabase(dialect: SqlDialectName): Promise<TestDatabase> {
  const name = `stratus_test_${randomBytes(6).toString('hex')}`;
  if (dialect === 'sqlite') {
    const file = join(tmpdir(), `${name}.db`);
    return {
      dialect,
      name,
      url: `sqlite:${file}`,
      drop: async () => {
        for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
      },
    };
  }
  if (dialect === 'postgres') {
    await withPostgres((client) => client.query(`create database ${name}`));
    return {
      dialect,
      name,
      url: `${TEST_SERVER_URLS.postgres}/${name}`,
      drop: () => withPostgres((client) => client.query(`drop database if exists ${name} with (force)`)).then(() => undefined),
    };
  }
  await withMysql((connection) => connection.query(`create database ${name}`));
  return {
    dialect,
    name,
    url: `${TEST_SERVER_URLS.mysql}/${name}`,
    drop: () => withMysql((connection) => connection.query(`drop database if exists ${name}`)).then(() => undefined),
  };
}

async function withPostgres<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: `${TEST_SERVER_URLS.postgres}/postgres` });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function withMysql<T>(work: (connection: Awaited<ReturnType<typeof createConnection>>) => Promise<T>): Promise<T> {
  const connection = await createConnection({ uri: TEST_SERVER_URLS.mysql });
  try {
    return await work(connection);
  } finally {
    await connection.end();
  }
}
