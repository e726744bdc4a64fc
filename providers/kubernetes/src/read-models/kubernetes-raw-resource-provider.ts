import type { Moniker, ProviderCache } from '@stratus/plugin-api';
import type { Manifest } from '../kubernetes-client.js';
import { parseInfrastructureKey } from '../kubernetes-keys.js';
import type { KubernetesRuntime } from '../accounts/kubernetes-runtime.js';
import { rawResourceKindShown } from '../accounts/raw-resources-config.js';
import { displayName } from './kubernetes-views.js';

/** Deck's `IApiKubernetesResource` (Clouddriver's `KubernetesRawResource`). */
export interface RawResourceView {
  readonly account: string;
  readonly name: string;
  readonly displayName: string;
  readonly namespace: string;
  readonly region: string;
  readonly apiVersion: string;
  readonly kind: string;
  readonly labels: Record<string, string>;
  readonly moniker: Moniker;
  readonly createdTime?: number;
}

/**
 * `GET /applications/{app}/rawResources`: every cached object of the application (any kind), as
 * Deck's Kubernetes "resources" tab lists them, filtered by each account's
 * `rawResourcesEndpointConfig`. Reads each cached kind once (the cache has no application index
 * over all kinds); only accounts `canRead` allows are included.
 */
export class KubernetesRawResourceProvider {
  constructor(
    private readonly runtime: KubernetesRuntime,
    private readonly cache: ProviderCache,
  ) {}

  async forApplication(application: string, canRead: (account: string) => boolean): Promise<RawResourceView[]> {
    const types = new Set(this.runtime.accounts().flatMap((account) => account.cachedKinds.map((kind) => kind.cacheType)));
    const out: RawResourceView[] = [];
    for (const type of types) {
      for (const item of await this.cache.getAll(type, { relationshipPrefixes: [] })) {
        if (item.attributes.application !== application) continue;
        const key = parseInfrastructureKey(item.id);
        if (!key || !canRead(key.account) || !rawResourceKindShown(this.runtime.account(key.account)?.rawResources, type)) continue;
        const manifest = item.attributes.manifest as Manifest | undefined;
        const created = Date.parse(manifest?.metadata?.creationTimestamp ?? '');
        out.push({
          account: key.account,
          name: displayName(type, key.name),
          displayName: key.name,
          namespace: key.namespace,
          region: key.namespace,
          apiVersion: String(item.attributes.apiVersion ?? manifest?.apiVersion ?? ''),
          kind: type,
          labels: manifest?.metadata?.labels ?? {},
          moniker: (item.attributes.moniker as Moniker) ?? { app: application },
          ...(Number.isNaN(created) ? {} : { createdTime: created }),
        });
      }
    }
    return out.sort((a, b) => a.account.localeCompare(b.account) || a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name));
  }
}
