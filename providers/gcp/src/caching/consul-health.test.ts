import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FakeGceServer } from '@stratus/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGceHost, PROJECT, startFakeGce } from '../test-support/gce-fixture.js';

/**
 * Consul health on GCE instances: with `consul.enabled` the instance caching agent asks each
 * instance's Consul agent (loopback stand-ins here) for its checks, and the instance view carries
 * them as Clouddriver's `ConsulHealth` entries.
 */

const ZONE = 'zones/us-central1-a';
let gce: FakeGceServer;
const agents: Server[] = [];
const agentUrls = new Map<string, string>();

/** A Consul agent answering `/v1/agent/checks` and `/v1/agent/services` with these checks. */
async function startAgent(checks: Record<string, Record<string, unknown>>): Promise<string> {
  const server = createServer((req, res) => {
    const body = req.url === '/v1/agent/checks' ? checks : req.url === '/v1/agent/services' ? { web: { ID: 'web', Service: 'web', Port: 8080 } } : undefined;
    if (!body) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  agents.push(server);
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const check = (id: string, status: string, notes = '') => ({
  Node: 'n',
  CheckID: id,
  Name: id,
  Status: status,
  Notes: notes,
  Output: '',
  ServiceID: '',
  ServiceName: '',
});

beforeAll(async () => {
  gce = await startFakeGce();
  for (const name of ['web-up', 'web-down', 'web-disabled', 'web-silent']) {
    gce.cloud.put(PROJECT, ZONE, 'instances', { name, status: 'RUNNING', machineType: 'zones/us-central1-a/machineTypes/e2-small' });
  }
  agentUrls.set('web-up', await startAgent({ 'service:web': check('service:web', 'passing', 'ok') }));
  agentUrls.set('web-down', await startAgent({ 'service:web': check('service:web', 'critical'), serfHealth: check('serfHealth', 'passing') }));
  agentUrls.set(
    'web-disabled',
    await startAgent({
      'service:web': check('service:web', 'passing'),
      _node_maintenance: check('_node_maintenance', 'critical', 'Spinnaker disable Operation'),
    }),
  );
  // web-silent: no agent answers (a port nothing listens on).
  agentUrls.set('web-silent', 'http://127.0.0.1:1');
});

afterAll(async () => {
  for (const agent of agents) await new Promise((resolve) => agent.close(resolve));
  await gce?.close();
});

describe('Consul health on GCE instances', () => {
  it('adds each Consul check as a Discovery health entry and lets it decide the instance state, as Clouddriver does', async () => {
    const account = { name: 'prod', project: PROJECT, regions: ['us-central1'], endpoint: gce.endpoint, consul: { enabled: true, agentPort: 8500 } };
    const { host } = await createGceHost(gce, [account], { consulAgentUrl: (name) => agentUrls.get(name) ?? 'http://127.0.0.1:1' });
    await host.runAgents();
    const instance = (name: string) => host.readModels.instances!.getInstance('prod', 'us-central1', name);

    const up = (await instance('web-up'))!;
    expect(up.health).toContainEqual(
      expect.objectContaining({
        type: 'Discovery',
        discoveryType: 'Consul',
        state: 'Up',
        source: 'service:web',
        description: 'ok',
        result: expect.objectContaining({ status: 'passing' }),
      }),
    );
    expect(up.healthState).toBe('Up');
    expect(await instance('web-down')).toMatchObject({ healthState: 'Down' });
    // In maintenance mode only the maintenance check counts: OutOfService, though the service passes.
    const disabled = (await instance('web-disabled'))!;
    expect(disabled.health.filter((h) => h.type === 'Discovery')).toEqual([
      expect.objectContaining({ state: 'OutOfService', source: '_node_maintenance', systemHealth: true }),
    ]);
    expect(disabled.healthState).toBe('OutOfService');
    // No agent: not running Consul, only the platform health.
    const silent = (await instance('web-silent'))!;
    expect(silent.health.map((h) => h.type)).toEqual(['Google']);
    expect(silent).toMatchObject({ healthState: 'Up', consulNode: { running: false } });
  });

  it('asks no Consul agent for accounts without consul enabled', async () => {
    const asked: string[] = [];
    const { host } = await createGceHost(gce, [{ name: 'plain', project: PROJECT, regions: ['us-central1'], endpoint: gce.endpoint }], {
      consulAgentUrl: (name) => (asked.push(name), agentUrls.get(name)!),
    });
    await host.runAgents();
    expect(asked).toEqual([]);
    const up = (await host.readModels.instances!.getInstance('plain', 'us-central1', 'web-up'))!;
    expect(up.health.map((h) => h.type)).toEqual(['Google']);
  });
});
