import type { Cache, InstanceReadModel, InstanceView } from '@stratus/plugin-api';
import { Keys, parseKey, Types } from '../keys.js';
import { instanceView } from './views.js';

/** `/instances/{account}/{region}/{name}` for Azure scale set VMs, with the server group they belong to. */
export class AzureInstanceReadModel implements InstanceReadModel {
  constructor(private readonly cache: Cache) {}

  async getInstance(account: string, region: string, id: string): Promise<InstanceView | undefined> {
    const item = await this.cache.get(Types.instances, Keys.instance(account, region, id));
    if (!item || item.attributes.name === undefined) return undefined;
    const sgKey = (item.relationships[Types.serverGroups] ?? [])[0];
    const parsed = sgKey ? parseKey(sgKey) : undefined;
    const view = instanceView(item);
    return parsed ? { ...view, serverGroup: parsed.serverGroup, cluster: parsed.cluster, application: parsed.application } : view;
  }
}
