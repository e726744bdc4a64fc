import type { ClusterView, ServerGroupView } from '@stratus/plugin-api';
import { inject, injectable } from 'tsyringe';
import type { ReadModelRegistry } from '../providers/read-model-registry.js';
import type { CallerAccess } from '../security/caller-access.js';
import { READ_MODEL_REGISTRY } from '../tokens.js';
import { expandedServerGroup, serverGroupSummary } from './server-group-summary.js';

export interface ApplicationServerGroupsQuery {
  /** Full server groups plus cluster identity instead of summaries. */
  readonly expand: boolean;
  /** Only this cloud provider's server groups (case-insensitive). */
  readonly cloudProvider?: string | undefined;
  /** `account:cluster` pairs restricting the result; an empty list yields nothing. */
  readonly clusters?: readonly { account: string; cluster: string }[] | undefined;
}

/** A server group's coordinates in `/serverGroups?ids=account:region:name`. */
export interface ServerGroupId {
  readonly account: string;
  readonly region: string;
  readonly name: string;
}

/** `/applications/{app}/serverGroups`, `/serverGroups/{account}/{region}/{name}` and `/serverGroups?ids|applications=`. */
@injectable()
export class ServerGroupReadService {
  constructor(@inject(READ_MODEL_REGISTRY) private readonly registry: ReadModelRegistry) {}

  async listForApplication(access: CallerAccess, application: string, query: ApplicationServerGroupsQuery): Promise<Record<string, unknown>[]> {
    if (query.clusters && query.clusters.length === 0) return [];
    const models = this.registry
      .all('clusters')
      .filter(({ cloudProvider }) => !query.cloudProvider || cloudProvider.toLowerCase() === query.cloudProvider.toLowerCase());

    let clusters: ClusterView[];
    if (query.clusters) {
      const wanted = query.clusters.filter(({ account }) => access.canReadAccount(account));
      clusters = (
        await Promise.all(wanted.flatMap(({ account, cluster }) => models.map(({ model }) => model.getCluster(application, account, cluster, true))))
      ).filter((cluster): cluster is ClusterView => cluster !== undefined);
    } else {
      clusters = (await Promise.all(models.map(({ model }) => model.getClusters(application, true)))).flat();
    }

    const result: Record<string, unknown>[] = [];
    for (const cluster of clusters) {
      if (!access.canReadAccount(cluster.accountName)) continue;
      for (const serverGroup of cluster.serverGroups) {
        result.push(query.expand ? expandedServerGroup(serverGroup, cluster) : serverGroupSummary(serverGroup, cluster));
      }
    }
    return result;
  }

  /** Summaries of several applications' server groups (`/serverGroups?applications=`). */
  async listForApplications(access: CallerAccess, applications: readonly string[], cloudProvider?: string): Promise<Record<string, unknown>[]> {
    const lists = await Promise.all(applications.map((application) => this.listForApplication(access, application, { expand: false, cloudProvider })));
    return lists.flat();
  }

  /** One server group with details, or undefined when missing or in an account the caller cannot READ. */
  async get(access: CallerAccess, account: string, region: string, name: string): Promise<ServerGroupView | undefined> {
    if (!access.canReadAccount(account)) return undefined;
    for (const { model } of this.registry.all('clusters')) {
      const serverGroup = await model.getServerGroup(account, region, name, true);
      if (serverGroup) return serverGroup;
    }
    return undefined;
  }

  /** The server groups with these ids that exist and the caller may see, in the order asked. */
  async getByIds(access: CallerAccess, ids: readonly ServerGroupId[]): Promise<ServerGroupView[]> {
    const found = await Promise.all(ids.map(({ account, region, name }) => this.get(access, account, region, name)));
    return found.filter((serverGroup): serverGroup is ServerGroupView => serverGroup !== undefined);
  }
}
