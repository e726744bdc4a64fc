import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import request from 'supertest';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/load-config.js';
import { startServer, type RunningServer } from '../src/server/start-server.js';
import { toyProvider } from './toy-provider.js';

// `GET /credentials` answers repeated polls from a serialised list per caller access: these show
// every account change is seen by the very next GET, and no caller ever gets another's list.
const silent = pino({ level: 'silent' });
const dir = mkdtempSync(join(tmpdir(), 'stratus-credentials-cache-'));
const running: RunningServer[] = [];
afterEach(async () => {
  for (const server of running.splice(0)) await server.shutdown('test done');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Account {
  readonly name: string;
  readonly permissions?: { READ?: string[]; WRITE?: string[] };
}

const yaml = (accounts: readonly Account[], users = 'root: [admins], alice: [dev]') =>
  [
    'server: {port: 0, address: 127.0.0.1}',
    'admin: {tasks: {shutdownWaitSeconds: 1}}',
    `security: {adminRoles: [admins], users: {${users}}}`,
    'account: {storage: {enabled: true}}',
    'toy:',
    '  region: eu-1',
    '  accounts:',
    ...accounts.map((a) => `    - ${JSON.stringify(a)}`),
  ].join('\n');

async function start(path: string, accounts: readonly Account[], users?: string): Promise<RunningServer> {
  writeFileSync(path, yaml(accounts, users));
  const { config, raw } = loadConfig({ path, env: {} });
  const server = await startServer({ config, raw, configPath: path, logger: silent, providers: [toyProvider()] });
  running.push(server);
  return server;
}

const names = async (server: RunningServer, user?: string) => {
  const response = user ? await request(server.url).get('/credentials').set('X-SPINNAKER-USER', user) : await request(server.url).get('/credentials');
  expect(response.status).toBe(200);
  return (response.body as Account[]).map((a) => a.name);
};

describe('GET /credentials list cache', () => {
  it('reflects accounts added, re-permissioned and removed by a config reload on the next GET', async () => {
    const path = join(dir, 'reload.yml');
    const server = await start(path, [{ name: 'one' }, { name: 'two' }]);
    expect(await names(server)).toEqual(['one', 'two']);
    expect(await names(server)).toEqual(['one', 'two']); // served from the cache

    writeFileSync(path, yaml([{ name: 'two' }, { name: 'three' }]));
    await server.reload();
    expect(await names(server)).toEqual(['three', 'two']);

    // The same set of names, but `two` is now restricted: the anonymous caller's cached list must not keep it.
    writeFileSync(path, yaml([{ name: 'two', permissions: { READ: ['dev'], WRITE: ['dev'] } }, { name: 'three' }]));
    await server.reload();
    expect(await names(server)).toEqual(['three']);
    expect(await names(server, 'alice')).toEqual(['three', 'two']);
    const alice = await request(server.url).get('/credentials').set('X-SPINNAKER-USER', 'alice');
    expect((alice.body as Account[]).find((a) => a.name === 'two')?.permissions).toEqual({ READ: ['dev'], WRITE: ['dev'] });
  });

  it('reflects accounts created, updated and deleted over the account API on the next GET', async () => {
    const server = await start(join(dir, 'api.yml'), [{ name: 'fromConfig' }]);
    expect(await names(server)).toEqual(['fromConfig']);
    const created = await request(server.url).post('/credentials').set('X-SPINNAKER-USER', 'root').send({ name: 'stored', type: 'toy' });
    expect(created.status).toBe(200);
    expect(await names(server)).toEqual(['fromConfig', 'stored']);

    const updated = await request(server.url)
      .put('/credentials')
      .set('X-SPINNAKER-USER', 'root')
      .send({ name: 'stored', type: 'toy', permissions: { READ: ['dev'], WRITE: ['dev'] } });
    expect(updated.status).toBe(200);
    expect(await names(server)).toEqual(['fromConfig']);
    expect(await names(server, 'alice')).toEqual(['fromConfig', 'stored']);

    expect((await request(server.url).delete('/credentials/stored').set('X-SPINNAKER-USER', 'root')).status).toBe(200);
    expect(await names(server, 'alice')).toEqual(['fromConfig']);
  });

  it('keeps lists of callers with different access apart, and answers If-None-Match from the cached ETag', async () => {
    const server = await start(join(dir, 'access.yml'), [{ name: 'open' }, { name: 'secret', permissions: { READ: ['dev'], WRITE: ['dev'] } }]);
    for (let round = 0; round < 2; round++) {
      expect(await names(server)).toEqual(['open']);
      expect(await names(server, 'alice')).toEqual(['open', 'secret']);
      expect(await names(server, 'mallory')).toEqual(['open']);
      expect(await names(server, 'root')).toEqual(['open', 'secret']);
    }
    const first = await request(server.url).get('/credentials');
    const etag = first.headers.etag as string;
    expect(etag).toBeTruthy();
    expect(first.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(Number(first.headers['content-length'])).toBe(Buffer.byteLength(JSON.stringify(first.body)));
    expect((await request(server.url).get('/credentials').set('If-None-Match', etag)).status).toBe(304);
    const alice = await request(server.url).get('/credentials').set('X-SPINNAKER-USER', 'alice').set('If-None-Match', etag);
    expect(alice.status).toBe(200);
    expect(alice.headers.etag).not.toBe(etag);
  });

  it('applies roles changed by a config reload on the next GET: a caller access is never reused past a change of roles', async () => {
    const path = join(dir, 'roles.yml');
    const accounts = [{ name: 'open' }, { name: 'secret', permissions: { READ: ['dev'], WRITE: ['dev'] } }];
    const server = await start(path, accounts, 'root: [admins], alice: [dev], bob: []');
    for (let round = 0; round < 2; round++) {
      expect(await names(server, 'alice')).toEqual(['open', 'secret']);
      expect(await names(server, 'bob')).toEqual(['open']);
      expect(await names(server, 'root')).toEqual(['open', 'secret']);
    }
    // Same accounts (their version does not move): only the role source changes.
    writeFileSync(path, yaml(accounts, 'root: [], alice: [], bob: [dev]'));
    await server.reload();
    expect(await names(server, 'alice')).toEqual(['open']);
    expect(await names(server, 'bob')).toEqual(['open', 'secret']);
    expect(await names(server, 'root')).toEqual(['open']);
    const denied = await request(server.url).post('/credentials').set('X-SPINNAKER-USER', 'root').send({ name: 'late', type: 'toy' });
    expect(denied.status).toBe(403);
  });
});
