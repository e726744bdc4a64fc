import { SPI_VERSION, defineProvider, type ReadModelKind } from '@stratus/plugin-api';
import { pino } from 'pino';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../src/config/load-config.js';
import { startServer, type RunningServer } from '../src/server/start-server.js';
import { toyProvider } from './toy-provider.js';

/**
 * Gate's remaining reads on a started server: `/installedPlugins`, `/roles/{cloudProvider}`,
 * `/certificates[/{cloudProvider}]`, `/storage` and `/applications/{app}/serverGroupManagers`, with
 * a provider that serves roles, certificates and server group managers and one that does not.
 */

const catalog = defineProvider({
  id: 'catalog',
  apiVersion: SPI_VERSION,
  version: '2.3.4',
  register(context) {
    context.registerRoutes([
      {
        method: 'get',
        path: '/roles/catalog',
        handle: async () => ({ body: [{ name: 'deployer', id: 'arn:role/deployer' }] }),
      },
      {
        method: 'get',
        path: '/certificates/catalog',
        // Filters by the caller, as every provider route must.
        handle: async ({ caller }) => ({
          body: [
            { serverCertificateName: 'zeta', accountName: 'prod' },
            { serverCertificateName: 'Alpha', accountName: 'dev' },
          ].filter((certificate) => caller.canReadAccount(certificate.accountName)),
        }),
      },
    ]);
    context.registerReadModel(
      'catalog',
      'serverGroupManagers' as ReadModelKind,
      {
        async getServerGroupManagersByApplication(application: string) {
          return [
            { name: `${application}-deploy`, account: 'prod', region: 'default', cloudProvider: 'catalog', serverGroups: [] },
            { name: `${application}-deploy`, account: 'dev', region: 'default', cloudProvider: 'catalog', serverGroups: [] },
          ];
        },
      } as never,
    );
  },
});

const failing = defineProvider({
  id: 'failing',
  apiVersion: SPI_VERSION,
  version: '0.0.1',
  register(context) {
    context.registerRoutes([
      { method: 'get', path: '/certificates/failing', handle: async () => ({ body: [{ serverCertificateName: 'middle', accountName: 'dev' }] }) },
    ]);
    context.registerReadModel(
      'failing',
      'serverGroupManagers' as ReadModelKind,
      {
        async getServerGroupManagersByApplication() {
          throw new Error('cloud unreachable');
        },
      } as never,
    );
  },
});

let server: RunningServer;
const get = (path: string, user = 'olga') => request(server.url).get(path).set('X-SPINNAKER-USER', user);

beforeAll(async () => {
  const raw = {
    server: { port: 0, address: '127.0.0.1' },
    caching: { writeEnabled: false },
    security: { users: { olga: ['ops'], eve: [] } },
    storage: { accounts: [{ name: 'gcs-main', jsonPath: '/secret/key.json' }, { name: 'gcs-backup' }] },
    toy: { region: 'eu-1', accounts: [{ name: 'prod', permissions: { READ: ['ops'], WRITE: ['ops'] } }, { name: 'dev' }] },
  };
  server = await startServer({ config: parseConfig(raw), raw, logger: pino({ level: 'silent' }), providers: [toyProvider(), catalog, failing] });
});

afterAll(() => server.shutdown());

describe('Gate catalog reads', () => {
  it('lists the loaded providers as plugin descriptors', async () => {
    const response = await get('/installedPlugins');
    expect(response.status).toBe(200);
    expect(response.body.map((plugin: { pluginId: string; version: string }) => [plugin.pluginId, plugin.version])).toEqual([
      ['toy', '0.0.1'],
      ['catalog', '2.3.4'],
      ['failing', '0.0.1'],
    ]);
    expect(response.body[1]).toEqual({
      pluginId: 'catalog',
      pluginDescription: 'Stratus catalog provider (config key: catalog)',
      pluginClass: 'catalog',
      version: '2.3.4',
      requires: `stratus-provider-spi>=${SPI_VERSION}`,
      dependencies: [],
      unsafe: false,
    });
  });

  it("serves a provider's roles and [] for providers without", async () => {
    expect((await get('/roles/catalog')).body).toEqual([{ name: 'deployer', id: 'arn:role/deployer' }]);
    const none = await get('/roles/aws');
    expect(none.status).toBe(200);
    expect(none.body).toEqual([]);
  });

  it("gathers every provider's certificates sorted by name, filtered by the caller", async () => {
    expect((await get('/certificates')).body.map((c: { serverCertificateName: string }) => c.serverCertificateName)).toEqual(['Alpha', 'middle', 'zeta']);
    expect((await get('/certificates', 'eve')).body.map((c: { serverCertificateName: string }) => c.serverCertificateName)).toEqual(['Alpha', 'middle']);
    expect((await get('/certificates/catalog')).body).toHaveLength(2);
    expect((await get('/certificates/gce')).body).toEqual([]);
  });

  it('lists storage account names only', async () => {
    const response = await get('/storage');
    expect(response.body).toEqual(['gcs-main', 'gcs-backup']);
    expect(response.text).not.toContain('secret');
  });

  it('serves server group managers of readable accounts and skips a failing provider', async () => {
    const all = await get('/applications/shop/serverGroupManagers');
    expect(all.status).toBe(200);
    expect(all.body.map((m: { account: string }) => m.account)).toEqual(['prod', 'dev']);
    expect((await get('/applications/shop/serverGroupManagers', 'eve')).body.map((m: { account: string }) => m.account)).toEqual(['dev']);
  });

  it('says which client endpoints it does not implement, even where a generic route looks alike, and counts them', async () => {
    const events = await get('/applications/shop/serverGroups/prod/shop-main-v001/events');
    expect(events.status).toBe(404);
    expect(events.body.message).toContain('Stratus does not implement GET /applications/{app}/serverGroups/{account}/{serverGroup}/events');
    const serverGroup = await get('/applications/shop/serverGroups/prod/eu-1/shop-main-v001');
    expect(serverGroup.status).toBe(404);
    expect(serverGroup.body.unimplemented).toBeUndefined();
    expect((await get('/ecs/secrets')).body.route).toBe('/ecs/secrets');
    const metrics = (await get('/metrics')).text;
    expect(metrics).toContain(
      'stratus_unimplemented_requests_total{method="GET",route="/applications/{app}/serverGroups/{account}/{serverGroup}/events",callers="Gate"} 1',
    );
    expect(metrics).toContain('stratus_unimplemented_requests_total{method="GET",route="/ecs/secrets",callers="Gate"} 1');
  });

  it('documents the new routes in /openapi.json', async () => {
    const document = (await get('/openapi.json')).body;
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        '/tags',
        '/tags/{id}',
        '/projects/{project}/clusters',
        '/roles/{cloudProvider}',
        '/certificates',
        '/certificates/{cloudProvider}',
        '/storage',
        '/installedPlugins',
        '/applications/{application}/serverGroupManagers',
        '/roles/catalog',
      ]),
    );
  });
});
