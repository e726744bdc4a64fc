import { describe, expect, it } from 'vitest';
import { createSyntheticCloud } from './synthetic-cloud.js';

const options = {
  account: 'prod',
  regions: ['us-east-1', 'us-west-2'],
  seed: 7,
  applications: 4,
  serverGroupsPerApplication: 3,
  instancesPerServerGroup: 2,
  now: () => 1_700_000_000_000,
};

const snapshot = (cloud: ReturnType<typeof createSyntheticCloud>) =>
  cloud.regions.map((region) => ({
    serverGroups: cloud.listServerGroups(region),
    instances: cloud.listInstances(region),
    loadBalancers: cloud.listLoadBalancers(region),
    securityGroups: cloud.listSecurityGroups(region),
  }));

describe('SyntheticCloud', () => {
  it('generates N applications × M server groups × K instances, plus load balancers and security groups', () => {
    const cloud = createSyntheticCloud(options);
    const groups = cloud.regions.flatMap((region) => cloud.listServerGroups(region));
    expect(groups).toHaveLength(4 * 3);
    expect(cloud.regions.flatMap((region) => cloud.listInstances(region))).toHaveLength(4 * 3 * 2);
    expect(cloud.applications()).toHaveLength(4);
    for (const region of cloud.regions) {
      expect(cloud.listLoadBalancers(region)).toHaveLength(4);
      expect(cloud.listSecurityGroups(region)).toHaveLength(4);
    }
    for (const group of groups) {
      expect(group.name).toMatch(/^[a-z0-9]+(-[a-z0-9]*)*-v\d{3}$/);
      expect(group.instanceIds).toHaveLength(2);
      for (const id of group.instanceIds) expect(cloud.getInstance(group.region, id)?.serverGroup).toBe(group.name);
    }
  });

  it('is deterministic for a seed and differs across seeds', () => {
    expect(snapshot(createSyntheticCloud(options))).toEqual(snapshot(createSyntheticCloud(options)));
    const other = snapshot(createSyntheticCloud({ ...options, seed: 8 }));
    expect(other).not.toEqual(snapshot(createSyntheticCloud(options)));
  });

  it('creates the next sequence of a cluster and resizes, disables and deletes', () => {
    const cloud = createSyntheticCloud({ ...options, applications: 0 });
    const first = cloud.createServerGroup({ region: 'us-east-1', application: 'shop', stack: 'prod', capacity: { min: 1, max: 3, desired: 2 } });
    const second = cloud.createServerGroup({ region: 'us-east-1', application: 'shop', stack: 'prod', capacity: { min: 1, max: 3, desired: 1 } });
    expect([first.name, second.name]).toEqual(['shop-prod-v000', 'shop-prod-v001']);
    expect(cloud.createServerGroup({ region: 'us-west-2', application: 'shop', stack: 'prod', capacity: { min: 0, max: 0, desired: 0 } }).name).toBe(
      'shop-prod-v000',
    );

    expect(cloud.resizeServerGroup('us-east-1', first.name, { min: 0, max: 5, desired: 4 }).instanceIds).toHaveLength(4);
    const disabled = cloud.setDisabled('us-east-1', first.name, true);
    expect(disabled.instanceIds.map((id) => cloud.getInstance('us-east-1', id)!.health)).toEqual([
      'OutOfService',
      'OutOfService',
      'OutOfService',
      'OutOfService',
    ]);

    const [victim] = disabled.instanceIds;
    const { terminated, launched } = cloud.terminateInstances('us-east-1', [victim!]);
    expect(terminated).toEqual([victim]);
    expect(launched).toHaveLength(1);
    expect(cloud.getInstance('us-east-1', victim!)).toBeUndefined();
    expect(cloud.getServerGroup('us-east-1', first.name)!.instanceIds).toHaveLength(4);

    expect(cloud.deleteServerGroup('us-east-1', first.name)).toBe(true);
    expect(cloud.getServerGroup('us-east-1', first.name)).toBeUndefined();
    expect(cloud.listInstances('us-east-1').map((i) => i.serverGroup)).toEqual([second.name]);
    expect(() => cloud.resizeServerGroup('eu-west-1', 'x', { min: 0, max: 0, desired: 0 })).toThrow(/Region eu-west-1/);
  });

  it('returns copies, so callers cannot change the cloud', () => {
    const cloud = createSyntheticCloud(options);
    const [group] = cloud.listServerGroups('us-east-1');
    group!.capacity.desired = 99;
    expect(cloud.getServerGroup('us-east-1', group!.name)!.capacity.desired).not.toBe(99);
  });
});
