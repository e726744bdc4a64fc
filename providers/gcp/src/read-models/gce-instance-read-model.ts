import type { Cache, InstanceReadModel, InstanceView } from '@stratus/plugin-api';
import { Keys, parseKey, Types } from '../keys.js';
import { instanceView } from './views.js';

/** `/instances/{account}/{region}/{name}` for GCE, with the server group it belongs to. */
export class GceInstanceReadModel implements InstanceReadModel {
  constructor(private readonly cache: Cache) {}

  async getInstance(account: string, region: string, id: string): Promise<InstanceView | undefined> {
    const item = await this.cache.get(Types.instances, Keys.instance(account, region, id));
    if (!item || item.attributes.name === undefined) return undefined;
    const lbIds = await this.cache.filterIdentifiers(Types.loadBalancers, `gce:loadBalancers:${account}:${region}:*`);
    const lbs = (await this.cache.getAllByIds(Types.loadBalancers, lbIds, { relationshipPrefixes: [] })).filter((lb) =>
      ((lb.attributes.instanceNames as string[]) ?? []).includes(id),
    );
    const view = instanceView(item, lbs);
    const sgKey = (item.relationships[Types.serverGroups] ?? [])[0];
    const parsed = sgKey ? parseKey(sgKey) : undefined;
    return parsed ? { ...view, serverGroup: parsed.serverGroup, cluster: parsed.cluster, application: parsed.application } : view;
  }
}
