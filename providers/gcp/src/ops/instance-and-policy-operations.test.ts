import { describe, expect, it } from 'vitest';
import { PROJECT } from '../test-support/gce-fixture.js';
import { gceOpsHarness, putNetworkLoadBalancer, SHOP_DEPLOYMENT } from '../test-support/gce-ops-harness.js';

const gce = gceOpsHarness({
  clear: ['autoscalers', 'instanceGroupManagers', 'instances', 'instanceTemplates', 'forwardingRules', 'targetPools'],
  seed: (c) => putNetworkLoadBalancer(c, 'side-lb'),
});
const US = 'regions/us-central1';
const ZONE = 'zones/us-central1-a';

const deploy = (overrides: Record<string, unknown> = {}) =>
  gce.host.runOperation('createServerGroup', {
    credentials: 'prod',
    ...SHOP_DEPLOYMENT,
    loadBalancers: [],
    ...overrides,
  });
const read = (name: string) => gce.host.readModels.clusters!.getServerGroup('prod', 'us-central1', name);
const target = { credentials: 'prod', region: 'us-central1', serverGroupName: 'shop-web-v000' };

describe('GCE scaling policy, instance load balancer and reboot operations', () => {
  it('upserts an autoscaler (create, then merge) and deletes it, with reads showing the policy', async () => {
    expect((await deploy()).errors).toEqual([]);
    const created = await gce.host.runOperation('upsertScalingPolicy', {
      ...target,
      autoscalingPolicy: { minNumReplicas: 1, maxNumReplicas: 5, coolDownPeriodSec: 60, cpuUtilization: { utilizationTarget: 0.7 } },
    });
    expect(created.errors).toEqual([]);
    expect(created.history.map((l) => [l.phase, l.status])).toEqual(
      expect.arrayContaining([['UPSERT_SCALING_POLICY', 'Creating autoscaler for shop-web-v000']]),
    );
    const autoscaler = () => gce.server.cloud.get(PROJECT, ZONE, 'autoscalers', 'shop-web-v000');
    expect(autoscaler()!.target).toBe(gce.server.cloud.link(PROJECT, ZONE, 'instanceGroupManagers', 'shop-web-v000'));
    expect(await read('shop-web-v000')).toMatchObject({
      capacity: { min: 1, max: 5 },
      autoscalingPolicy: { maxNumReplicas: 5, cpuUtilization: { utilizationTarget: 0.7 } },
    });

    const updated = await gce.host.runOperation('upsertScalingPolicy', { ...target, autoscalingPolicy: { maxNumReplicas: 8 } });
    expect(updated.history.map((l) => l.status)).toContain('Updating autoscaler shop-web-v000 of shop-web-v000');
    expect(autoscaler()!.autoscalingPolicy).toMatchObject({ minNumReplicas: 1, maxNumReplicas: 8, coolDownPeriodSec: 60 });
    expect(await read('shop-web-v000')).toMatchObject({ capacity: { min: 1, max: 8 } });

    const deleted = await gce.host.runOperation('deleteScalingPolicy', target);
    expect(deleted.history.map((l) => l.status)).toContain('Deleting autoscaler shop-web-v000 of shop-web-v000');
    expect(autoscaler()).toBeUndefined();
    expect((await read('shop-web-v000'))!.autoscalingPolicy).toBeUndefined();
    const again = await gce.host.runOperation('deleteScalingPolicy', target);
    expect(again.history.map((l) => l.status)).toContain('shop-web-v000 has no autoscaler; nothing to delete');

    const healing = await gce.host.runOperation('upsertScalingPolicy', { ...target, autoHealingPolicy: { healthCheck: 'shop-hc', initialDelaySec: 120 } });
    expect(healing.history.map((l) => l.status)).toContain('Setting auto-healing of shop-web-v000 to health check shop-hc after 120s');
    expect(gce.server.cloud.get(PROJECT, ZONE, 'instanceGroupManagers', 'shop-web-v000')!.autoHealingPolicies).toEqual([
      { healthCheck: expect.stringMatching(/projects\/my-project\/global\/healthChecks\/shop-hc$/), initialDelaySec: 120 },
    ]);
    expect(
      (await gce.host.runOperation('upsertScalingPolicy', { ...target, autoHealingPolicy: { healthCheck: 'Bad HC', initialDelaySec: -5 } })).errors.map(
        (e) => e.field,
      ),
    ).toEqual(['autoHealingPolicy.healthCheck', 'autoHealingPolicy.initialDelaySec']);
    const bad = await gce.host.runOperation('upsertScalingPolicy', {
      credentials: 'prod',
      region: 'us-central1',
      serverGroupName: 'shop-web-v000',
      autoscalingPolicy: { minNumReplicas: -1, maxNumReplicas: 2 },
    });
    expect(bad.errors.map((e) => e.field)).toEqual(['autoscalingPolicy.minNumReplicas']);
    expect((await gce.host.runOperation('upsertScalingPolicy', { credentials: 'prod', region: 'us-central1' })).errors.map((e) => e.field)).toEqual([
      'serverGroupName',
      'autoscalingPolicy',
    ]);
  });

  it('registers instances with a network load balancer and deregisters them, with instance health following', async () => {
    await deploy();
    const names = (await read('shop-web-v000'))!.instances.map((i) => i.name).sort();
    const pool = () => (gce.server.cloud.get(PROJECT, US, 'targetPools', 'side-lb-pool')!.instances as string[]).map((l) => l.split('/').pop());
    const lbHealth = async (name: string) => {
      const view = (await gce.host.readModels.instances!.getInstance('prod', 'us-central1', name)) as any;
      return view.health.find((h: any) => h.type === 'LoadBalancer')?.loadBalancers.find((l: any) => l.loadBalancerName === 'side-lb')?.state;
    };
    const register = await gce.host.runOperation('registerInstancesWithLoadBalancer', {
      credentials: 'prod',
      region: 'us-central1',
      loadBalancerNames: ['side-lb'],
      instanceIds: names,
    });
    expect(register.errors).toEqual([]);
    expect(register.history.map((l) => l.status)).toContain(`Registering ${names.join(', ')} with load balancer side-lb (target pool side-lb-pool)`);
    expect(pool().sort()).toEqual(names);
    expect(await lbHealth(names[0]!)).toBe('InService');

    const deregister = await gce.host.runOperation('deregisterInstancesFromLoadBalancer', {
      credentials: 'prod',
      region: 'us-central1',
      loadBalancerNames: ['side-lb'],
      instanceIds: [names[0]],
    });
    expect(deregister.history.map((l) => l.phase)).toContain('DEREGISTER_INSTANCES_FROM_LOAD_BALANCER');
    expect(pool()).toEqual([names[1]]);
    // The instance read model lists only the load balancers whose target pool holds the instance.
    expect(await lbHealth(names[0]!)).toBeUndefined();
    expect(await lbHealth(names[1]!)).toBe('InService');

    await expect(
      gce.host.runOperation('registerInstancesWithLoadBalancer', {
        credentials: 'prod',
        region: 'us-central1',
        loadBalancerNames: ['nope-lb'],
        instanceIds: [names[0]],
      }),
    ).rejects.toThrow("Load balancer 'nope-lb' not found");
    const bad = await gce.host.runOperation('registerInstancesWithLoadBalancer', {
      credentials: 'prod',
      region: 'us-central1',
      loadBalancerNames: ['Bad LB'],
      instanceIds: [],
    });
    expect(bad.errors.map((e) => e.field)).toEqual(['loadBalancerNames[0]', 'instanceIds']);
  });

  it('reboots instances with instances.reset in their zone', async () => {
    await deploy();
    const [first] = (await read('shop-web-v000'))!.instances.map((i) => i.name);
    const reboot = await gce.host.runOperation('rebootInstances', { credentials: 'prod', region: 'us-central1', instanceIds: [first] });
    expect(reboot.errors).toEqual([]);
    expect(reboot.history.map((l) => l.status)).toContain(`Rebooting instance ${first} in us-central1-a`);
    expect(gce.server.cloud.get(PROJECT, ZONE, 'instances', first!)!.resetCount).toBe(1);
    expect(gce.server.requests.some((r) => r.method === 'POST' && r.path.includes(`/zones/us-central1-a/instances/${first}/reset`))).toBe(true);
    const bad = await gce.host.runOperation('rebootInstances', { credentials: 'prod', region: 'us-central1', zone: 'europe-west1-b', instanceIds: ['X'] });
    expect(bad.errors.map((e) => e.field)).toEqual(['zone', 'instanceIds[0]']);
  });

  it('merges image tags into the image labels, shown by the image lookup when the task completes', async () => {
    const image = 'debian-12-bookworm-v20240110';
    const first = await gce.host.runOperation('upsertImageTags', { credentials: 'prod', imageName: image, tags: { appversion: 'shop-1-0-0', team: 'web' } });
    expect(first.errors).toEqual([]);
    expect(first.history.map((l) => l.phase)).toContain('UPSERT_IMAGE_TAGS');
    await gce.host.runOperation('upsertImageTags', { credentials: 'prod', imageName: image, tags: { team: 'checkout' } });
    expect(gce.server.cloud.get(PROJECT, 'global', 'images', image)!.labels).toEqual({ appversion: 'shop-1-0-0', team: 'checkout' });
    const cached = await gce.host.cache.get('images', `gce:images:prod:${image}`);
    expect((cached!.attributes.image as { labels: unknown }).labels).toEqual({ appversion: 'shop-1-0-0', team: 'checkout' });
    await expect(gce.host.runOperation('upsertImageTags', { credentials: 'prod', imageName: 'no-such-image', tags: { a: 'b' } })).rejects.toThrow(
      'Image no-such-image not found',
    );
    const bad = await gce.host.runOperation('upsertImageTags', { credentials: 'prod', imageName: 'Bad Image', tags: { Team: 'x', ok: 'UPPER' } });
    expect(bad.errors.map((e) => e.field)).toEqual(['imageName', 'tags.Team', 'tags.ok']);
  });

  it("sets a group's network tags: a new template, the running instances retagged, the old template deleted", async () => {
    await deploy({ tags: ['web'] });
    const oldTemplate = gce.server.cloud.get(PROJECT, ZONE, 'instanceGroupManagers', 'shop-web-v000')!.instanceTemplate.split('/').pop();
    const run = await gce.host.runOperation('upsertServerGroupTags', { ...target, tags: ['web', 'public-http'] });
    expect(run.errors).toEqual([]);
    const igm = gce.server.cloud.get(PROJECT, ZONE, 'instanceGroupManagers', 'shop-web-v000')!;
    const newTemplate = igm.instanceTemplate.split('/').pop();
    expect(newTemplate).not.toBe(oldTemplate);
    expect(gce.server.cloud.get(PROJECT, 'global', 'instanceTemplates', newTemplate)!.properties.tags.items).toEqual(['web', 'public-http']);
    expect(gce.server.cloud.get(PROJECT, 'global', 'instanceTemplates', oldTemplate)).toBeUndefined();
    const view = (await read('shop-web-v000'))!;
    for (const instance of view.instances) expect(gce.server.cloud.get(PROJECT, ZONE, 'instances', instance.name)!.tags.items).toEqual(['web', 'public-http']);
    expect(run.history.filter((l) => l.status.startsWith('Setting tags of instance'))).toHaveLength(2);
    expect(view).toMatchObject({ instanceTemplateName: newTemplate, instanceTemplateTags: ['web', 'public-http'] });
    const bad = await gce.host.runOperation('upsertServerGroupTags', { ...target, tags: ['Not A Tag'] });
    expect(bad.errors.map((e) => e.field)).toEqual(['tags[0]']);
  });

  it("marks a disk of a group stateful, shown in the group's statefulPolicy", async () => {
    await deploy();
    const run = await gce.host.runOperation('setStatefulDisk', { ...target, deviceName: 'persistent-data' });
    expect(run.errors).toEqual([]);
    expect(run.history.map((l) => [l.phase, l.status])).toContainEqual(['SET_STATEFUL_DISK', 'Marking disk persistent-data of shop-web-v000 stateful']);
    await gce.host.runOperation('setStatefulDisk', { ...target, deviceName: 'logs' });
    const expected = { preservedState: { disks: { 'persistent-data': { autoDelete: 'NEVER' }, logs: { autoDelete: 'NEVER' } } } };
    expect(gce.server.cloud.get(PROJECT, ZONE, 'instanceGroupManagers', 'shop-web-v000')!.statefulPolicy).toMatchObject(expected);
    expect(await read('shop-web-v000')).toMatchObject({ statefulPolicy: expected });
    expect((await gce.host.runOperation('setStatefulDisk', { ...target, deviceName: 'Bad Disk' })).errors.map((e) => e.field)).toEqual(['deviceName']);
  });

  it('updates the launch config: a new template with the changed fields, load balancer metadata kept, running instances untouched', async () => {
    gce.server.cloud.put(PROJECT, 'global', 'images', { name: 'shop-image-v2', family: 'shop' });
    await deploy({ loadBalancers: ['side-lb'], instanceMetadata: { startup: 'v1' } });
    const before = (await read('shop-web-v000'))!.instances.map((i) => i.name).sort();
    const run = await gce.host.runOperation('updateLaunchConfig', {
      ...target,
      instanceType: 'e2-medium',
      image: 'shop-image-v2',
      labels: { release: 'two' },
      instanceMetadata: { startup: 'v2' },
    });
    expect(run.errors).toEqual([]);
    expect(run.history.map((l) => l.status)).toContainEqual(
      expect.stringMatching(/^Creating instance template shop-web-v000-\w+ with new instanceType, image, labels, instanceMetadata$/),
    );
    const igm = gce.server.cloud.get(PROJECT, ZONE, 'instanceGroupManagers', 'shop-web-v000')!;
    const template = gce.server.cloud.get(PROJECT, 'global', 'instanceTemplates', igm.instanceTemplate.split('/').pop())!.properties;
    expect(template.machineType).toBe('e2-medium');
    expect(template.disks[0].initializeParams.sourceImage).toMatch(/global\/images\/shop-image-v2$/);
    expect(template.labels).toEqual({ release: 'two' });
    expect(template.metadata.items).toEqual(
      expect.arrayContaining([
        { key: 'startup', value: 'v2' },
        { key: 'load-balancer-names', value: 'side-lb' },
      ]),
    );
    expect(gce.server.cloud.list(PROJECT, 'global', 'instanceTemplates')).toHaveLength(1);
    const view = (await read('shop-web-v000'))!;
    expect(view).toMatchObject({ instanceType: 'e2-medium', instanceTemplateLabels: { release: 'two' }, loadBalancers: ['side-lb'] });
    expect(view.instances.map((i) => i.name).sort()).toEqual(before);
    const bad = await gce.host.runOperation('updateLaunchConfig', { ...target, instanceType: 'E2 Medium', labels: { a: 1 }, tags: ['ok', 'Not OK'] });
    expect(bad.errors.map((e) => e.field)).toEqual(['instanceType', 'tags[1]', 'labels']);
  });

  it('statefully updates the boot image of a stateful group only', async () => {
    gce.server.cloud.put(PROJECT, 'global', 'images', { name: 'shop-image-v3' });
    await deploy();
    await expect(gce.host.runOperation('statefullyUpdateBootImage', { ...target, bootImage: 'shop-image-v3' })).rejects.toThrow(
      'Server group shop-web-v000 does not have a StatefulPolicy',
    );
    await gce.host.runOperation('setStatefulDisk', { ...target, deviceName: 'data' });
    const run = await gce.host.runOperation('statefullyUpdateBootImage', { ...target, bootImage: 'shop-image-v3' });
    expect(run.history.map((l) => l.phase)).toContain('STATEFULLY_UPDATE_BOOT_IMAGE');
    const igm = gce.server.cloud.get(PROJECT, ZONE, 'instanceGroupManagers', 'shop-web-v000')!;
    expect(igm.updatePolicy).toMatchObject({ type: 'OPPORTUNISTIC' });
    const template = gce.server.cloud.get(PROJECT, 'global', 'instanceTemplates', igm.instanceTemplate.split('/').pop())!;
    expect(template.properties.disks[0].initializeParams.sourceImage).toMatch(/shop-image-v3$/);
    expect((await read('shop-web-v000'))!).toMatchObject({
      image: { imageId: 'shop-image-v3' },
      statefulPolicy: { preservedState: { disks: { data: { autoDelete: 'NEVER' } } } },
    });
    expect((await gce.host.runOperation('statefullyUpdateBootImage', target)).errors.map((e) => e.field)).toEqual(['bootImage']);
  });
});
