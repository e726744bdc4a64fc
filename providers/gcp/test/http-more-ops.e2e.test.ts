import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { PROJECT } from '../src/test-support/gce-fixture.js';
import { SHOP_DEPLOYMENT } from '../src/test-support/gce-ops-harness.js';
import { gceServerE2e } from '../src/test-support/gce-server-e2e.js';

/**
 * The GCE operations that had only provider-level tests, through the real server process as Orca
 * drives them: `POST /gce/ops`, then `GET /task/{id}` until completed, then the reads Deck makes.
 * A loopback Consul agent stands in for the agent on an instance named `localhost`.
 */

const US = 'regions/us-central1';
const ZONE = 'zones/us-central1-a';

let consul: Server;
const maintenance: string[] = [];
const statuses = (task: any): string[] => task.history.map((h: { status: string }) => h.status);
const serverGroup = (name: string) => get(`/serverGroups/prod/us-central1/${name}`).then((r) => r.body);

const e2e = gceServerE2e({
  tempPrefix: 'stratus-gce-ops-e2e-',
  opDefaults: { cloudProvider: 'gce', credentials: 'prod' },
  async seed(gce) {
    gce.cloud.put(PROJECT, 'global', 'images', { name: 'shop-image-v2', family: 'shop' });
    gce.cloud.put(PROJECT, 'global', 'sslCertificates', {
      name: 'shop-cert',
      type: 'SELF_MANAGED',
      certificate: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----',
    });
    consul = createServer((req, res) => {
      maintenance.push(`${req.method} ${req.url}`);
      res.writeHead(req.method === 'PUT' && req.url?.startsWith('/v1/agent/maintenance?') ? 200 : 404).end();
    });
    await new Promise<void>((resolve) => consul.listen(0, 'localhost', resolve));
    const consulPort = (consul.address() as AddressInfo).port;
    return { consul: { enabled: true, agentPort: consulPort } };
  },
  stop: () => new Promise((resolve) => consul?.close(() => resolve())),
});
const { call, get, until, runOp, runTask } = e2e;

const deployment = { ...SHOP_DEPLOYMENT, loadBalancers: [] as string[] };
const target = { region: 'us-central1', serverGroupName: 'shop-web-v000' };

describe('GCE operations through /gce/ops, polled as Orca polls them', () => {
  it('manages a network load balancer, its instances and a clone, then decrements and terminates instances', async () => {
    await runOp('upsertLoadBalancer', { region: 'us-central1', loadBalancerName: 'shop-lb', loadBalancerType: 'NETWORK', ipProtocol: 'TCP', portRange: '80' });
    expect(e2e.fake.cloud.get(PROJECT, US, 'forwardingRules', 'shop-lb')).toMatchObject({ IPProtocol: 'TCP', portRange: '80-80' });
    await runOp('createServerGroup', deployment);
    const names: string[] = (await serverGroup('shop-web-v000')).instances.map((i: { name: string }) => i.name).sort();
    expect(names).toHaveLength(2);

    await runOp('registerInstancesWithLoadBalancer', { region: 'us-central1', loadBalancerNames: ['shop-lb'], instanceIds: names });
    const pool = () => ((e2e.fake.cloud.get(PROJECT, US, 'targetPools', 'shop-lb-tp')!.instances as string[]) ?? []).map((l) => l.split('/').pop()).sort();
    expect(pool()).toEqual(names);
    await runOp('deregisterInstancesFromLoadBalancer', { region: 'us-central1', loadBalancerNames: ['shop-lb'], instanceIds: [names[0]] });
    expect(pool()).toEqual([names[1]]);

    const clone = await runOp('cloneServerGroup', {
      source: { account: 'prod', region: 'us-central1', serverGroupName: 'shop-web-v000' },
      targetSize: 1,
      instanceType: 'e2-medium',
    });
    expect(JSON.stringify(clone.resultObjects)).toContain('us-central1:shop-web-v001');
    expect(await serverGroup('shop-web-v001')).toMatchObject({ capacity: { desired: 1 }, instanceType: 'e2-medium', zone: 'us-central1-a' });
    await runOp('enableServerGroup', { ...target, serverGroupName: 'shop-web-v001' });
    expect((await serverGroup('shop-web-v001')).disabled).toBe(false);

    const decrement = await runOp('terminateInstanceAndDecrementServerGroup', { ...target, instanceIds: [names[0]] });
    expect(decrement.status.failed).toBe(false);
    expect(await serverGroup('shop-web-v000')).toMatchObject({ capacity: { desired: 1 }, instanceCounts: { total: 1 } });
    await runOp('terminateInstances', {
      region: 'us-central1',
      serverGroupName: 'shop-web-v001',
      instanceIds: [(await serverGroup('shop-web-v001')).instances[0].name],
    });
    expect(await serverGroup('shop-web-v001')).toMatchObject({ capacity: { desired: 1 } });

    for (const name of ['shop-web-v000', 'shop-web-v001']) await runOp('destroyServerGroup', { ...target, serverGroupName: name });
    await runOp('deleteLoadBalancer', { region: 'us-central1', loadBalancerName: 'shop-lb' });
    expect(e2e.fake.cloud.get(PROJECT, US, 'forwardingRules', 'shop-lb')).toBeUndefined();
  });

  it("changes a group's template: tags, launch config, stateful disk and boot image; removes auto-healing; tags an image; deletes a firewall", async () => {
    await runOp('createServerGroup', { ...deployment, application: 'tmpl' });
    const sg = { region: 'us-central1', serverGroupName: 'tmpl-web-v000' };
    const tagged = await runOp('upsertServerGroupTags', { ...sg, tags: ['web', 'public-http'] });
    expect(statuses(tagged).join('\n')).toContain('tmpl-web-v000');
    expect((await serverGroup('tmpl-web-v000')).instanceTemplateTags).toEqual(['web', 'public-http']);

    await runOp('updateLaunchConfig', { ...sg, instanceType: 'e2-medium', image: 'shop-image-v2' });
    expect(await serverGroup('tmpl-web-v000')).toMatchObject({ instanceType: 'e2-medium', launchConfig: { imageId: 'shop-image-v2' } });

    const notStateful = await runTask('statefullyUpdateBootImage', { ...sg, bootImage: 'debian-12-bookworm-v20240110' });
    expect(notStateful.status).toMatchObject({ completed: true, failed: true });
    expect(JSON.stringify(notStateful)).toContain('does not have a StatefulPolicy');
    await runOp('setStatefulDisk', { ...sg, deviceName: 'data' });
    expect((await serverGroup('tmpl-web-v000')).statefulPolicy).toMatchObject({ preservedState: { disks: { data: { autoDelete: 'NEVER' } } } });
    await runOp('statefullyUpdateBootImage', { ...sg, bootImage: 'debian-12-bookworm-v20240110' });
    expect((await serverGroup('tmpl-web-v000')).launchConfig).toMatchObject({ imageId: 'debian-12-bookworm-v20240110' });

    await runOp('upsertScalingPolicy', { ...sg, autoHealingPolicy: { healthCheck: 'tmpl-hc', initialDelaySec: 30 } });
    expect((await serverGroup('tmpl-web-v000')).autoHealingPolicy).toMatchObject({ healthCheck: 'tmpl-hc', initialDelaySec: 30 });
    await runOp('deleteScalingPolicy', { ...sg, deleteAutoHealingPolicy: true });
    expect((await serverGroup('tmpl-web-v000')).autoHealingPolicy).toBeUndefined();
    expect(e2e.fake.cloud.get(PROJECT, ZONE, 'instanceGroupManagers', 'tmpl-web-v000')!.autoHealingPolicies).toBeUndefined();

    await runOp('upsertImageTags', { imageName: 'shop-image-v2', tags: { appversion: 'shop-2-0-0' } });
    expect(e2e.fake.cloud.get(PROJECT, 'global', 'images', 'shop-image-v2')!.labels).toMatchObject({ appversion: 'shop-2-0-0' });

    await runOp('upsertSecurityGroup', { securityGroupName: 'tmpl-http', allowed: [{ ipProtocol: 'tcp', portRanges: ['80'] }], sourceRanges: ['10.0.0.0/8'] });
    expect((await get('/securityGroups/prod/gce/global/tmpl-http')).status).toBe(200);
    await runOp('deleteSecurityGroup', { securityGroupName: 'tmpl-http' });
    expect((await get('/securityGroups/prod/gce/global/tmpl-http')).status).toBe(404);
  });

  it('takes instances out of and back into Consul discovery, and answers malformed requests with 400 naming the field', async () => {
    await runOp('disableInstancesInDiscovery', { region: 'us-central1', instanceIds: ['localhost'] });
    await runOp('enableInstancesInDiscovery', { region: 'us-central1', instanceIds: ['localhost'] });
    expect(maintenance).toEqual([
      'PUT /v1/agent/maintenance?enable=true&reason=Spinnaker%20disable%20Operation',
      'PUT /v1/agent/maintenance?enable=false&reason=Spinnaker%20enable%20Operation',
    ]);
    const bad = await call('POST', '/gce/ops', [
      { disableInstancesInDiscovery: { cloudProvider: 'gce', credentials: 'prod', region: 'us-central1', instanceIds: [] } },
    ]);
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('instanceIds');
    const badHealing = await call('POST', '/gce/ops', [
      { deleteScalingPolicy: { cloudProvider: 'gce', credentials: 'prod', ...target, deleteAutoHealingPolicy: 'yes' } },
    ]);
    expect(badHealing.status).toBe(400);
    expect(JSON.stringify(badHealing.body)).toContain('deleteAutoHealingPolicy');
  });

  it("lists SSL certificates the way Deck's certificate reader asks for them; /certificates/gce stays empty as in Clouddriver", async () => {
    const found = await until(
      'the certificate in search',
      () => get('/search?q=&type=sslCertificates'),
      (a) => JSON.stringify(a.body).includes('shop-cert'),
    );
    expect(found.body[0].results).toEqual([expect.objectContaining({ provider: 'gce', type: 'sslCertificates', account: 'prod', name: 'shop-cert' })]);
    expect(JSON.stringify(found.body)).not.toContain('BEGIN CERTIFICATE');
    expect((await get('/certificates/gce')).body).toEqual([]);
  });
});
