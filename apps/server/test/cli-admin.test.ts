import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CacheData } from '@stratus/plugin-api';
import { createRedisClient, deleteKeysMatching, RedisCacheStoreFactory } from '@stratus/redis';
import { createSqlDatabase, migrateSqlDatabase, SqlCacheStoreFactory } from '@stratus/sql';
import { createTestDatabase, type TestDatabase } from '@stratus/sql/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

const serverDir = fileURLToPath(new URL('..', import.meta.url));
const bin = join(serverDir, 'bin', 'stratus.js');
const dir = mkdtempSync(join(tmpdir(), 'stratus-cli-admin-'));
const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('STRATUS') && name !== 'INIT_CWD'));
const prefix = `stratus-test-cliadmin-${randomBytes(4).toString('hex')}`;
const redis = createRedisClient({ url: 'redis://127.0.0.1:6379/0' });
let postgres: TestDatabase;

function stratus(args: string[]) {
  return spawnSync(process.execPath, [bin, ...args], { cwd: serverDir, env, encoding: 'utf8', timeout: 60_000 });
}

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const items = (type: string, count: number): CacheData[] =>
  Array.from({ length: count }, (_, i) => ({ id: `synthetic:${type}:${i}`, ttlSeconds: 0, attributes: { i }, relationships: {} }));

beforeAll(async () => {
  postgres = await createTestDatabase('postgres');
  // Redis: two provider namespaces written the way the server writes them (`<keyPrefix>:cache`).
  const factory = new RedisCacheStoreFactory(redis, { keyPrefix: `${prefix}:cache` });
  await factory.getStore('synthetic').mergeAll('serverGroups', items('serverGroups', 3));
  await factory.getStore('synthetic').mergeAll('instances', items('instances', 5));
  await factory.getStore('kubernetes').mergeAll('pods', items('pods', 2));
  // PostgreSQL with a table namespace.
  const database = createSqlDatabase({ url: postgres.url, tableNamespace: 'blue', maxConnections: 1 });
  await migrateSqlDatabase(database);
  const sql = new SqlCacheStoreFactory(database, { ownsDatabase: true });
  await sql.getStore('aws').mergeAll('loadBalancers', items('loadBalancers', 4));
  await sql.close();
}, 60_000);

afterAll(async () => {
  await deleteKeysMatching(redis, `${prefix}:*`).catch(() => undefined);
  redis.disconnect();
  await postgres?.drop();
  rmSync(dir, { recursive: true, force: true });
});

// Each case spawns the CLI several times; on a busy 2-core machine one spawn can take seconds.
vi.setConfig({ testTimeout: 120_000 });

describe('stratus config validate', () => {
  it('accepts a valid file and says what it selects', () => {
    const path = file(
      'ok.yml',
      "redis: {enabled: true, connection: 'redis://127.0.0.1:6379/0'}\ndualTaskRepository: {enabled: true, primary: sql, previous: redis}\nsql: {enabled: true, connectionPools: {default: {url: 'postgres://x@127.0.0.1/db'}}, taskRepository: {enabled: true}}\n",
    );
    const result = stratus(['config', 'validate', path]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('valid (redis, sql, dual tasks (sql <- redis))');
  });

  it('exits 1 naming the key path of each problem, including redis and sql blocks', () => {
    const server = stratus(['config', 'validate', file('bad-server.yml', 'server:\n  port: lots\n')]);
    expect(server.status).toBe(1);
    expect(server.stderr).toMatch(/^stratus: Invalid configuration \(bad-server\.yml\): server\.port: /);
    const sql = stratus([
      'config',
      'validate',
      file('bad-sql.yml', "sql: {enabled: true, cache: {enabled: true}, connectionPools: {default: {url: 'oracle://x'}}}\n"),
    ]);
    expect(sql.status).toBe(1);
    expect(sql.stderr).toContain('sql.connectionPools.default.url: must start with postgres://');
    const redisBad = stratus(['config', 'validate', file('bad-redis.yml', "redis: {enabled: true, connection: 'http://nope'}\n")]);
    expect(redisBad.status).toBe(1);
    expect(redisBad.stderr).toMatch(/connection.*must start with redis:\/\//);
    const missing = stratus(['config', 'validate', join(dir, 'missing.yml')]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/Cannot read config file/);
  });
});

describe('stratus config validate: providers and accounts, unknown keys', () => {
  const synthetic = (accounts: string) => `providers: ['@stratus/testing/synthetic-provider']\nsynthetic:\n  accounts: ${accounts}\n`;

  it('checks every account through its provider, as startup does', () => {
    const good = stratus(['config', 'validate', file('synthetic-ok.yml', synthetic('[{name: prod, regions: [us-east-1]}]'))]);
    expect(good.stderr).toBe('');
    expect(good.stdout).toContain('valid (1 synthetic account)');
    const bad = stratus([
      'config',
      'validate',
      file('synthetic-bad.yml', synthetic('[{name: prod, regions: [us-east-1]}, {name: prod, regions: [eu-west-1]}]')),
    ]);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/synthetic\.accounts\[prod\]: name: "prod" is already defined/);
    const check = stratus(['check-config', '--config', file('synthetic-bad2.yml', synthetic('[{name: prod, regions: []}]'))]);
    expect(check.status).toBe(1);
    expect(check.stderr).toMatch(/^stratus: Invalid configuration .*synthetic\.accounts\[prod\]: /);
  });

  it('warns about a key nothing reads, and fails on it with --strict', () => {
    const path = file('typo.yml', 'serverr:\n  port: 8080\nspring:\n  application: {name: clouddriver}\n');
    const lenient = stratus(['config', 'validate', path]);
    expect(lenient.status).toBe(0);
    expect(lenient.stderr).toContain('warning: serverr: not a key Stratus, a loaded provider or Clouddriver reads');
    expect(lenient.stderr).not.toContain('spring');
    const strict = stratus(['config', 'validate', path, '--strict']);
    expect(strict.status).toBe(1);
    expect(strict.stderr).toMatch(/serverr: not a key/);
  });

  it('config migrate accounts for every key of a Halyard-style clouddriver.yml (AWS + Kubernetes, Redis, SQL)', () => {
    const kubeconfig = file(
      'kubeconfig',
      'apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: "https://127.0.0.1:6443"}}]\nusers: [{name: u, user: {token: t}}]\ncontexts: [{name: default, context: {cluster: c, user: u}}]\ncurrent-context: default\n',
    );
    const result = spawnSync(process.execPath, [bin, 'config', 'migrate', join(serverDir, 'test', 'fixtures', 'clouddriver.yml'), '--json'], {
      cwd: serverDir,
      env: { ...env, KUBECONFIG_FILE: kubeconfig },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const report = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(report.errors).toEqual([]);
    expect(report.unknown).toEqual([]);
    expect(report.used).toEqual(expect.arrayContaining(['server', 'redis', 'sql', 'dual-task-repository', 'aws', 'kubernetes']));
    expect(report.ignored).toEqual(['spring']);
    expect(report.used).toEqual(expect.arrayContaining(['management', 'services']));
    expect(report.accounts).toEqual({ aws: ['my-aws'], kubernetes: ['my-k8s'] });
  });
});

describe('stratus cache stats', () => {
  it('counts items per type per provider namespace in Redis', () => {
    const path = file('redis.yml', `redis: {enabled: true, connection: 'redis://127.0.0.1:6379/0', keyPrefix: ${prefix}}\n`);
    const result = stratus(['cache', 'stats', '--config', path, '--json']);
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toEqual({
      store: 'redis',
      namespace: prefix,
      providers: { kubernetes: { pods: 2 }, synthetic: { instances: 5, serverGroups: 3 } },
    });
    const table = stratus(['cache', 'stats', '--config', path]);
    expect(table.stdout).toMatch(/synthetic\s+instances\s+5/);
  });

  it('counts items per type per provider namespace in PostgreSQL (with a table namespace)', () => {
    const path = file('sql.yml', `sql: {enabled: true, tableNamespace: blue, connectionPools: {default: {url: '${postgres.url}'}}, cache: {enabled: true}}\n`);
    const result = stratus(['cache', 'stats', '--config', path, '--json']);
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toEqual({ store: 'postgres', namespace: 'blue', providers: { aws: { loadBalancers: 4 } } });
  });

  it('explains that a memory cache has no stats from outside', () => {
    const result = stratus(['cache', 'stats', '--config', file('memory.yml', 'logging: {level: warn}\n')]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('no shared cache store is configured');
  });
});
