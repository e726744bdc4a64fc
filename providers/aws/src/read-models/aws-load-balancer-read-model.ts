import type { Cache, CacheData, LoadBalancerReadModel, LoadBalancerView } from '@stratus/plugin-api';
import { monikerOf, parseServerGroupName } from '@stratus/plugin-api';
import { loadBalancerServerGroupEntry, loadBalancerView, relatedItems } from '@stratus/provider-kit';
import { AWS, Types } from '../keys.js';

/** ELBv2 and classic load balancers in Clouddriver's AWS `LoadBalancer` shape, with the server groups behind them. */
export class AwsLoadBalancerReadModel implements LoadBalancerReadModel {
  constructor(private readonly cache: Cache) {}

  async getApplicationLoadBalancers(application: string): Promise<LoadBalancerView[]> {
    const all = await this.views(await this.cache.getAll(Types.loadBalancers));
    const app = application.toLowerCase();
    return all.filter(
      (lb) =>
        parseServerGroupName(lb.name).app.toLowerCase() === app ||
        lb.serverGroups.some((sg) => parseServerGroupName(sg.name as string).app.toLowerCase() === app),
    );
  }

  list(): Promise<LoadBalancerView[]> {
    return this.cache.getAll(Types.loadBalancers).then((items) => this.views(items));
  }

  async getDetails(account: string, region: string, name: string): Promise<Record<string, unknown>[]> {
    const ids = await this.cache.filterIdentifiers(Types.loadBalancers, `aws:loadBalancers:${account}:${region}:${name}*`);
    const items = await this.cache.getAllByIds(Types.loadBalancers, ids, { relationshipPrefixes: [] });
    return items.filter((i) => i.attributes.loadBalancerName === name).map((i) => ({ ...i.attributes }));
  }

  /** The load balancers the given server groups sit behind (through their target groups). */
  async forServerGroups(serverGroupKeys: readonly string[]): Promise<LoadBalancerView[]> {
    const wanted = new Set(serverGroupKeys);
    const tgs = await this.cache.getAll(Types.targetGroups);
    const lbKeys = new Set(
      tgs.filter((tg) => (tg.relationships[Types.serverGroups] ?? []).some((k) => wanted.has(k))).flatMap((tg) => tg.relationships[Types.loadBalancers] ?? []),
    );
    const servers = await this.cache.getAllByIds(Types.serverGroups, [...wanted]);
    for (const sg of servers) for (const key of sg.relationships[Types.loadBalancers] ?? []) lbKeys.add(key);
    return this.views(await this.cache.getAllByIds(Types.loadBalancers, [...lbKeys]));
  }

  private async views(all: readonly CacheData[]): Promise<LoadBalancerView[]> {
    // Relationship-only entries (a load balancer an ASG names that no agent has described) are not load balancers.
    const items = all.filter((lb) => typeof lb.attributes.loadBalancerName === 'string');
    const tgKeys = [...new Set(items.flatMap((lb) => lb.relationships[Types.targetGroups] ?? []))];
    const tgs = new Map((await this.cache.getAllByIds(Types.targetGroups, tgKeys)).map((tg) => [tg.id, tg]));
    const sgKeys = [
      ...new Set([
        ...[...tgs.values()].flatMap((tg) => tg.relationships[Types.serverGroups] ?? []),
        ...items.flatMap((lb) => lb.relationships[Types.serverGroups] ?? []),
      ]),
    ];
    const sgs = new Map((await this.cache.getAllByIds(Types.serverGroups, sgKeys, { relationshipPrefixes: [] })).map((sg) => [sg.id, sg]));
    return items.map((lb) => {
      const a = lb.attributes;
      const targetGroups = relatedItems(lb, Types.targetGroups, tgs);
      const serverGroups = new Map<string, Record<string, unknown>>();
      const tgViews = targetGroups.map((tg) => {
        const t = tg.attributes;
        const tgServerGroups = relatedItems(tg, Types.serverGroups, sgs).map((sg) => this.serverGroupEntry(sg, tg));
        for (const sg of tgServerGroups) serverGroups.set(`${sg.account}/${sg.region}/${sg.name}`, sg);
        return {
          ...t,
          name: t.targetGroupName,
          type: AWS,
          cloudProvider: AWS,
          account: t.account,
          region: t.region,
          serverGroups: tgServerGroups,
          moniker: monikerOf(t.targetGroupName as string),
        };
      });
      // Classic load balancers: the server groups whose ASGs name them.
      for (const key of lb.relationships[Types.serverGroups] ?? []) {
        const sg = sgs.get(key);
        if (sg) serverGroups.set(`${sg.attributes.account}/${sg.attributes.region}/${sg.attributes.name}`, this.classicServerGroupEntry(sg, lb));
      }
      return loadBalancerView({
        cloudProvider: AWS,
        attributes: a,
        name: a.loadBalancerName as string,
        own: { loadBalancerType: a.loadBalancerType, vpcId: a.vpcId, targetGroups: tgViews },
        serverGroups: [...serverGroups.values()],
      });
    });
  }

  /** A server group behind `lb` (classic): its instances with their ELB instance states. */
  private classicServerGroupEntry(sg: CacheData, lb: CacheData): Record<string, unknown> {
    return this.entryWithHealth(sg, lb.attributes.instanceStates, (s) => ({
      type: 'LoadBalancer',
      state: s.state,
      reasonCode: s.reasonCode,
      description: s.description,
    }));
  }

  /** A server group in target group `tg`: its instances with their target health. */
  private serverGroupEntry(sg: CacheData, tg: CacheData): Record<string, unknown> {
    return this.entryWithHealth(sg, tg.attributes.targetHealths, (h) => ({
      type: 'TargetGroup',
      state: h.state === 'healthy' ? 'InService' : 'OutOfService',
      reasonCode: h.reasonCode,
    }));
  }

  /** The group's entry with the health records (`{instanceId, …}`) of its own instances, each as `health` renders it. */
  private entryWithHealth(sg: CacheData, records: unknown, health: (record: Record<string, unknown>) => Record<string, unknown>): Record<string, unknown> {
    const ids = new Set((sg.attributes.instanceIds as string[]) ?? []);
    const own = ((records as Record<string, unknown>[] | undefined) ?? []).filter((r) => ids.has(r.instanceId as string));
    return loadBalancerServerGroupEntry(
      AWS,
      sg,
      own.map((r) => ({ id: r.instanceId, health: health(r) })),
    );
  }
}
