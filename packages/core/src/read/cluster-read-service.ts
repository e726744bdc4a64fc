import type { ClusterReadModel, ClusterView, Moniker, ServerGroupView } from '@stratus/plugin-api';
import { inject, injectable } from 'tsyringe';
import type { ReadModelRegistry } from '../providers/read-model-registry.js';
import type { CallerAccess } from '../security/caller-access.js';
import { READ_MODEL_REGISTRY } from '../tokens.js';
import { NotFoundError } from './not-found-error.js';
import { readableClusterNames } from './read-support.js';
import { selectTargetServerGroup } from './target-server-group.js';

/** An entry of `GET /applications/{app}/clusters/{account}`. */
export interface ClusterSummaryView {
  readonly name: string;
  readonly account: string;
  readonly moniker: Moniker;
  readonly loadBalancers: string[];
  readonly serverGroups: string[];
}

export interface TargetServerGroupQuery {
  readonly application: string;
  readonly account: string;
  readonly cluster: string;
  readonly cloudProvider: string;
  readonly scope: string;
  readonly target: string;
  readonly onlyEnabled: boolean;
  readonly validateOldest: boolean;
}

/**
 * The cluster endpoints under `/applications/{app}/clusters`, over every provider's cluster model.
 * An account the caller cannot READ behaves exactly like an account without clusters.
 */
@injectable()
export class ClusterReadService {
  constructor(@inject(READ_MODEL_REGISTRY) private readonly registry: ReadModelRegistry) {}

  /** `GET /applications/{app}/clusters`: account → cluster names, readable accounts only. */
  async clusterNamesByAccount(access: CallerAccess, application: string): Promise<Record<string, string[]>> {
    const merged: Record<string, Set<string>> = {};
    const add = (byAccount: Record<string, readonly string[]>) => {
      for (const [account, names] of Object.entries(byAccount)) {
        const set = (merged[account] ??= new Set());
        for (const name of names) set.add(name);
      }
    };
    const [fromClusters, fromApplications] = await Promise.all([
      Promise.all(this.registry.all('clusters').map(({ model }) => model.getClusterNames(application))),
      Promise.all(this.registry.all('applications').map(({ model }) => model.getApplication(application))),
    ]);
    fromClusters.forEach(add);
    for (const app of fromApplications) if (app) add(app.clusterNames);
    return readableClusterNames(merged, access);
  }

  /** `GET /applications/{app}/clusters/{account}`. */
  async clustersForAccount(access: CallerAccess, application: string, account: string): Promise<ClusterSummaryView[]> {
    const clusters = access.canReadAccount(account)
      ? (await this.fromAllProviders((model) => model.getClusters(application, false))).filter((cluster) => cluster.accountName === account)
      : [];
    if (clusters.length === 0) throw new NotFoundError(`No clusters found (application: ${application}, account: ${account})`);
    return clusters
      .map((cluster) => ({
        name: cluster.name,
        account: cluster.accountName,
        moniker: cluster.moniker,
        loadBalancers: cluster.loadBalancers.map((loadBalancer) => loadBalancer.name),
        serverGroups: cluster.serverGroups.map((serverGroup) => serverGroup.name),
      }))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  /** `GET /applications/{app}/clusters/{account}/{cluster}`: the cluster from every provider that has it. */
  async clusters(access: CallerAccess, application: string, account: string, name: string, expand: boolean): Promise<ClusterView[]> {
    const clusters = access.canReadAccount(account)
      ? await this.fromAllProviders(async (model) => {
          const cluster = await model.getCluster(application, account, name, expand);
          return cluster ? [cluster] : [];
        })
      : [];
    if (clusters.length === 0) {
      throw new NotFoundError(`Cluster not found (application: ${application}, account: ${account}, name: ${name})`);
    }
    return clusters;
  }

  /** `GET /applications/{app}/clusters/{account}/{cluster}/{type}`. */
  async cluster(access: CallerAccess, application: string, account: string, name: string, type: string, expand: boolean): Promise<ClusterView> {
    let clusters: ClusterView[];
    try {
      clusters = await this.clusters(access, application, account, name, expand);
    } catch (error) {
      if (error instanceof NotFoundError) clusters = [];
      else throw error;
    }
    const cluster = clusters.find((candidate) => candidate.type === type);
    if (!cluster) {
      throw new NotFoundError(`No clusters found (application: ${application}, account: ${account}, name: ${name}, type: ${type})`);
    }
    return cluster;
  }

  /** `GET …/{cluster}/{type}/serverGroups[?region=]`: the cluster's server groups with details. */
  async serverGroups(access: CallerAccess, application: string, account: string, cluster: string, type: string, region?: string): Promise<ServerGroupView[]> {
    const view = await this.cluster(access, application, account, cluster, type, true);
    return region ? view.serverGroups.filter((serverGroup) => serverGroup.region === region) : [...view.serverGroups];
  }

  /**
   * `GET …/{cluster}/{type}/serverGroups/{name}[?region=]`: one server group when `region` is
   * given, else every server group of that name (one per region).
   */
  async serverGroup(
    access: CallerAccess,
    application: string,
    account: string,
    cluster: string,
    type: string,
    name: string,
    region?: string,
  ): Promise<ServerGroupView | ServerGroupView[]> {
    let matches: ServerGroupView[] = [];
    try {
      matches = (await this.serverGroups(access, application, account, cluster, type, region)).filter((serverGroup) => serverGroup.name === name);
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
    }
    if (matches.length === 0) throw new NotFoundError(`Server group not found (account: ${account}, name: ${name}, type: ${type})`);
    return region ? matches[0]! : matches;
  }

  /** `GET …/{cluster}/{cloudProvider}/{scope}/serverGroups/target/{target}`. */
  async targetServerGroup(access: CallerAccess, query: TargetServerGroupQuery): Promise<ServerGroupView> {
    const model = this.registry.get(query.cloudProvider, 'clusters');
    const cluster = model && access.canReadAccount(query.account) ? await model.getCluster(query.application, query.account, query.cluster, true) : undefined;
    return selectTargetServerGroup(cluster?.serverGroups ?? [], query);
  }

  /**
   * `GET …/serverGroups/target/{target}/{summaryType}`: the `<summaryType>Summary` object of the
   * target server group (`image` → `imageSummary`, `images` → `imagesSummary`), which providers put
   * on their server group views. Like Clouddriver, `oldest` does not insist on two candidates here.
   */
  async targetServerGroupSummary(access: CallerAccess, query: TargetServerGroupQuery, summaryType: string): Promise<Record<string, unknown>> {
    const serverGroup = await this.targetServerGroup(access, { ...query, validateOldest: false });
    const summary = /^[A-Za-z]+$/.test(summaryType) ? serverGroup[`${summaryType}Summary`] : undefined;
    if (!summary || typeof summary !== 'object') throw new NotFoundError(`Summary not found (type: ${summaryType})`);
    return summary as Record<string, unknown>;
  }

  private async fromAllProviders(read: (model: ClusterReadModel) => Promise<ClusterView[]>): Promise<ClusterView[]> {
    return (await Promise.all(this.registry.all('clusters').map(({ model }) => read(model)))).flat();
  }
}
