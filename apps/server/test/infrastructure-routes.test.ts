import { defineProvider, RouteError, SPI_VERSION, type AccountCredentials, type ProviderDefinition } from '@stratus/plugin-api';
import { pino } from 'pino';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../src/config/load-config.js';
import { startServer, type RunningServer } from '../src/server/start-server.js';

/** A provider serving its networks, subnets, instance types and console output, filtered by READ. */
function cloud(id: string, console?: string): ProviderDefinition {
  return defineProvider({
    id,
    apiVersion: SPI_VERSION,
    version: '0.0.1',
    register(context) {
      context.registerAccountType<AccountCredentials>({
        cloudProvider: id,
        parse: (raw) => ({
          name: String(raw.name),
          cloudProvider: id,
          ...(raw.permissions ? { permissions: raw.permissions as AccountCredentials['permissions'] } : {}),
        }),
        agents: () => [],
      });
      const of =
        (kind: string) =>
        async ({ caller }: { caller: { canReadAccount(a: string): boolean } }) => ({
          body: [`${id}-open`, `${id}-locked`]
            .filter((a) => caller.canReadAccount(a))
            .map((account) => ({ cloudProvider: id, kind, account, id: `${kind}-${account}`, name: `${kind}-${account}` })),
        });
      context.registerRoutes([
        { method: 'get', path: `/networks/${id}`, handle: of('network') },
        { method: 'get', path: `/subnets/${id}`, handle: of('subnet') },
        ...(id === 'alpha' ? [{ method: 'get' as const, path: `/instanceTypes/${id}`, handle: of('type') }] : []),
        {
          method: 'get',
          path: `/${id}/instances/{account}/{region}/{instanceId}/console`,
          async handle({ params }) {
            if (!console || params.instanceId !== 'i-1') throw new RouteError(404, 'no such instance');
            return { body: { output: `${console} ${params.account}/${params.region}` } };
          },
        },
      ]);
    },
  });
}

describe('infrastructure reads across providers', () => {
  let server: RunningServer;
  beforeAll(async () => {
    const accounts = (id: string) => ({ accounts: [{ name: `${id}-open` }, { name: `${id}-locked`, permissions: { READ: ['admins'], WRITE: ['admins'] } }] });
    const raw = { server: { port: 0, address: '127.0.0.1' }, alpha: accounts('alpha'), beta: accounts('beta'), security: { users: { alice: ['admins'] } } };
    server = await startServer({ config: parseConfig(raw), raw, logger: pino({ level: 'silent' }), providers: [cloud('alpha'), cloud('beta', 'boot log')] });
  });
  afterAll(async () => {
    await server?.shutdown('test done');
  });

  it("GET /networks groups every provider's networks by cloud provider, with the caller's permissions", async () => {
    const anonymous = await request(server.url).get('/networks');
    expect(anonymous.status).toBe(200);
    expect(Object.keys(anonymous.body).sort()).toEqual(['alpha', 'beta']);
    expect(anonymous.body.alpha.map((n: { account: string }) => n.account)).toEqual(['alpha-open']);
    const alice = await request(server.url).get('/networks').set('X-SPINNAKER-USER', 'alice');
    expect(alice.body.beta.map((n: { account: string }) => n.account)).toEqual(['beta-open', 'beta-locked']);
  });

  it("GET /subnets and /instanceTypes list every provider's; a provider without a route has none", async () => {
    const subnets = await request(server.url).get('/subnets');
    expect(subnets.body.map((s: { id: string }) => s.id).sort()).toEqual(['subnet-alpha-open', 'subnet-beta-open']);
    expect((await request(server.url).get('/instanceTypes')).body.map((t: { id: string }) => t.id)).toEqual(['type-alpha-open']);
    expect((await request(server.url).get('/subnets/alpha')).body).toHaveLength(1);
    expect((await request(server.url).get('/subnets/gamma')).body).toEqual([]);
    expect((await request(server.url).get('/networks/gamma')).body).toEqual([]);
  });

  it('GET /instances/{account}/{region}/{id}/console asks the named provider, or each until one knows the instance', async () => {
    const found = await request(server.url).get('/instances/beta-open/r1/i-1/console');
    expect(found.status).toBe(200);
    expect(found.body).toEqual({ output: 'boot log beta-open/r1' });
    expect((await request(server.url).get('/instances/beta-open/r1/i-1/console?provider=alpha')).status).toBe(404);
    const missing = await request(server.url).get('/instances/beta-open/r1/i-2/console');
    expect(missing.status).toBe(404);
    expect(missing.body.message).toContain('i-2');
  });
});
