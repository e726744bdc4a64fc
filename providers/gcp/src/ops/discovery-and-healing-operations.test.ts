import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FakeGceServer, ProviderTestHost } from '@stratus/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createGceHost, PROJECT, startFakeGce } from '../test-support/gce-fixture.js';

/**
 * enable/disableInstancesInDiscovery against loopback Consul agents (one per instance, told apart by
 * a path prefix), and deleteScalingPolicy's `deleteAutoHealingPolicy` against the fake compute API.
 */

let server: FakeGceServer;
let consul: Server;
let consulBase = '';
/** Each instance's agent: maintenance on or off; `failing` answers 500. */
const maintenance = new Map<string, boolean>();
const failing = new Set<string>();
const consulCalls: string[] = [];

const ZONE = 'zones/us-central1-a';
const account = (consulBlock?: Record<string, unknown>) => ({
  name: 'prod',
  project: PROJECT,
  regions: ['us-central1'],
  endpoint: server.endpoint,
  ...(consulBlock ? { consul: consulBlock } : {}),
});
const hostWith = async (consulBlock?: Record<string, unknown>): Promise<ProviderTestHost> =>
  (await createGceHost(server, [account(consulBlock)], { consulAgentUrl: (name, port) => `${consulBase}/agents/${name}/${port}` })).host;

beforeAll(async () => {
  server = await startFakeGce();
  consul = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://consul');
    const match = /^\/agents\/([^/]+)\/(\d+)\/v1\/agent\/maintenance$/.exec(url.pathname);
    consulCalls.push(`${req.method} ${url.pathname}?${url.searchParams.toString()}`);
    if (!match || req.method !== 'PUT') return void res.writeHead(404).end('no such endpoint');
    if (failing.has(match[1]!)) return void res.writeHead(500).end('agent is broken');
    maintenance.set(match[1]!, url.searchParams.get('enable') === 'true');
    res.writeHead(200).end();
  });
  await new Promise<void>((resolve) => consul.listen(0, '127.0.0.1', resolve));
  consulBase = `http://127.0.0.1:${(consul.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await server?.close();
  await new Promise((resolve) => consul?.close(resolve));
});
beforeEach(() => {
  maintenance.clear();
  failing.clear();
  consulCalls.length = 0;
});

describe('GCE discovery (Consul maintenance mode)', () => {
  it('disables and enables instances through their Consul agents, on the configured agent port', async () => {
    const host = await hostWith({ enabled: true, agentPort: 8600 });
    const disabled = await host.runOperation('disableInstancesInDiscovery', {
      credentials: 'prod',
      region: 'us-central1',
      instanceIds: ['web-a', 'web-b'],
      serverGroupName: 'shop-web-v001',
    });
    expect(disabled.errors).toEqual([]);
    expect(Object.fromEntries(maintenance)).toEqual({ 'web-a': true, 'web-b': true });
    expect(consulCalls[0]).toBe('PUT /agents/web-a/8600/v1/agent/maintenance?enable=true&reason=Spinnaker+disable+Operation');
    expect(disabled.history.map((l) => [l.phase, l.status])).toEqual(expect.arrayContaining([['DISABLE_INSTANCES_IN_DISCOVERY', 'Disabling instance web-b']]));

    const enabled = await host.runOperation('enableInstancesInDiscovery', { credentials: 'prod', zone: 'us-central1-a', instanceIds: ['web-a'] });
    expect(enabled.errors).toEqual([]);
    expect(Object.fromEntries(maintenance)).toEqual({ 'web-a': false, 'web-b': true });
  });

  it('fails the task naming the agent when an agent errors, after the instances before it', async () => {
    const host = await hostWith({ enabled: true });
    failing.add('web-b');
    await expect(
      host.runOperation('disableInstancesInDiscovery', { credentials: 'prod', region: 'us-central1', instanceIds: ['web-a', 'web-b', 'web-c'] }),
    ).rejects.toThrow(/Consul agent at .*\/agents\/web-b\/8500 answered 500: agent is broken/);
    expect(Object.fromEntries(maintenance)).toEqual({ 'web-a': true });
  });

  it('refuses accounts without Consul, and bad descriptions, naming the field', async () => {
    const host = await hostWith();
    const refused = await host.runOperation('enableInstancesInDiscovery', { credentials: 'prod', region: 'us-central1', instanceIds: ['web-a'] });
    expect(refused.errors).toEqual([expect.objectContaining({ field: 'credentials', code: 'consulNotEnabled' })]);
    const bad = await host.runOperation('disableInstancesInDiscovery', { credentials: 'prod', region: 'europe-west1', instanceIds: ['Web_A'] });
    expect(bad.errors.map((e) => e.field)).toEqual(['region', 'instanceIds[0]', 'credentials']);
    expect(consulCalls).toEqual([]);
  });

  it('rejects a malformed consul block when the account loads', async () => {
    await expect(hostWith({ enabled: 'yes' })).rejects.toThrow(/consul\.enabled/);
  });
});

describe('deleteScalingPolicy with deleteAutoHealingPolicy', () => {
  it('clears the auto-healing policies and leaves the autoscaler', async () => {
    const host = await hostWith();
    const target = { credentials: 'prod', region: 'us-central1', serverGroupName: 'shop-web-v000' };
    const deployed = await host.runOperation('createServerGroup', {
      credentials: 'prod',
      application: 'shop',
      stack: 'web',
      region: 'us-central1',
      zone: 'us-central1-a',
      targetSize: 1,
      image: 'debian-12-bookworm-v20240110',
      instanceType: 'e2-small',
      loadBalancers: [],
    });
    expect(deployed.errors).toEqual([]);
    expect(
      (
        await host.runOperation('upsertScalingPolicy', {
          ...target,
          autoscalingPolicy: { minNumReplicas: 1, maxNumReplicas: 3 },
          autoHealingPolicy: { healthCheck: 'shop-hc', initialDelaySec: 60 },
        })
      ).errors,
    ).toEqual([]);
    const igm = () => server.cloud.get(PROJECT, ZONE, 'instanceGroupManagers', 'shop-web-v000')!;
    expect(igm().autoHealingPolicies).toHaveLength(1);
    const before = (await host.readModels.clusters!.getServerGroup('prod', 'us-central1', 'shop-web-v000')) as any;
    expect(before.autoHealingPolicy).toEqual({
      healthCheck: 'shop-hc',
      healthCheckUrl: expect.stringMatching(/global\/healthChecks\/shop-hc$/),
      initialDelaySec: 60,
    });

    const cleared = await host.runOperation('deleteScalingPolicy', { ...target, deleteAutoHealingPolicy: true });
    expect(cleared.errors).toEqual([]);
    expect(cleared.history.map((l) => l.status)).toContain('Done deleting auto-healing policy for shop-web-v000');
    expect(igm().autoHealingPolicies ?? []).toEqual([]);
    expect(server.cloud.get(PROJECT, ZONE, 'autoscalers', 'shop-web-v000')).toBeDefined();
    const view = (await host.readModels.clusters!.getServerGroup('prod', 'us-central1', 'shop-web-v000')) as any;
    expect(view.autoHealingPolicy).toBeUndefined();

    const again = await host.runOperation('deleteScalingPolicy', { ...target, deleteAutoHealingPolicy: true });
    expect(again.history.map((l) => l.status)).toContain('shop-web-v000 has no auto-healing policy; nothing to delete');
    expect((await host.runOperation('deleteScalingPolicy', { ...target, deleteAutoHealingPolicy: 'yes' })).errors.map((e) => e.field)).toEqual([
      'deleteAutoHealingPolicy',
    ]);
  });
});
