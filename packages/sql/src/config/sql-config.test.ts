import { describe, expect, it } from 'vitest';
import { sqlConfigSchema } from './sql-config.js';

describe('sqlConfigSchema', () => {
  it('fills Clouddriver-like defaults', () => {
    const config = sqlConfigSchema.parse({ enabled: true, connectionPools: { default: { url: 'postgres://u@127.0.0.1/db' } }, cache: { enabled: true } });
    expect(config.migrate).toBe(true);
    expect(config.cache).toEqual({ enabled: true, readBatchSize: 500, readConcurrency: 4, writeBatchSize: 1000 });
    expect(config.scheduler.enabled).toBe(false);
    expect(config.taskRepository.enabled).toBe(false);
    expect(config.agent.maxConcurrentAgents).toBe(100);
    expect(config.agent.releaseThresholdMs).toBe(500);
    expect(config.agent.taskCleanup.completedTtlMs).toBe(4 * 24 * 3600 * 1000);
    expect(config.connectionPools.default).toEqual({ url: 'postgres://u@127.0.0.1/db', maxPoolSize: 10, connectTimeoutMs: 5000 });
    expect(sqlConfigSchema.parse({}).enabled).toBe(false);
  });

  it("reads Clouddriver's JDBC pools (jdbcUrl with user and password) as one URL", () => {
    const pools = (pool: Record<string, unknown>) => sqlConfigSchema.parse({ connectionPools: { default: pool } }).connectionPools.default?.url;
    expect(pools({ default: true, jdbcUrl: 'jdbc:mysql://db.local:3306/clouddriver?useSSL=false', user: 'cd', password: 'p@ss' })).toBe(
      'mysql://cd:p%40ss@db.local:3306/clouddriver?useSSL=false',
    );
    expect(pools({ jdbcUrl: 'jdbc:postgresql://127.0.0.1:5432/clouddriver', user: 'postgres' })).toBe('postgres://postgres@127.0.0.1:5432/clouddriver');
    expect(pools({ jdbcUrl: 'jdbc:mariadb://127.0.0.1/cd' })).toBe('mariadb://127.0.0.1/cd');
    expect(sqlConfigSchema.safeParse({ connectionPools: { default: { jdbcUrl: 'jdbc:oracle:thin:@x' } } }).success).toBe(false);
  });

  it('names the field of bad input', () => {
    const paths = (input: unknown) => {
      const result = sqlConfigSchema.safeParse(input);
      return result.success ? [] : result.error.issues.map((issue) => issue.path.join('.'));
    };
    expect(paths({ enabled: true, cache: { enabled: true } })).toEqual(['connectionPools.default.url']);
    expect(paths({ connectionPools: { default: { url: 'redis://x' } } })).toEqual(['connectionPools.default.url']);
    expect(paths({ tableNamespace: 'Bad-Name' })).toEqual(['tableNamespace']);
    expect(paths({ cache: { readBatchSize: 0 } })).toEqual(['cache.readBatchSize']);
    expect(paths({ agent: { taskCleanup: { completedTtlMs: 'soon' } } })).toEqual(['agent.taskCleanup.completedTtlMs']);
    expect(paths({ enabled: true, scheduler: { enabled: true }, connectionPools: { default: { url: 'sqlite:x.db' } } })).toEqual(['scheduler.enabled']);
  });
});
