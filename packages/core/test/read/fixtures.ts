import type {
  ApplicationReadModel,
  ApplicationView,
  ClusterReadModel,
  ClusterView,
  InstanceReadModel,
  InstanceView,
  LoadBalancerReadModel,
  LoadBalancerView,
  SecurityGroupReadModel,
  SecurityGroupView,
  ServerGroupView,
} from '@stratus/plugin-api';
import type { CallerAccess } from '../../src/security/caller-access.js';
import { parseServerGroupName } from '@stratus/plugin-api';

/** Access that may read only the listed accounts. */
export function accessTo(...accounts: string[]): CallerAccess {
  return { roles: [], canReadAccount: (account) => accounts.includes(account), canWriteAccount: () => false };
}

export function instance(name: string, overrides: Partial<InstanceView> = {}): InstanceView {
  return { name, healthState: 'Up', health: [{ type: 'synthetic', state: 'Up' }], cloudProvider: 'aws', zone: 'us-east-1a', launchTime: 1, ...overrides };
}

export function serverGroup(name: string, overrides: Partial<ServerGroupView> = {}): ServerGroupView {
  const parsed = parseServerGroupName(name);
  return {
    name,
    moniker: { app: parsed.app, cluster: parsed.cluster, stack: parsed.stack, detail: parsed.detail, sequence: parsed.sequence },
    type: 'aws',
    cloudProvider: 'aws',
    account: 'prod',
    region: 'us-east-1',
    disabled: false,
    zones: ['us-east-1a', 'us-east-1b'],
    instances: [],
    loadBalancers: [],
    securityGroups: [],
    capacity: { min: 1, max: 1, desired: 1 },
    instanceCounts: { total: 0, up: 0, down: 0, unknown: 0, outOfService: 0, starting: 0 },
    ...overrides,
  };
}

export function cluster(name: string, accountName: string, serverGroups: ServerGroupView[], type = 'aws', loadBalancers: LoadBalancerView[] = []): ClusterView {
  const parsed = parseServerGroupName(name);
  return { name, type, accountName, moniker: { app: parsed.app, cluster: name, stack: parsed.stack, detail: parsed.detail }, serverGroups, loadBalancers };
}

/** A cluster model over a fixed list of clusters; `includeDetails: false` drops instances like a minimal model. */
export class FakeClusterModel implements ClusterReadModel {
  readonly calls: string[] = [];
  constructor(private readonly clusters: ClusterView[]) {}

  async getClusterNames(application: string): Promise<Record<string, string[]>> {
    const result: Record<string, string[]> = {};
    for (const c of this.ofApp(application)) (result[c.accountName] ??= []).push(c.name);
    return result;
  }
  async getClusters(application: string, includeDetails: boolean): Promise<ClusterView[]> {
    this.calls.push(`getClusters:${application}:${includeDetails}`);
    return this.ofApp(application).map((c) => (includeDetails ? c : { ...c, serverGroups: c.serverGroups.map((sg) => ({ ...sg, instances: [] })) }));
  }
  async getCluster(application: string, account: string, name: string, includeDetails: boolean): Promise<ClusterView | undefined> {
    return (await this.getClusters(application, includeDetails)).find((c) => c.accountName === account && c.name === name);
  }
  async getServerGroup(account: string, region: string, name: string): Promise<ServerGroupView | undefined> {
    return this.clusters
      .filter((c) => c.accountName === account)
      .flatMap((c) => c.serverGroups)
      .find((sg) => sg.region === region && sg.name === name);
  }
  private ofApp(application: string): ClusterView[] {
    return this.clusters.filter((c) => c.moniker.app === application);
  }
}

export class FakeApplicationModel implements ApplicationReadModel {
  constructor(private readonly apps: ApplicationView[]) {}
  async getApplications(expand: boolean): Promise<ApplicationView[]> {
    return this.apps.map((app) => (expand ? app : { ...app, clusterNames: {} }));
  }
  async getApplication(name: string): Promise<ApplicationView | undefined> {
    return this.apps.find((app) => app.name === name);
  }
}

export class FakeInstanceModel implements InstanceReadModel {
  constructor(private readonly instances: (InstanceView & { account: string; region: string })[]) {}
  async getInstance(account: string, region: string, id: string): Promise<InstanceView | undefined> {
    return this.instances.find((i) => i.account === account && i.region === region && i.name === id);
  }
}

export class FakeLoadBalancerModel implements LoadBalancerReadModel {
  constructor(private readonly loadBalancers: LoadBalancerView[]) {}
  async getApplicationLoadBalancers(application: string): Promise<LoadBalancerView[]> {
    return this.loadBalancers.filter((lb) => lb.name.split('-')[0] === application);
  }
  async list(): Promise<LoadBalancerView[]> {
    return this.loadBalancers;
  }
  async getDetails(account: string, region: string, name: string): Promise<Record<string, unknown>[]> {
    return this.loadBalancers
      .filter((lb) => lb.account === account && lb.region === region && lb.name === name)
      .map((lb) => ({ loadBalancerName: lb.name, account: lb.account, region: lb.region, dnsName: `${lb.name}.example` }));
  }
}

export class FakeSecurityGroupModel implements SecurityGroupReadModel {
  constructor(private readonly groups: SecurityGroupView[]) {}
  async getAll(): Promise<SecurityGroupView[]> {
    return this.groups;
  }
  async get(account: string, region: string, nameOrId: string, vpcId?: string): Promise<SecurityGroupView | undefined> {
    return this.groups.find(
      (g) => g.accountName === account && g.region === region && (g.name === nameOrId || g.id === nameOrId) && (!vpcId || g.vpcId === vpcId),
    );
  }
}

export function loadBalancer(
  name: string,
  account: string,
  region: string,
  serverGroups: Record<string, unknown>[] = [],
  cloudProvider = 'aws',
): LoadBalancerView {
  return { name, type: cloudProvider, cloudProvider, account, region, serverGroups };
}

export function securityGroup(name: string, id: string, accountName: string, region: string, extra: Partial<SecurityGroupView> = {}): SecurityGroupView {
  return { type: 'aws', cloudProvider: 'aws', id, name, accountName, region, ...extra };
}
