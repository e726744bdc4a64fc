import { ACCOUNT_DEFINITION_STORE, AGENT_SCHEDULER, CACHE, ProviderLoadError } from '@stratus/core';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import request from 'supertest';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { parseConfig, loadConfig } from '../src/config/load-config.js';
import { resolve } from '../src/di.js';
import { startServer, type RunningServer } from '../src/server/start-server.js';
import { toyProvider, type ToyProbe } from './toy-provider.js';

const silent = pino({ level: 'silent' });
const dir = mkdtempSync(join(tmpdir(), 'stratus-start-server-'));
const running: RunningServer[] = [];
afterEach(async () => {
  for (const server of running.splice(0)) await server.shutdown('test done');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const base = { server: { port: 0, address: '127.0.0.1' }, admin: { tasks: { shutdownWaitSeconds: 1 } } };
/** An admin (readiness details, the account API): `security.adminRoles` must name a role for either. */
const adminSecurity = { adminRoles: ['admins'], users: { root: ['admins'] } };
const ROOT = 'root';

async function start(raw: Record<string, unknown>, probe?: ToyProbe, configPath?: string): Promise<RunningServer> {
  const config = parseConfig(raw);
  const server = await startServer({ config, raw, logger: silent, providers: [toyProvider(probe)], ...(configPath ? { configPath } : {}) });
  running.push(server);
  return server;
}

async function until<T>(read: () => Promise<T> | T, accept: (value: T) => boolean, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (accept(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out; last value ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('startServer', () => {
  it('loads accounts from config, caches them, and serves /credentials in Clouddriver’s shape', async () => {
    const server = await start({
      ...base,
      security: adminSecurity,
      toy: {
        region: 'eu-1',
        accounts: [
          { name: 'prod', apiKey: 'hidden' },
          { name: 'broken', region: 'bad' },
          { name: 'dev', things: 3 },
        ],
      },
    });
    const scheduler = resolve(server.container, AGENT_SCHEDULER);
    expect(scheduler.scheduledAgentTypes()).toEqual(expect.arrayContaining(['prod/eu-1/ToyAgent', 'dev/eu-1/ToyAgent']));
    await until(
      () => resolve(server.container, CACHE).getIdentifiers('things'),
      (ids) => ids.length === 5,
    );

    const list = await request(server.url).get('/credentials');
    expect(list.status).toBe(200);
    expect(list.body).toEqual([
      {
        name: 'dev',
        environment: 'dev',
        accountType: 'dev',
        cloudProvider: 'toy',
        type: 'toy',
        requiredGroupMembership: [],
        permissions: { READ: [], WRITE: [] },
        challengeDestructiveActions: false,
        primaryAccount: false,
      },
      expect.objectContaining({ name: 'prod', cloudProvider: 'toy' }),
    ]);
    const expanded = await request(server.url).get('/credentials?expand=true');
    expect(expanded.body.find((a: { name: string }) => a.name === 'prod')).toMatchObject({ region: 'eu-1', things: 2 });
    expect(JSON.stringify(expanded.body)).not.toContain('hidden');
    expect((await request(server.url).get('/credentials/dev')).body).toMatchObject({ name: 'dev', things: 3 });
    expect((await request(server.url).get('/credentials/type/toy')).body).toHaveLength(2);
    expect((await request(server.url).get('/credentials/type/aws')).body).toEqual([]);
    const page = await request(server.url).get('/credentials/type/toy?limit=1&startingAccountName=e');
    expect(page.body.map((a: { name: string }) => a.name)).toEqual(['prod']);
    expect((await request(server.url).get('/credentials/type/toy?limit=0')).status).toBe(400);
    const missing = await request(server.url).get('/credentials/broken');
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({ error: 'Not Found', message: 'Account broken not found', status: 404 });
    expect(server.accounts.problems().map((p) => p.name)).toEqual(['broken']);

    const ready = await request(server.url).get('/health/readiness').set('X-SPINNAKER-USER', ROOT);
    expect(ready.status).toBe(200);
    expect(ready.body.components).toMatchObject({ cacheStore: { status: 'UP', kind: 'memory' }, taskRepository: { status: 'UP' } });
    expect(ready.body.components.accounts).toMatchObject({
      status: 'UP',
      details: { loaded: 2, problems: [{ name: 'broken', cloudProvider: 'toy', error: 'invalid definition: region: "bad" is not a region' }] },
    });
    const metrics = await request(server.url).get('/metrics');
    expect(metrics.text).toMatch(/stratus_agent_executions_total\{provider="toy",agent="prod\/eu-1\/ToyAgent",result="success"\} \d+/);
    expect(metrics.text).toContain('stratus_store_operation_duration_seconds_count{store="cache:memory",operation="mergeAll"}');
  });

  it('keeps serving other accounts while one account’s cloud is unreachable', async () => {
    const server = await start({
      ...base,
      toy: {
        accounts: [
          { name: 'down', region: 'unreachable' },
          { name: 'up', region: 'eu-1' },
        ],
      },
    });
    await until(
      () => resolve(server.container, CACHE).getIdentifiers('things'),
      (ids) => ids.length === 2,
    );
    const scheduler = resolve(server.container, AGENT_SCHEDULER);
    await until(
      () => scheduler.instrumentation.get('down/unreachable/ToyAgent')?.lastError,
      (error) => error !== undefined,
    );
    expect(scheduler.instrumentation.get('down/unreachable/ToyAgent')!.lastError).toContain('ECONNREFUSED');
    expect((await request(server.url).get('/credentials')).body.map((a: { name: string }) => a.name)).toEqual(['down', 'up']);
    expect((await request(server.url).get('/health/readiness')).status).toBe(200);
  });

  it('hides accounts the caller may not READ', async () => {
    const server = await start({
      ...base,
      security: { users: { alice: ['dev'] } },
      toy: { region: 'eu-1', accounts: [{ name: 'open' }, { name: 'secret', permissions: { READ: ['dev'], WRITE: ['dev'] } }] },
    });
    const anonymous = await request(server.url).get('/credentials');
    expect(anonymous.body.map((a: { name: string }) => a.name)).toEqual(['open']);
    expect((await request(server.url).get('/credentials/secret')).status).toBe(404);
    const alice = await request(server.url).get('/credentials').set('X-SPINNAKER-USER', 'alice');
    expect(alice.body.map((a: { name: string }) => a.name)).toEqual(['open', 'secret']);
    expect(alice.body[1].permissions).toEqual({ READ: ['dev'], WRITE: ['dev'] });
  });

  it('manages stored accounts over the API: agents start on POST, restart on PUT, stop on DELETE', async () => {
    const probe: ToyProbe = { disposed: [], runs: new Map() };
    const server = await start(
      { ...base, security: adminSecurity, account: { storage: { enabled: true } }, toy: { region: 'eu-1', accounts: [{ name: 'fromConfig' }] } },
      probe,
    );
    const scheduler = resolve(server.container, AGENT_SCHEDULER);

    const created = await request(server.url).post('/credentials').set('X-SPINNAKER-USER', ROOT).send({ name: 'stored', type: 'toy', region: 'us-2' });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ name: 'stored', type: 'toy', region: 'us-2' });
    expect(scheduler.scheduledAgentTypes()).toContain('stored/us-2/ToyAgent');
    await until(
      () => probe.runs.get('stored') ?? 0,
      (runs) => runs > 0,
    );

    const duplicate = await request(server.url).post('/credentials').set('X-SPINNAKER-USER', ROOT).send({ name: 'stored', type: 'toy', region: 'us-2' });
    expect(duplicate.status).toBe(409);
    const invalid = await request(server.url).post('/credentials').set('X-SPINNAKER-USER', ROOT).send({ name: 'x', type: 'toy', region: 'bad' });
    expect(invalid.status).toBe(400);
    expect(invalid.body.message).toBe('Invalid account definition: region: "bad" is not a region');
    expect((await request(server.url).get('/credentials/x')).status).toBe(404);
    const noType = await request(server.url).post('/credentials').set('X-SPINNAKER-USER', ROOT).send({ name: 'y' });
    expect(noType.status).toBe(400);
    expect(noType.body.errors[0]).toMatch(/^type:/);
    const unknownType = await request(server.url).post('/credentials').set('X-SPINNAKER-USER', ROOT).send({ name: 'y', type: 'mars' });
    expect(unknownType.body.message).toContain('type: no loaded provider has account type "mars"');
    const configOwned = await request(server.url).put('/credentials').set('X-SPINNAKER-USER', ROOT).send({ name: 'fromConfig', type: 'toy', region: 'x' });
    expect(configOwned.status).toBe(400);

    const updated = await request(server.url).put('/credentials').set('X-SPINNAKER-USER', ROOT).send({ name: 'stored', type: 'toy', region: 'us-3' });
    expect(updated.status).toBe(200);
    expect(scheduler.scheduledAgentTypes()).toContain('stored/us-3/ToyAgent');
    expect(scheduler.scheduledAgentTypes()).not.toContain('stored/us-2/ToyAgent');
    expect(probe.disposed).toEqual(['stored']);

    const deleted = await request(server.url).delete('/credentials/stored').set('X-SPINNAKER-USER', ROOT);
    expect(deleted.status).toBe(200);
    expect(scheduler.scheduledAgentTypes().filter((type) => type.startsWith('stored/'))).toEqual([]);
    expect((await request(server.url).get('/credentials/stored')).status).toBe(404);
    expect((await request(server.url).delete('/credentials/stored').set('X-SPINNAKER-USER', ROOT)).status).toBe(404);
  });

  it('undoes a stored account that does not load, and picks up definitions stored by another replica', async () => {
    const server = await start({
      ...base,
      security: adminSecurity,
      account: { storage: { enabled: true, pollIntervalSeconds: 0.1 } },
      toy: { region: 'eu-1' },
    });
    const unlucky = await request(server.url).post('/credentials').set('X-SPINNAKER-USER', ROOT).send({ name: 'unlucky', type: 'toy', things: 13 });
    expect(unlucky.status).toBe(400);
    expect(unlucky.body.message).toBe('Account unlucky did not load, so the change was undone: building its agents failed: unlucky number of things');
    const store = resolve(server.container, ACCOUNT_DEFINITION_STORE);
    expect(await store.get('unlucky')).toBeUndefined();

    await store.save({ name: 'elsewhere', type: 'toy', region: 'ap-1' });
    const scheduler = resolve(server.container, AGENT_SCHEDULER);
    await until(
      () => scheduler.scheduledAgentTypes(),
      (types) => types.includes('elsewhere/ap-1/ToyAgent'),
    );
  });

  it('refuses account storage calls when account.storage.enabled is off', async () => {
    const server = await start({ ...base, security: adminSecurity, toy: { region: 'eu-1' } });
    const response = await request(server.url).post('/credentials').set('X-SPINNAKER-USER', ROOT).send({ name: 'stored', type: 'toy' });
    expect(response.status).toBe(404);
    expect(response.body.message).toContain('account.storage.enabled');
  });

  it('reloads accounts when the config file changes: agents of new accounts start, removed ones stop', async () => {
    const probe: ToyProbe = { disposed: [], runs: new Map() };
    const path = join(dir, 'reload.yml');
    const yaml = (accounts: string[]) =>
      ['server: {port: 0, address: 127.0.0.1}', 'toy:', '  region: eu-1', '  accounts:', ...accounts.map((a) => `    - name: ${a}`)].join('\n');
    writeFileSync(path, yaml(['one', 'two']));
    const { config, raw } = loadConfig({ path, env: {} });
    const server = await startServer({ config, raw, configPath: path, logger: silent, providers: [toyProvider(probe)] });
    running.push(server);
    const scheduler = resolve(server.container, AGENT_SCHEDULER);
    const toyAgents = () =>
      scheduler
        .scheduledAgentTypes()
        .filter((t) => t.endsWith('ToyAgent'))
        .sort();
    expect(toyAgents()).toEqual(['one/eu-1/ToyAgent', 'two/eu-1/ToyAgent']);

    writeFileSync(path, yaml(['two', 'three']));
    await until(toyAgents, (types) => types.join() === 'three/eu-1/ToyAgent,two/eu-1/ToyAgent');
    expect(probe.disposed).toEqual(['one']);

    writeFileSync(path, 'server: {port: nope}');
    const report = await server.reload();
    expect(report).toBeUndefined();
    expect(toyAgents()).toEqual(['three/eu-1/ToyAgent', 'two/eu-1/ToyAgent']);
  });

  it('applies changed roles on reload without a restart', async () => {
    const path = join(dir, 'roles.yml');
    const yaml = (roles: string) =>
      `server: {port: 0, address: 127.0.0.1}\nsecurity: {users: {bob: [${roles}]}}\ntoy:\n  region: eu-1\n  accounts:\n    - {name: secret, permissions: {READ: [dev]}}\n`;
    writeFileSync(path, yaml('guest'));
    const { config, raw } = loadConfig({ path, env: {} });
    const server = await startServer({ config, raw, configPath: path, logger: silent, providers: [toyProvider()] });
    running.push(server);
    const names = async () => (await request(server.url).get('/credentials').set('X-SPINNAKER-USER', 'bob')).body.map((a: { name: string }) => a.name);
    expect(await names()).toEqual([]);
    writeFileSync(path, yaml('dev'));
    await server.reload();
    expect(await names()).toEqual(['secret']);
  });

  it('runs as an API-only replica with caching.writeEnabled false', async () => {
    const probe: ToyProbe = { disposed: [], runs: new Map() };
    const server = await start({ ...base, caching: { writeEnabled: false }, toy: { region: 'eu-1', accounts: [{ name: 'prod' }] } }, probe);
    expect(resolve(server.container, AGENT_SCHEDULER).scheduledAgentTypes()).toEqual([]);
    await new Promise((r) => setTimeout(r, 150));
    expect(probe.runs.size).toBe(0);
    expect((await request(server.url).get('/credentials')).body).toHaveLength(1);
  });

  it('fails startup with an error naming a provider that cannot load', async () => {
    const newer = join(dir, 'newer-provider.mjs');
    writeFileSync(newer, "export default { id: 'newer', apiVersion: '2.0.0', version: '9.9.9', register() {} };");
    const fail = async (raw: Record<string, unknown>) => {
      const result = await startServer({ config: parseConfig(raw), raw, logger: silent }).catch((e: unknown) => e);
      if (!(result instanceof Error)) {
        running.push(result as RunningServer);
        throw new Error('startup should have failed');
      }
      expect(result).toBeInstanceOf(ProviderLoadError);
      return result.message;
    };
    expect(await fail({ ...base, providers: [newer] })).toMatch(/^Provider .*newer-provider\.mjs failed to load: it was built against SPI 2\.0\.0/);
    expect(await fail({ ...base, providers: ['@acme/stratus-provider-nope'] })).toContain(
      'Provider @acme/stratus-provider-nope failed to load: the package is not installed',
    );
    const throwing = join(dir, 'throwing-provider.mjs');
    writeFileSync(throwing, "export default { id: 'grumpy', apiVersion: '1.0.0', version: '1', register() { throw new Error('missing grumpy.token'); } };");
    expect(await fail({ ...base, providers: [throwing] })).toMatch(
      /^Provider grumpy \(.*throwing-provider\.mjs\) failed to load: its register\(\) threw: missing grumpy\.token/,
    );
  });

  it('resolves every core service from the container (explicit @inject everywhere, no decorator metadata)', async () => {
    const server = await start({ ...base, toy: { accounts: [] } });
    const core = await import('@stratus/core');
    const tokens = Object.entries(core).filter(([name, value]) => /^[A-Z][A-Z_]+$/.test(name) && typeof value === 'symbol');
    expect(tokens.length).toBeGreaterThan(15);
    for (const [name, token] of tokens) {
      if (!server.container.isRegistered(token as symbol, true)) continue;
      expect(() => server.container.resolve(token as symbol), name).not.toThrow();
    }
    for (const name of ['OPERATIONS_SERVICE', 'ON_DEMAND_CACHE_UPDATER', 'APPLICATION_READ_SERVICE', 'ACCOUNT_DEFINITION_STORE', 'KEY_PARSER_REGISTRY']) {
      expect(server.container.isRegistered((core as unknown as Record<string, symbol>)[name]!, true), name).toBe(true);
    }
  });

  it('lets running operations finish on shutdown while refusing new ones', async () => {
    const probe: ToyProbe = { disposed: [], runs: new Map(), finished: [], aborted: [] };
    const server = await start({ ...base, toy: { region: 'eu-1', accounts: [{ name: 'prod' }] } }, probe);
    const posted = await request(server.url)
      .post('/toy/ops')
      .send([{ wait: { account: 'prod', ms: 400, label: 'slow' } }]);
    expect(posted.status).toBe(200);
    const stopping = server.shutdown('test');
    const refused = await request(server.url)
      .post('/toy/ops')
      .send([{ wait: { account: 'prod', ms: 1, label: 'late' } }]);
    expect(refused.status).toBe(503);
    expect((await request(server.url).get('/health/readiness')).body.status).toBe('OUT_OF_SERVICE');
    expect((await request(server.url).get(`/task/${posted.body.id}`)).status).toBe(200);
    await stopping;
    running.splice(running.indexOf(server), 1);
    expect(probe.finished).toEqual(['slow']);
    expect(probe.disposed).toEqual(['prod']);
  });

  it('aborts operations still running at the shutdown deadline', async () => {
    const probe: ToyProbe = { disposed: [], runs: new Map(), finished: [], aborted: [] };
    const server = await start({ ...base, admin: { tasks: { shutdownWaitSeconds: 0.2 } }, toy: { region: 'eu-1', accounts: [{ name: 'prod' }] } }, probe);
    await request(server.url)
      .post('/toy/ops')
      .send([{ wait: { account: 'prod', ms: 60_000, label: 'endless' } }]);
    await server.shutdown('test');
    running.splice(running.indexOf(server), 1);
    expect(probe.aborted).toEqual(['endless']);
    expect(probe.finished).toEqual([]);
  });

  it('fails startup when the port is taken, releasing what it opened', async () => {
    const first = await start({ ...base, toy: { accounts: [] } });
    const raw = { ...base, server: { port: first.port, address: '127.0.0.1' } };
    const error = await startServer({ config: parseConfig(raw), raw, logger: silent }).catch((e: unknown) => e);
    expect((error as NodeJS.ErrnoException).code).toBe('EADDRINUSE');
  });

  it('drains on shutdown: readiness goes out of service and the port closes', async () => {
    const server = await start({ ...base, toy: { accounts: [] } });
    await server.shutdown('test');
    await expect(request(server.url).get('/health')).rejects.toThrow();
    running.splice(running.indexOf(server), 1);
  });
});
