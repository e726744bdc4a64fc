import { describe, expect, it } from 'vitest';
import { PROJECT } from '../test-support/gce-fixture.js';
import { gceOpsHarness, putNetworkLoadBalancer, SHOP_DEPLOYMENT } from '../test-support/gce-ops-harness.js';

const US = 'regions/us-central1';
const gce = gceOpsHarness({
  clear: [
    'autoscalers',
    'instanceGroupManagers',
    'instances',
    'instanceTemplates',
    'forwardingRules',
    'targetPools',
    'firewalls',
    'backendServices',
    'targetHttpProxies',
    'urlMaps',
  ],
  seed(c) {
    putNetworkLoadBalancer(c, 'shop-lb');
    c.put(PROJECT, 'global', 'backendServices', { name: 'shop-backend', protocol: 'HTTP', backends: [] });
  },
});

const deploy = (overrides: Record<string, unknown> = {}) =>
  gce.host.runOperation('createServerGroup', {
    type: 'createServerGroup',
    cloudProvider: 'gce',
    credentials: 'prod',
    ...SHOP_DEPLOYMENT,
    loadBalancers: ['shop-lb'],
    tags: ['web'],
    labels: { team: 'checkout' },
    instanceMetadata: { startup: 'echo hi' },
    ...overrides,
  });
const read = (name: string) => gce.host.readModels.clusters!.getServerGroup('prod', 'us-central1', name);
const poolInstances = () => gce.server.cloud.get(PROJECT, US, 'targetPools', 'shop-lb-pool')!.instances as string[];

describe('GCE operations against the fake compute API', () => {
  it('registers every operation Orca sends for gce', () => {
    expect([...gce.host.operations.keys()].sort()).toEqual(
      [
        'cloneServerGroup',
        'createServerGroup',
        'deleteLoadBalancer',
        'deleteScalingPolicy',
        'deleteSecurityGroup',
        'deregisterInstancesFromLoadBalancer',
        'rebootInstances',
        'registerInstancesWithLoadBalancer',
        'upsertImageTags',
        'upsertScalingPolicy',
        'upsertServerGroupTags',
        'destroyServerGroup',
        'disableInstancesInDiscovery',
        'disableServerGroup',
        'enableInstancesInDiscovery',
        'enableServerGroup',
        'resizeServerGroup',
        'restoreSnapshot',
        'saveSnapshot',
        'setStatefulDisk',
        'terminateInstanceAndDecrementServerGroup',
        'statefullyUpdateBootImage',
        'terminateInstances',
        'updateLaunchConfig',
        'upsertLoadBalancer',
        'upsertSecurityGroup',
      ].sort(),
    );
  });

  it('rejects malformed descriptions naming each bad field', async () => {
    const create = await gce.host.runOperation('createServerGroup', {
      credentials: 'nope',
      application: 'Bad_App',
      stack: 'UPPER',
      region: 'us-central1',
      zone: 'europe-west1-b',
      capacity: { min: 3, max: 1, desired: 2 },
      labels: { a: 1 },
      tags: ['Not A Tag'],
      disks: [{ sizeGb: 2 }],
    });
    expect(create.errors.map((e) => e.field)).toEqual(
      expect.arrayContaining(['credentials', 'application', 'stack', 'zone', 'capacity', 'image', 'instanceType', 'labels', 'tags[0]', 'disks[0].sizeGb']),
    );
    expect(create.result).toBeUndefined();
    const zoneless = await deploy({ zone: undefined });
    expect(zoneless.errors.map((e) => e.field)).toEqual(['zone']);

    const resize = await gce.host.runOperation('resizeServerGroup', { credentials: 'prod', region: 'mars-1', targetSize: -1 });
    expect(resize.errors.map((e) => e.field)).toEqual(['serverGroupName', 'region', 'targetSize']);
    expect((await gce.host.runOperation('destroyServerGroup', { serverGroupName: 'shop-v000', region: 'us-central1' })).errors).toEqual([
      expect.objectContaining({ field: 'credentials', code: 'empty' }),
    ]);
    expect(
      (await gce.host.runOperation('terminateInstances', { credentials: 'prod', region: 'us-central1', instanceIds: ['i-123_x'] })).errors.map((e) => e.field),
    ).toEqual(['instanceIds[0]']);
    const firewall = await gce.host.runOperation('upsertSecurityGroup', {
      credentials: 'prod',
      securityGroupName: 'Web',
      allowed: [{ ipProtocol: 'tcpx', portRanges: ['80-70'] }],
      sourceRanges: ['10.0.0.0'],
    });
    expect(firewall.errors.map((e) => e.field)).toEqual(['securityGroupName', 'allowed[0].ipProtocol', 'allowed[0].portRanges[0]', 'sourceRanges[0]']);
    const clone = await gce.host.runOperation('cloneServerGroup', { credentials: 'prod', source: { account: 'prod', region: 'us-central1' } });
    expect(clone.errors.map((e) => e.field)).toEqual(['source.serverGroupName']);
  });

  it('deploys v000 then v001, resizes, disables, enables and destroys, with reads showing each change when the task completes', async () => {
    const first = await deploy();
    expect(first.errors).toEqual([]);
    expect(first.result).toEqual({
      serverGroupNames: ['us-central1:shop-web-v000'],
      serverGroupNameByRegion: { 'us-central1': 'shop-web-v000' },
      deployedNames: ['shop-web-v000'],
      deployedNamesByLocation: { 'us-central1': ['shop-web-v000'] },
      messages: [],
    });
    expect(
      first.history.some((l) => l.phase === 'DEPLOY' && l.status.startsWith('Creating zonal managed instance group shop-web-v000 in zone us-central1-a')),
    ).toBe(true);
    const igm = gce.server.cloud.get(PROJECT, 'zones/us-central1-a', 'instanceGroupManagers', 'shop-web-v000')!;
    expect(igm.targetPools).toEqual([gce.server.cloud.link(PROJECT, US, 'targetPools', 'shop-lb-pool')]);
    const template = gce.server.cloud.get(PROJECT, 'global', 'instanceTemplates', igm.instanceTemplate.split('/').pop())!;
    expect(template.properties.metadata.items).toEqual(
      expect.arrayContaining([
        { key: 'startup', value: 'echo hi' },
        { key: 'load-balancer-names', value: 'shop-lb' },
      ]),
    );

    // No scheduled run happened: the operation refreshed the cache itself.
    expect(await read('shop-web-v000')).toMatchObject({
      zone: 'us-central1-a',
      disabled: false,
      capacity: { desired: 2 },
      instanceCounts: { total: 2, up: 2 },
      loadBalancers: ['shop-lb'],
      instanceType: 'e2-small',
      labels: { team: 'checkout' },
    });
    expect(await gce.host.readModels.clusters!.getClusterNames('shop')).toEqual({ prod: ['shop-web'] });
    expect((await deploy({ zone: 'us-central1-b', targetSize: 1 })).result).toMatchObject({ deployedNames: ['shop-web-v001'] });

    const target = { credentials: 'prod', region: 'us-central1', serverGroupName: 'shop-web-v000' };
    const resize = await gce.host.runOperation('resizeServerGroup', { ...target, capacity: { min: 4, max: 4, desired: 4 } });
    expect(resize.history.some((l) => l.phase === 'RESIZE' && l.status === 'Resizing shop-web-v000 from 2 to 4 instances')).toBe(true);
    expect(await read('shop-web-v000')).toMatchObject({ capacity: { min: 4, max: 4, desired: 4 }, instanceCounts: { total: 4 } });

    const disable = await gce.host.runOperation('disableServerGroup', target);
    expect(
      disable.history.some((l) => l.phase === 'DISABLE_SERVER_GROUP' && l.status.includes('Removing shop-web-v000 from target pool(s) shop-lb-pool')),
    ).toBe(true);
    expect((await read('shop-web-v000'))!.disabled).toBe(true);
    expect(poolInstances().some((link) => link.includes('shop-web-v000'))).toBe(false);
    const lb = (await gce.host.readModels.loadBalancers!.list()).find((l) => l.name === 'shop-lb')!;
    expect(lb.serverGroups.find((sg) => sg.name === 'shop-web-v000')).toMatchObject({ isDisabled: true });

    await gce.host.runOperation('enableServerGroup', target);
    expect((await read('shop-web-v000'))!.disabled).toBe(false);
    expect(poolInstances().filter((link) => link.includes('shop-web-v000'))).toHaveLength(4);

    const destroy = await gce.host.runOperation('destroyServerGroup', target);
    expect(destroy.history.map((l) => l.status)).toEqual(
      expect.arrayContaining([
        'Deleting managed instance group shop-web-v000 in us-central1-a',
        expect.stringMatching(/^Deleting instance template shop-web-v000-/),
      ]),
    );
    expect(await read('shop-web-v000')).toBeUndefined();
    expect(gce.server.cloud.list(PROJECT, 'global', 'instanceTemplates').map((t) => t.name)).toEqual([expect.stringMatching(/^shop-web-v001-/)]);
    expect((await gce.host.cache.getIdentifiers('instances')).filter((k) => k.includes('shop-web-v000'))).toEqual([]);
  });

  it('deploys a regional group into backend services and clones it into the next sequence', async () => {
    const regional = await deploy({
      regional: true,
      zone: undefined,
      loadBalancers: [],
      backendServices: ['shop-backend'],
      targetSize: 3,
      distributionPolicy: { zones: ['us-central1-a', 'us-central1-b'] },
    });
    expect(regional.errors).toEqual([]);
    const view = (await read('shop-web-v000'))!;
    expect(view).toMatchObject({
      regional: true,
      zones: ['us-central1-a', 'us-central1-b'],
      disabled: false,
      backendServices: ['shop-backend'],
      instanceCounts: { total: 3 },
    });
    const backends = () =>
      ((gce.server.cloud.get(PROJECT, 'global', 'backendServices', 'shop-backend')!.backends ?? []) as { group: string }[]).map((b) =>
        b.group.split('/').slice(-3).join('/'),
      );
    expect(backends()).toEqual(['us-central1/instanceGroups/shop-web-v000']);

    // An HTTP load balancer in front of the backend service, created directly in the cloud.
    const c = gce.server.cloud;
    c.put(PROJECT, 'global', 'urlMaps', { name: 'shop-map', defaultService: c.link(PROJECT, 'global', 'backendServices', 'shop-backend') });
    c.put(PROJECT, 'global', 'targetHttpProxies', { name: 'shop-proxy', urlMap: c.link(PROJECT, 'global', 'urlMaps', 'shop-map') });
    c.put(PROJECT, 'global', 'forwardingRules', {
      name: 'shop-http',
      IPProtocol: 'TCP',
      portRange: '80-80',
      target: c.link(PROJECT, 'global', 'targetHttpProxies', 'shop-proxy'),
    });
    const httpAgent = (a: { agentType: string }) => a.agentType === 'prod/global/GoogleHttpLoadBalancerCachingAgent';
    await gce.host.runAgents(httpAgent);
    const httpLb = async () => (await gce.host.readModels.loadBalancers!.getApplicationLoadBalancers('shop')).find((lb) => lb.name === 'shop-http')!;
    expect(await httpLb()).toMatchObject({
      type: 'gce',
      region: 'global',
      loadBalancerType: 'HTTP',
      urlMapName: 'shop-map',
      backendServiceNames: ['shop-backend'],
      serverGroups: [{ name: 'shop-web-v000', isDisabled: false }],
    });
    expect(((await httpLb()).serverGroups[0]!.instances as { health: { state: string } }[]).map((i) => i.health.state)).toEqual([
      'InService',
      'InService',
      'InService',
    ]);

    const disable = await gce.host.runOperation('disableServerGroup', { credentials: 'prod', region: 'us-central1', serverGroupName: 'shop-web-v000' });
    expect(disable.history.map((l) => l.status)).toContain('Removing shop-web-v000 from backend service shop-backend');
    expect(backends()).toEqual([]);
    expect((await read('shop-web-v000'))!.disabled).toBe(true);
    expect(await httpLb()).toMatchObject({ serverGroups: [{ name: 'shop-web-v000', isDisabled: true }] });
    expect(((await httpLb()).serverGroups[0]!.instances as { health: { state: string } }[]).every((i) => i.health.state === 'OutOfService')).toBe(true);

    const clone = await gce.host.runOperation('cloneServerGroup', {
      credentials: 'prod',
      source: { account: 'prod', region: 'us-central1', serverGroupName: 'shop-web-v000' },
      capacity: { min: 1, max: 1, desired: 1 },
      instanceType: 'e2-medium',
    });
    expect(clone.errors).toEqual([]);
    expect(clone.result).toMatchObject({ deployedNamesByLocation: { 'us-central1': ['shop-web-v001'] } });
    expect(await read('shop-web-v001')).toMatchObject({
      regional: true,
      zones: ['us-central1-a', 'us-central1-b'],
      instanceType: 'e2-medium',
      capacity: { desired: 1 },
      labels: { team: 'checkout' },
      backendServices: ['shop-backend'],
    });
  });

  it('fails the task with the cloud message when a long-running operation fails, cleaning up the template', async () => {
    gce.server.cloud.failNextOperation(
      { operationType: 'insert', collection: 'instanceGroupManagers' },
      {
        code: 'ZONE_RESOURCE_POOL_EXHAUSTED',
        message: "The zone 'projects/my-project/zones/us-central1-a' does not have enough resources available to fulfill the request.",
      },
    );
    await expect(deploy()).rejects.toThrow(
      "The zone 'projects/my-project/zones/us-central1-a' does not have enough resources available to fulfill the request.",
    );
    expect(gce.server.cloud.list(PROJECT, 'global', 'instanceTemplates')).toEqual([]);
    expect(await gce.host.cache.getIdentifiers('serverGroups')).toEqual([]);

    await deploy();
    gce.server.cloud.failNextOperation(
      { operationType: 'resize' },
      { code: 'QUOTA_EXCEEDED', message: "Quota 'CPUS' exceeded. Limit: 24.0 in region us-central1.", httpStatus: 403 },
    );
    await expect(
      gce.host.runOperation('resizeServerGroup', { credentials: 'prod', region: 'us-central1', serverGroupName: 'shop-web-v000', targetSize: 50 }),
    ).rejects.toThrow("Quota 'CPUS' exceeded");
    expect((await read('shop-web-v000'))!.capacity.desired).toBe(2);
    await expect(
      gce.host.runOperation('resizeServerGroup', { credentials: 'prod', region: 'us-central1', serverGroupName: 'shop-web-v404', targetSize: 1 }),
    ).rejects.toThrow('Server group shop-web-v404 not found in prod/us-central1');
  });

  it('terminates instances: recreated in place through the group, deleted and replaced by it, or deleted with the group shrunk', async () => {
    await deploy();
    const names = (await read('shop-web-v000'))!.instances.map((i) => i.name).sort();
    const idOf = (name: string) => gce.server.cloud.get(PROJECT, 'zones/us-central1-a', 'instances', name)!.id;
    const before = idOf(names[0]!);
    const recreate = await gce.host.runOperation('terminateInstances', {
      credentials: 'prod',
      region: 'us-central1',
      serverGroupName: 'shop-web-v000',
      instanceIds: [names[0]],
    });
    expect(recreate.errors).toEqual([]);
    expect(idOf(names[0]!)).not.toBe(before);

    const terminate = await gce.host.runOperation('terminateInstances', { credentials: 'prod', zone: 'us-central1-a', instanceIds: [names[1]] });
    expect(terminate.history.some((l) => l.phase === 'TERMINATE_INSTANCES' && l.status === `Deleting instance ${names[1]} in us-central1-a`)).toBe(true);
    expect(await gce.host.readModels.instances!.getInstance('prod', 'us-central1', names[1]!)).toBeUndefined();
    // The group replaced the deleted instance: still two.
    expect((await read('shop-web-v000'))!.instanceCounts.total).toBe(2);

    const [first] = (await read('shop-web-v000'))!.instances.map((i) => i.name);
    const decrement = await gce.host.runOperation('terminateInstanceAndDecrementServerGroup', {
      credentials: 'prod',
      region: 'us-central1',
      serverGroupName: 'shop-web-v000',
      instanceIds: [first],
    });
    expect(decrement.history.map((l) => l.status)).toContain(`Deleting ${first} from shop-web-v000 and shrinking it to 1`);
    expect(await read('shop-web-v000')).toMatchObject({ capacity: { desired: 1 }, instanceCounts: { total: 1 } });
    expect(
      (
        await gce.host.runOperation('terminateInstanceAndDecrementServerGroup', { credentials: 'prod', region: 'us-central1', instanceIds: [first] })
      ).errors.map((e) => e.field),
    ).toEqual(['serverGroupName']);
  });

  it('creates, updates and deletes a firewall as a security group', async () => {
    const create = await gce.host.runOperation('upsertSecurityGroup', {
      credentials: 'prod',
      securityGroupName: 'shop-web-http',
      description: 'web',
      allowed: [{ ipProtocol: 'tcp', portRanges: ['80'] }],
      sourceRanges: ['10.0.0.0/8'],
      targetTags: ['web'],
    });
    expect(create.history.map((l) => l.status)).toContain('Creating firewall shop-web-http');
    expect(await gce.host.readModels.securityGroups!.get('prod', 'global', 'shop-web-http')).toMatchObject({
      targetTags: ['web'],
      inboundRules: [{ protocol: 'tcp', portRanges: [{ startPort: 80, endPort: 80 }] }],
    });

    const update = await gce.host.runOperation('upsertSecurityGroup', {
      credentials: 'prod',
      securityGroupName: 'shop-web-http',
      allowed: [{ ipProtocol: 'tcp', portRanges: ['443', '8000-8080'] }],
      sourceRanges: ['0.0.0.0/0'],
      targetTags: ['web'],
    });
    expect(update.history.map((l) => l.status)).toContain('Updating firewall shop-web-http');
    expect((await gce.host.readModels.securityGroups!.get('prod', 'global', 'shop-web-http'))!.inboundRules).toEqual([
      {
        protocol: 'tcp',
        portRanges: [
          { startPort: 443, endPort: 443 },
          { startPort: 8000, endPort: 8080 },
        ],
        range: { ip: '0.0.0.0', cidr: '/0' },
      },
    ]);

    await gce.host.runOperation('deleteSecurityGroup', { credentials: 'prod', securityGroupName: 'shop-web-http' });
    expect(await gce.host.readModels.securityGroups!.get('prod', 'global', 'shop-web-http')).toBeUndefined();
    const again = await gce.host.runOperation('deleteSecurityGroup', { credentials: 'prod', securityGroupName: 'shop-web-http' });
    expect(again.history.map((l) => l.status)).toContain('Firewall shop-web-http does not exist; nothing to delete');
  });
  it('attaches an autoscaler on deploy, moves its bounds on resize, turns it off and on with disable/enable, copies it on clone and deletes it on destroy', async () => {
    const deployed = await deploy({
      loadBalancers: [],
      autoscalingPolicy: { minNumReplicas: 1, maxNumReplicas: 4, coolDownPeriodSec: 90, cpuUtilization: { utilizationTarget: 0.6 } },
    });
    expect(deployed.history.map((l) => l.status)).toContain('Creating autoscaler shop-web-v000 (1–4 instances)');
    const autoscaler = () => gce.server.cloud.get(PROJECT, 'zones/us-central1-a', 'autoscalers', 'shop-web-v000')!;
    expect(autoscaler().target).toBe(gce.server.cloud.link(PROJECT, 'zones/us-central1-a', 'instanceGroupManagers', 'shop-web-v000'));
    expect(await read('shop-web-v000')).toMatchObject({
      capacity: { min: 1, max: 4, desired: 2 },
      autoscalingPolicy: { minNumReplicas: 1, maxNumReplicas: 4, mode: 'ON', cpuUtilization: { utilizationTarget: 0.6 } },
    });

    const target = { credentials: 'prod', region: 'us-central1', serverGroupName: 'shop-web-v000' };
    const resize = await gce.host.runOperation('resizeServerGroup', { ...target, capacity: { min: 0, max: 6, desired: 5 } });
    expect(resize.history.map((l) => l.status)).toContain('Setting autoscaler shop-web-v000 to 0–6 instances');
    expect(autoscaler().autoscalingPolicy).toMatchObject({ minNumReplicas: 0, maxNumReplicas: 6, coolDownPeriodSec: 90 });
    expect(await read('shop-web-v000')).toMatchObject({ capacity: { min: 0, max: 6, desired: 5 }, instanceCounts: { total: 5 } });

    await gce.host.runOperation('disableServerGroup', target);
    expect(autoscaler().autoscalingPolicy.mode).toBe('OFF');
    expect((await read('shop-web-v000'))!.autoscalingPolicy).toMatchObject({ mode: 'OFF' });
    await gce.host.runOperation('enableServerGroup', target);
    expect(autoscaler().autoscalingPolicy.mode).toBe('ON');

    const clone = await gce.host.runOperation('cloneServerGroup', {
      credentials: 'prod',
      source: { account: 'prod', region: 'us-central1', serverGroupName: 'shop-web-v000' },
      targetSize: 1,
    });
    expect(clone.errors).toEqual([]);
    expect(await read('shop-web-v001')).toMatchObject({
      capacity: { min: 0, max: 6, desired: 1 },
      autoscalingPolicy: { maxNumReplicas: 6, coolDownPeriodSec: 90 },
    });

    const destroy = await gce.host.runOperation('destroyServerGroup', target);
    expect(destroy.history.map((l) => l.status)).toContain('Deleting autoscaler shop-web-v000');
    expect(gce.server.cloud.get(PROJECT, 'zones/us-central1-a', 'autoscalers', 'shop-web-v000')).toBeUndefined();
    expect(await read('shop-web-v000')).toBeUndefined();

    const bad = await deploy({ autoscalingPolicy: { minNumReplicas: 5, maxNumReplicas: 2, mode: 'SOMETIMES' } });
    expect(bad.errors.map((e) => e.field)).toEqual(['autoscalingPolicy', 'autoscalingPolicy.mode']);
  });
  it('creates, changes and deletes a network load balancer that groups deploy behind', async () => {
    const lb = {
      credentials: 'prod',
      region: 'us-central1',
      loadBalancerName: 'api-lb',
      loadBalancerType: 'NETWORK',
      ipProtocol: 'TCP',
      portRange: '8080',
      sessionAffinity: 'CLIENT_IP',
    };
    const create = await gce.host.runOperation('upsertLoadBalancer', lb);
    expect(create.errors).toEqual([]);
    expect(create.history.map((l) => l.status)).toEqual(
      expect.arrayContaining(['Creating target pool api-lb-tp', 'Creating forwarding rule api-lb (TCP 8080-8080) to api-lb-tp']),
    );
    expect(gce.server.cloud.get(PROJECT, US, 'targetPools', 'api-lb-tp')).toMatchObject({ sessionAffinity: 'CLIENT_IP' });
    expect((await gce.host.readModels.loadBalancers!.getDetails('prod', 'us-central1', 'api-lb'))[0]).toMatchObject({
      targetPoolName: 'api-lb-tp',
      portRange: '8080-8080',
      sessionAffinity: 'CLIENT_IP',
    });

    const same = await gce.host.runOperation('upsertLoadBalancer', lb);
    expect(same.history.some((l) => l.status.startsWith('Creating'))).toBe(false);
    const changed = await gce.host.runOperation('upsertLoadBalancer', { ...lb, portRange: '9000-9100' });
    expect(changed.history.map((l) => l.status)).toContain('Recreating forwarding rule api-lb (protocol, ports or target changed)');
    expect(gce.server.cloud.get(PROJECT, US, 'forwardingRules', 'api-lb')!.portRange).toBe('9000-9100');

    await deploy({ application: 'api', stack: undefined, loadBalancers: ['api-lb'] });
    const [view] = await gce.host.readModels.loadBalancers!.getApplicationLoadBalancers('api');
    expect(view).toMatchObject({ name: 'api-lb', serverGroups: [{ name: 'api-v000', isDisabled: false }] });

    const del = await gce.host.runOperation('deleteLoadBalancer', { credentials: 'prod', region: 'us-central1', loadBalancerName: 'api-lb' });
    expect(del.history.map((l) => l.status)).toEqual(expect.arrayContaining(['Deleting forwarding rule api-lb', 'Deleting target pool api-lb-tp']));
    expect(await gce.host.readModels.loadBalancers!.getDetails('prod', 'us-central1', 'api-lb')).toEqual([]);
    expect(gce.server.cloud.get(PROJECT, US, 'targetPools', 'api-lb-tp')).toBeUndefined();

    const bad = await gce.host.runOperation('upsertLoadBalancer', {
      credentials: 'prod',
      region: 'us-central1',
      loadBalancerName: 'API',
      loadBalancerType: 'HTTP',
      ipProtocol: 'ICMP',
      portRange: '90-80',
      sessionAffinity: 'STICKY',
      healthCheck: { port: 80 },
    });
    expect(bad.errors.map((e) => e.field)).toEqual(['loadBalancerName', 'loadBalancerType', 'ipProtocol', 'portRange', 'sessionAffinity', 'healthCheck']);
  });
});
