import type { LoadBalancerView } from '@stratus/plugin-api';
import { inject, injectable } from 'tsyringe';
import type { ReadModelRegistry } from '../providers/read-model-registry.js';
import type { CallerAccess } from '../security/caller-access.js';
import { READ_MODEL_REGISTRY } from '../tokens.js';
import { sortedByName } from './read-support.js';
import { canReadResourceApplication } from '../security/resource-application.js';

/** `ByRegion` of Clouddriver's `LoadBalancerProvider`. */
export interface LoadBalancersByRegion {
  readonly name: string;
  readonly loadBalancers: Record<string, unknown>[];
}
/** `ByAccount` of Clouddriver's `LoadBalancerProvider`. */
export interface LoadBalancersByAccount {
  readonly name: string;
  readonly regions: LoadBalancersByRegion[];
}
/** `Item` of Clouddriver's `LoadBalancerProvider`: one load balancer name across accounts and regions. */
export interface LoadBalancerItem {
  readonly name: string;
  readonly accounts: LoadBalancersByAccount[];
}

/** Load balancers of every provider, without accounts the caller cannot READ. */
@injectable()
export class LoadBalancerReadService {
  constructor(@inject(READ_MODEL_REGISTRY) private readonly registry: ReadModelRegistry) {}

  /** `GET /applications/{app}/loadBalancers`: provider load balancer objects. */
  async forApplication(access: CallerAccess, application: string): Promise<LoadBalancerView[]> {
    const lists = await Promise.all(this.registry.all('loadBalancers').map(({ model }) => model.getApplicationLoadBalancers(application)));
    return sortedByName(
      lists
        .flat()
        .filter((loadBalancer) => readable(loadBalancer, access))
        .map((lb) => readableOnly(lb, access)),
    );
  }

  /** `GET /{cloudProvider}/loadBalancers`: name → account → region → summaries. */
  async list(access: CallerAccess, cloudProvider: string): Promise<LoadBalancerItem[]> {
    const model = this.registry.get(cloudProvider, 'loadBalancers');
    if (!model) return [];
    const visible = (await model.list()).filter((loadBalancer) => readable(loadBalancer, access));
    return groupIntoItems(visible);
  }

  /** `GET /{cloudProvider}/loadBalancers/{name}`: the one item of that name (Gate reads a map), or undefined. */
  async byName(access: CallerAccess, cloudProvider: string, name: string): Promise<LoadBalancerItem | undefined> {
    return (await this.list(access, cloudProvider)).find((item) => item.name === name);
  }

  /** `GET /{cloudProvider}/loadBalancers/{account}/{region}/{name}`: provider detail objects. */
  async details(access: CallerAccess, cloudProvider: string, account: string, region: string, name: string): Promise<Record<string, unknown>[]> {
    const model = this.registry.get(cloudProvider, 'loadBalancers');
    if (!model || !access.canReadAccount(account)) return [];
    return (await model.getDetails(account, region, name)).filter((detail) => canReadResourceApplication(access, detail));
  }
}

/**
 * A load balancer is visible with READ on its account and (Fiat) on its application, found from its
 * moniker or the Frigga prefix of its name as Clouddriver's application checks do.
 */
function readable(loadBalancer: LoadBalancerView, access: CallerAccess): boolean {
  return access.canReadAccount(loadBalancer.account) && canReadResourceApplication(access, loadBalancer);
}

/** Drops server groups of accounts or applications the caller cannot READ from a load balancer's view. */
function readableOnly(loadBalancer: LoadBalancerView, access: CallerAccess): LoadBalancerView {
  const serverGroups = (loadBalancer.serverGroups ?? []).filter(
    (serverGroup) =>
      (typeof serverGroup.account !== 'string' || access.canReadAccount(serverGroup.account)) &&
      canReadResourceApplication(access, serverGroup as Record<string, unknown>),
  );
  return serverGroups.length === (loadBalancer.serverGroups ?? []).length ? loadBalancer : { ...loadBalancer, serverGroups };
}

function groupIntoItems(loadBalancers: readonly LoadBalancerView[]): LoadBalancerItem[] {
  const byName = new Map<string, Map<string, Map<string, Record<string, unknown>[]>>>();
  for (const loadBalancer of loadBalancers) {
    let byAccount = byName.get(loadBalancer.name);
    if (!byAccount) byName.set(loadBalancer.name, (byAccount = new Map()));
    let byRegion = byAccount.get(loadBalancer.account);
    if (!byRegion) byAccount.set(loadBalancer.account, (byRegion = new Map()));
    const region = loadBalancer.region ?? '';
    let list = byRegion.get(region);
    if (!list) byRegion.set(region, (list = []));
    list.push(summaryOf(loadBalancer));
  }
  const sortedKeys = <V>(map: Map<string, V>) => [...map.keys()].sort();
  return sortedKeys(byName).map((name) => {
    const byAccount = byName.get(name)!;
    return {
      name,
      accounts: sortedKeys(byAccount).map((account) => {
        const byRegion = byAccount.get(account)!;
        return { name: account, regions: sortedKeys(byRegion).map((region) => ({ name: region, loadBalancers: byRegion.get(region)! })) };
      }),
    };
  });
}

/** The leaf of the `/{cloudProvider}/loadBalancers` tree: the load balancer without its server groups. */
function summaryOf(loadBalancer: LoadBalancerView): Record<string, unknown> {
  const { serverGroups: _serverGroups, ...summary } = loadBalancer;
  return summary;
}
