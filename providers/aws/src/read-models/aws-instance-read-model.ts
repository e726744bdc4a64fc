import type { Cache, InstanceReadModel, InstanceView } from '@stratus/plugin-api';
import { Keys, parseKey, Types } from '../keys.js';
import { instanceView } from './views.js';

/** `/instances/{account}/{region}/{id}` for AWS, with the server group it belongs to. */
export class AwsInstanceReadModel implements InstanceReadModel {
  constructor(private readonly cache: Cache) {}

  async getInstance(account: string, region: string, id: string): Promise<InstanceView | undefined> {
    const item = await this.cache.get(Types.instances, Keys.instance(account, region, id));
    if (!item) return undefined;
    const sgKey = (item.relationships[Types.serverGroups] ?? [])[0];
    const sg = sgKey ? await this.cache.get(Types.serverGroups, sgKey, { relationshipPrefixes: [Types.targetGroups, Types.loadBalancers] }) : undefined;
    const targetGroups = sg ? await this.cache.getAllByIds(Types.targetGroups, sg.relationships[Types.targetGroups] ?? [], { relationshipPrefixes: [] }) : [];
    const loadBalancers = sg
      ? await this.cache.getAllByIds(Types.loadBalancers, sg.relationships[Types.loadBalancers] ?? [], { relationshipPrefixes: [] })
      : [];
    const discovery = await this.cache.get(Types.health, Keys.health(id, account, region, 'Discovery'), { relationshipPrefixes: [] });
    const view = instanceView(
      item,
      targetGroups,
      loadBalancers.filter((lb) => lb.attributes.loadBalancerType === 'classic'),
      discovery,
    );
    const parsed = sgKey ? parseKey(sgKey) : undefined;
    return parsed ? { ...view, serverGroup: parsed.serverGroup, cluster: parsed.cluster, application: parsed.application } : view;
  }
}
