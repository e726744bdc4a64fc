import { ProviderRouteRegistry } from '@stratus/core';
import { defineProvider, RouteError, SPI_VERSION, type AccountCredentials } from '@stratus/plugin-api';
import { pino } from 'pino';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../src/config/load-config.js';
import { startServer, type RunningServer } from '../src/server/start-server.js';

/** A provider with accounts and three extra routes, one shadowing a generic read path. */
const routedProvider = defineProvider({
  id: 'routed',
  apiVersion: SPI_VERSION,
  version: '0.0.1',
  register(context) {
    context.registerAccountType<AccountCredentials>({
      cloudProvider: 'routed',
      parse: (raw) => ({
        name: String(raw.name),
        cloudProvider: 'routed',
        ...(raw.permissions ? { permissions: raw.permissions as AccountCredentials['permissions'] } : {}),
      }),
      agents: () => [],
    });
    context.registerRoutes([
      {
        method: 'get',
        path: '/things/{account}/{name}',
        summary: 'One thing of an account',
        async handle({ params, query, caller }) {
          if (!caller.canReadAccount(params.account!)) throw new RouteError(404, `thing ${params.name} not found in ${params.account}`);
          if (params.name === 'missing') throw new RouteError(404, `thing ${params.name} not found in ${params.account}`);
          return { body: { account: params.account, name: params.name, verbose: query.verbose === 'true' } };
        },
      },
      {
        method: 'post',
        path: '/things/{account}',
        async handle({ params, body, caller }) {
          if (!caller.canWriteAccount(params.account!)) throw new RouteError(403, `no WRITE on ${params.account}`);
          return { status: 201, body: { created: body } };
        },
      },
      { method: 'get', path: '/routed/loadBalancers/special', handle: async () => ({ body: { special: true } }) },
    ]);
    context.registerHealthDetails('clusters', () => ({ reachable: 1, unreachable: ['far-away'] }));
    context.registerHealthDetails('broken', () => {
      throw new Error('cannot tell');
    });
  },
});

/** A second provider registering the same per-account path: requests go to the account's provider. */
const sharingProvider = defineProvider({
  id: 'sharing',
  apiVersion: SPI_VERSION,
  version: '0.0.1',
  register(context) {
    context.registerAccountType<AccountCredentials>({
      cloudProvider: 'sharing',
      parse: (raw) => ({ name: String(raw.name), cloudProvider: 'sharing' }),
      agents: () => [],
    });
    context.registerRoutes([
      {
        method: 'get',
        path: '/things/{account}/{item}',
        summary: 'One item of a sharing account',
        handle: async ({ params }) => ({ body: { sharing: true, account: params.account, item: params.item } }),
      },
    ]);
  },
});

describe('provider routes', () => {
  let server: RunningServer;
  beforeAll(async () => {
    const raw = {
      server: { port: 0, address: '127.0.0.1' },
      routed: {
        accounts: [{ name: 'open' }, { name: 'locked', permissions: { READ: ['admins'], WRITE: ['admins'] } }],
      },
      sharing: { accounts: [{ name: 'shared-acct' }] },
      security: { users: { alice: ['admins'] } },
    };
    server = await startServer({ config: parseConfig(raw), raw, logger: pino({ level: 'silent' }), providers: [routedProvider, sharingProvider] });
  });
  afterAll(async () => {
    await server?.shutdown('test done');
  });

  it('serves a provider route with its path parameters and query', async () => {
    const response = await request(server.url).get('/things/open/widget?verbose=true');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ account: 'open', name: 'widget', verbose: true });
  });

  it('hands a per-account path two providers registered to the provider of the account, under its own parameter names', async () => {
    expect((await request(server.url).get('/things/open/widget')).body).toEqual({ account: 'open', name: 'widget', verbose: false });
    expect((await request(server.url).get('/things/shared-acct/widget')).body).toEqual({ sharing: true, account: 'shared-acct', item: 'widget' });
    const unknown = await request(server.url).get('/things/nobody/widget');
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ message: 'Account not found: nobody' });
  });

  it('maps RouteError to its status with a Clouddriver error body', async () => {
    const response = await request(server.url).get('/things/open/missing');
    expect(response.status).toBe(404);
    expect(response.body).toMatchObject({ status: 404, message: 'thing missing not found in open' });
  });

  it('hands the route the caller, so providers filter by account permissions', async () => {
    expect((await request(server.url).get('/things/locked/widget')).status).toBe(404);
    expect((await request(server.url).post('/things/locked').send({ a: 1 })).status).toBe(403);
    const allowed = await request(server.url).post('/things/locked').set('X-SPINNAKER-USER', 'alice').send({ a: 1 });
    expect(allowed.status).toBe(201);
    expect(allowed.body).toEqual({ created: { a: 1 } });
  });

  it('mounts provider routes before the generic parametric ones', async () => {
    const response = await request(server.url).get('/routed/loadBalancers/special');
    expect(response.body).toEqual({ special: true });
  });

  it('documents provider routes in /openapi.json', async () => {
    const document = (await request(server.url).get('/openapi.json')).body;
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(['/things/{account}/{name}', '/things/{account}']));
  });
});

describe('provider health details', () => {
  let server: RunningServer;
  beforeAll(async () => {
    const raw = { server: { port: 0, address: '127.0.0.1' }, security: { adminRoles: ['ops'], users: { olga: ['ops'] } } };
    server = await startServer({ config: parseConfig(raw), raw, logger: pino({ level: 'silent' }), providers: [routedProvider] });
  });
  afterAll(async () => {
    await server?.shutdown('test done');
  });

  it("shows providers' details in readiness (to admins), and a failing one never takes the replica out of rotation", async () => {
    const response = await request(server.url).get('/health/readiness').set('X-SPINNAKER-USER', 'olga');
    expect(response.status).toBe(200);
    expect(response.body.status).toBe('UP');
    expect(response.body.components['routed.clusters']).toMatchObject({ status: 'UP', details: { reachable: 1, unreachable: ['far-away'] } });
    expect(response.body.components['routed.broken']).toMatchObject({ status: 'UP', details: { error: 'cannot tell' } });
  });
});

describe('ProviderRouteRegistry', () => {
  it('refuses a second provider registering the same method and path shape, naming both', () => {
    const registry = new ProviderRouteRegistry();
    const handle = async () => ({ body: null });
    registry.register('one', [{ method: 'get', path: '/x/{a}', handle }]);
    registry.register('two', [{ method: 'post', path: '/x/{a}', handle }]);
    expect(() => registry.register('two', [{ method: 'get', path: '/x/{b}', handle }])).toThrow(
      /GET \/x\/\{b\} of provider two is already registered by provider one/,
    );
  });

  it('lets providers share a path that names the account in the same place, but not one provider twice', () => {
    const registry = new ProviderRouteRegistry();
    const handle = async () => ({ body: null });
    registry.register('one', [{ method: 'get', path: '/instances/{account}/{region}/{id}/console', handle }]);
    registry.register('two', [{ method: 'get', path: '/instances/{account}/{location}/{pod}/console', handle }]);
    expect(registry.all()).toHaveLength(2);
    expect(() => registry.register('two', [{ method: 'get', path: '/instances/{account}/{r}/{i}/console', handle }])).toThrow(
      /already registered by provider two/,
    );
    expect(() => registry.register('three', [{ method: 'get', path: '/instances/{region}/{account}/{id}/console', handle }])).toThrow(
      /already registered by provider one/,
    );
  });
});
