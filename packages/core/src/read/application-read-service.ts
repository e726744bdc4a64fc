import type { ApplicationView } from '@stratus/plugin-api';
import { inject, injectable } from 'tsyringe';
import type { ReadModelRegistry } from '../providers/read-model-registry.js';
import type { CallerAccess } from '../security/caller-access.js';
import { READ_MODEL_REGISTRY } from '../tokens.js';
import { readableClusterNames, sortedByName, sortedRecord } from './read-support.js';

/** One cluster of `GET /applications/{name}`'s `clusters` map. */
export interface ApplicationClusterView {
  readonly name: string;
  readonly provider: string;
  readonly serverGroups: string[];
  readonly loadBalancers: string[];
}

/** `GET /applications/{name}` (Clouddriver's `ApplicationViewModel`). */
export interface ApplicationDetailView {
  readonly name: string;
  readonly attributes: Record<string, unknown>;
  /** account → clusters of the application there. */
  readonly clusters: Record<string, ApplicationClusterView[]>;
}

export interface ListApplicationsOptions {
  /** Include cluster names (Clouddriver's default); `false` returns empty `clusterNames`. */
  readonly expand: boolean;
  /**
   * Clouddriver's `restricted` filters by Fiat application READ. Stratus has account permissions
   * only, and an application that lives solely in accounts the caller cannot READ is left out either
   * way (its name alone would leak those accounts), so the flag is accepted for compatibility.
   */
  readonly restricted: boolean;
}

/**
 * Merges the applications every provider knows: the same name from several providers becomes one
 * application whose attributes are laid over each other, `cloudProviders` lists the providers, and
 * cluster names are unioned per account. Accounts the caller cannot READ never appear, nor do
 * applications whose every cluster lives in such accounts.
 */
@injectable()
export class ApplicationReadService {
  constructor(@inject(READ_MODEL_REGISTRY) private readonly registry: ReadModelRegistry) {}

  async list(access: CallerAccess, options: ListApplicationsOptions): Promise<ApplicationView[]> {
    // Visibility depends on the cluster names, so they are always loaded.
    const perProvider = await Promise.all(
      this.registry.all('applications').map(async ({ cloudProvider, model }) => (await model.getApplications(true)).map((app) => ({ cloudProvider, app }))),
    );
    const byName = new Map<string, MergedApplication>();
    for (const { cloudProvider, app } of perProvider.flat()) {
      const key = app.name.toLowerCase();
      let merged = byName.get(key);
      if (!merged) byName.set(key, (merged = new MergedApplication(app.name)));
      merged.add(cloudProvider, app);
    }
    const result: ApplicationView[] = [];
    for (const merged of byName.values()) {
      const clusterNames = readableClusterNames(merged.clusterNames, access);
      if (merged.hasClusters() && Object.keys(clusterNames).length === 0) continue;
      result.push({
        name: merged.name,
        attributes: merged.attributes(),
        clusterNames: options.expand ? clusterNames : {},
      });
    }
    return sortedByName(result);
  }

  /**
   * `GET /applications/{name}`, or undefined when no provider knows the application or every
   * cluster of it lives in accounts the caller cannot READ.
   */
  async get(access: CallerAccess, name: string): Promise<ApplicationDetailView | undefined> {
    const found = await Promise.all(
      this.registry.all('applications').map(async ({ cloudProvider, model }) => ({ cloudProvider, app: await model.getApplication(name) })),
    );
    const known = found.filter((entry): entry is { cloudProvider: string; app: ApplicationView } => entry.app !== undefined);
    if (known.length === 0) return undefined;
    const merged = new MergedApplication(known[0]!.app.name);
    for (const { cloudProvider, app } of known) merged.add(cloudProvider, app);

    const clusters: Record<string, ApplicationClusterView[]> = {};
    const clusterProviders = new Set<string>();
    const perProvider = await Promise.all(
      this.registry.all('clusters').map(async ({ cloudProvider, model }) => ({ cloudProvider, clusters: await model.getClusters(merged.name, false) })),
    );
    for (const { cloudProvider, clusters: views } of perProvider) {
      for (const cluster of views) {
        if (!access.canReadAccount(cluster.accountName)) continue;
        const provider = cluster.type || cloudProvider;
        clusterProviders.add(provider);
        (clusters[cluster.accountName] ??= []).push({
          name: cluster.name,
          provider,
          serverGroups: cluster.serverGroups.map((serverGroup) => serverGroup.name),
          loadBalancers: cluster.loadBalancers.map((loadBalancer) => loadBalancer.name),
        });
      }
    }
    // Cluster names an application model knows but no cluster model served still show up by name.
    for (const [account, names] of Object.entries(readableClusterNames(merged.clusterNames, access))) {
      for (const clusterName of names) {
        const list = (clusters[account] ??= []);
        if (!list.some((cluster) => cluster.name === clusterName)) {
          list.push({ name: clusterName, provider: merged.providerOfCluster(account, clusterName), serverGroups: [], loadBalancers: [] });
        }
      }
    }
    if (merged.hasClusters() && Object.keys(clusters).length === 0) return undefined;
    for (const list of Object.values(clusters)) list.sort((a, b) => a.name.localeCompare(b.name));

    const cloudProviders = clusterProviders.size > 0 ? [...clusterProviders] : merged.cloudProviders();
    return {
      name: merged.name,
      attributes: { ...merged.attributes(), cloudProviders: [...new Set(cloudProviders)].sort().join(',') },
      clusters: sortedRecord(clusters),
    };
  }
}

/** One application as several providers describe it. */
class MergedApplication {
  private readonly providers: string[] = [];
  private readonly layers: Record<string, unknown>[] = [];
  readonly clusterNames: Record<string, Set<string>> = {};
  private readonly clusterProvider = new Map<string, string>();

  constructor(readonly name: string) {}

  add(cloudProvider: string, app: ApplicationView): void {
    if (!this.providers.includes(cloudProvider)) this.providers.push(cloudProvider);
    this.layers.push(app.attributes ?? {});
    for (const [account, names] of Object.entries(app.clusterNames ?? {})) {
      const set = (this.clusterNames[account] ??= new Set());
      for (const name of names) {
        set.add(name);
        if (!this.clusterProvider.has(`${account}/${name}`)) this.clusterProvider.set(`${account}/${name}`, cloudProvider);
      }
    }
  }

  hasClusters(): boolean {
    return Object.values(this.clusterNames).some((names) => names.size > 0);
  }

  cloudProviders(): string[] {
    return [...this.providers];
  }

  providerOfCluster(account: string, cluster: string): string {
    return this.clusterProvider.get(`${account}/${cluster}`) ?? this.providers[0] ?? '';
  }

  attributes(): Record<string, unknown> {
    const merged: Record<string, unknown> = Object.assign({}, ...this.layers);
    merged.cloudProviders = [...this.providers].sort().join(',');
    return merged;
  }
}
