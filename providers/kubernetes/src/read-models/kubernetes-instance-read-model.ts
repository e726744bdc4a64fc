import type { InstanceReadModel, InstanceView, ProviderCache } from '@stratus/plugin-api';
import { infrastructureKey } from '../kubernetes-keys.js';
import { instanceView, splitDisplayName } from './kubernetes-views.js';

/** Pods as instances: `GET /instances/{account}/{namespace}/{pod name | "pod <name>"}`. */
export class KubernetesInstanceReadModel implements InstanceReadModel {
  constructor(private readonly cache: ProviderCache) {}

  async getInstance(account: string, region: string, id: string): Promise<InstanceView | undefined> {
    const { type, name } = splitDisplayName(id, 'pod');
    if (type !== 'pod') return undefined;
    const item = await this.cache.get('pod', infrastructureKey('pod', account, region, name));
    return item && instanceView(item);
  }
}
