import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from './config-error.js';
import { loadConfig } from './load-config.js';

const dir = mkdtempSync(join(tmpdir(), 'stratus-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function yamlFile(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

function configError(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('has Clouddriver’s defaults without a file', () => {
    const { config } = loadConfig({ env: {} });
    expect(config.server.port).toBe(7002);
    expect(config.caching.writeEnabled).toBe(true);
    expect(config.caching.poll).toEqual({ intervalSeconds: 30, errorIntervalSeconds: 30, timeoutSeconds: 300 });
    expect(config.admin.tasks.shutdownWaitSeconds).toBe(600);
    expect(config.providers).toEqual([]);
    expect(config.account.storage.enabled).toBe(false);
  });

  it('reads YAML 1.1 booleans as Spring does (yes/no/on/off)', () => {
    const path = yamlFile('yaml11.yml', 'caching:\n  write-enabled: no\naccount:\n  storage:\n    enabled: yes\n');
    const { config } = loadConfig({ path, env: {} });
    expect(config.caching.writeEnabled).toBe(false);
    expect(config.account.storage.enabled).toBe(true);
  });

  it('reads Clouddriver-style YAML, kebab-case included, and keeps provider blocks', () => {
    const path = yamlFile(
      'clouddriver.yml',
      [
        'server:',
        '  port: 8088',
        'caching:',
        '  write-enabled: false',
        '  redis:',
        '    max-merge-batch-size: 500',
        'dual-task-repository:',
        '  enabled: true',
        '  primary: sql',
        '  previous: redis',
        'security:',
        '  users:',
        '    jane-doe: [dev]',
        'kubernetes:',
        '  enabled: true',
        '  accounts:',
        '    - name: k8s-prod',
        '      kubeconfig-file: /dev/null',
        'synthetic:',
        '  seed: 7',
      ].join('\n'),
    );
    const { config, raw } = loadConfig({ path, env: {} });
    expect(config.server.port).toBe(8088);
    expect(config.caching.writeEnabled).toBe(false);
    expect(config.caching.redis).toEqual({ maxMergeBatchSize: 500 }); // validated and mapped by the Redis adapter
    expect(config.dualTaskRepository).toMatchObject({ enabled: true, primary: 'sql', previous: 'redis' });
    expect(config.security.users).toEqual({ 'jane-doe': ['dev'] });
    expect(config.kubernetes?.accounts[0]).toEqual({ name: 'k8s-prod', 'kubeconfig-file': '/dev/null' });
    expect(raw.synthetic).toEqual({ seed: 7 });
  });

  it('applies ${VAR} substitution and STRATUS__ overrides', () => {
    const path = yamlFile('env.yml', 'server:\n  address: ${BIND:-127.0.0.1}\nredis:\n  connection: redis://${REDIS_HOST}:6379\n');
    const { config } = loadConfig({
      path,
      env: { REDIS_HOST: 'localhost', STRATUS__server__port: '9001', STRATUS__aws__enabled: 'true', LOG_LEVEL: 'debug' },
    });
    expect(config.server).toMatchObject({ address: '127.0.0.1', port: 9001 });
    expect(config.redis.connection).toBe('redis://localhost:6379');
    expect(config.aws?.enabled).toBe(true);
    expect(config.logging.level).toBe('debug');
  });

  it('stops with one message naming the offending key and why', () => {
    expect(configError(() => loadConfig({ path: yamlFile('port.yml', 'server:\n  port: seven\n'), env: {} }))).toMatch(
      /^Invalid configuration \(port\.yml\): server\.port: .*expected number, received string/,
    );
    expect(configError(() => loadConfig({ path: yamlFile('acct.yml', 'kubernetes:\n  enabled: true\n  accounts:\n    - context: x\n'), env: {} }))).toContain(
      'kubernetes.accounts[0].name',
    );
    expect(configError(() => loadConfig({ path: yamlFile('dual.yml', 'dualTaskRepository:\n  enabled: true\n'), env: {} }))).toContain(
      'dualTaskRepository: dualTaskRepository.enabled needs both primary and previous',
    );
    expect(configError(() => loadConfig({ path: yamlFile('var.yml', 'sql:\n  password: ${DB_PASSWORD}\n'), env: {} }))).toBe(
      'Invalid configuration: sql.password: environment variable DB_PASSWORD is not set',
    );
    expect(configError(() => loadConfig({ path: yamlFile('bad.yml', 'server: [\n'), env: {} }))).toContain('is not valid YAML');
    expect(configError(() => loadConfig({ path: join(dir, 'missing.yml'), env: {} }))).toContain('Cannot read config file');
    expect(configError(() => loadConfig({ path: yamlFile('list.yml', '- a\n- b\n'), env: {} }))).toContain('must be a YAML mapping');
  });

  it('composes each store package’s section into the schema: its switch is typed and defaulted', () => {
    const { config } = loadConfig({ env: {} });
    expect(config.redis).toEqual({ enabled: false });
    expect(config.sql).toEqual({ enabled: false });
    expect(configError(() => loadConfig({ path: yamlFile('store.yml', 'sql:\n  enabled: maybe\n'), env: {} }))).toMatch(/sql\.enabled: .*expected boolean/);
  });
});
