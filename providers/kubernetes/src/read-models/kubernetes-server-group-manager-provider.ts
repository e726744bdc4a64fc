import type { CacheData, Moniker, ProviderCache } from '@stratus/plugin-api';
import type { Manifest } from '../kubernetes-client.js';
import { parseInfrastructureKey } from '../kubernetes-keys.js';
import { BUILT_IN_KINDS } from '../kubernetes-kind.js';
import type { KubernetesClusterReadModel } from './kubernetes-cluster-read-model.js';
import { displayName, SERVER_GROUP_MANAGER_TYPES, SERVER_GROUP_TYPES } from './kubernetes-views.js';

/** Deck's `IServerGroupSummary` as Clouddriver's `KubernetesServerGroupSummary` fills it. */
export interface ServerGroupSummaryView {
  readonly name: string;
  readonly account: string;
  readonly namespace: string;
  readonly region: string;
  readonly moniker: Moniker;
}

/** Deck's `IKubernetesServerGroupManager` (Clouddriver's `KubernetesServerGroupManager`). */
export interface ServerGroupManagerView {
  readonly account: string;
  readonly cloudProvider: 'kubernetes';
  readonly name: string;
  readonly displayName: string;
  readonly namespace: string;
  readonly region: string;
  readonly kind: string;
  readonly apiVersion: string;
  readonly labels: Record<string, string>;
  readonly moniker: Moniker;
  readonly createdTime?: number | undefined;
  readonly serverGroups: ServerGroupSummaryView[];
}

const createdTime = (manifest: Manifest | undefined) => {
  const value = Date.parse(manifest?.metadata?.creationTimestamp ?? '');
  return Number.isNaN(value) ? undefined : value;
};

const apiVersionOf = (cacheType: string) => BUILT_IN_KINDS.find((k) => k.cacheType === cacheType)?.apiVersion ?? '';

/**
 * `GET /applications/{app}/serverGroupManagers`: the application's Deployments (from its cached
 * clusters) with the ReplicaSets they own, as Deck's server group transformer and rollout actions
 * read them. Only accounts `canRead` allows are included.
 */
export class KubernetesServerGroupManagerProvider {
  constructor(
    private readonly cache: ProviderCache,
    private readonly clusters: KubernetesClusterReadModel,
  ) {}

  async forApplication(application: string, canRead: (account: string) => boolean): Promise<ServerGroupManagerView[]> {
    const clusterItems = (await this.clusters.clusterItems(application)).filter((item) => canRead(String(item.attributes.account)));
    const managers: ServerGroupManagerView[] = [];
    for (const type of SERVER_GROUP_MANAGER_TYPES) {
      const keys = [...new Set(clusterItems.flatMap((item) => item.relationships[type] ?? []))];
      for (const item of await this.cache.getAllByIds(type, keys)) managers.push(await this.view(type, item));
    }
    return managers.sort((a, b) => a.account.localeCompare(b.account) || a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name));
  }

  private async view(type: string, item: CacheData): Promise<ServerGroupManagerView> {
    const manifest = item.attributes.manifest as Manifest | undefined;
    const serverGroups: ServerGroupSummaryView[] = [];
    for (const sgType of SERVER_GROUP_TYPES) {
      for (const sg of await this.cache.getAllByIds(sgType, item.relationships[sgType] ?? [])) {
        const key = parseInfrastructureKey(sg.id)!;
        serverGroups.push({
          name: displayName(sgType, key.name),
          account: key.account,
          namespace: key.namespace,
          region: key.namespace,
          moniker: (sg.attributes.moniker as Moniker) ?? { app: '' },
        });
      }
    }
    const key = parseInfrastructureKey(item.id)!;
    return {
      account: key.account,
      cloudProvider: 'kubernetes',
      name: displayName(type, key.name),
      displayName: key.name,
      namespace: key.namespace,
      region: key.namespace,
      kind: type,
      apiVersion: String(item.attributes.apiVersion ?? apiVersionOf(type)),
      labels: manifest?.metadata?.labels ?? {},
      moniker: (item.attributes.moniker as Moniker) ?? { app: '' },
      createdTime: createdTime(manifest),
      serverGroups: serverGroups.sort((a, b) => a.name.localeCompare(b.name)),
    };
  }
}
