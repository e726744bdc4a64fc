/**
 * Read models: the views providers register so the generic read API (`/applications`, clusters,
 * server groups, instances, load balancers, security groups) can serve them in Clouddriver's JSON
 * shapes. A provider registers the models it has; one without a model for something contributes
 * nothing there. Objects carry Clouddriver's required fields plus any provider-specific ones.
 */

/** `{app, cluster, stack, detail, sequence}` as Frigga parses `app-stack-detail-vNNN`. */
export interface Moniker {
  readonly app: string;
  readonly cluster?: string;
  readonly stack?: string;
  readonly detail?: string;
  readonly sequence?: number;
  readonly [key: string]: unknown;
}

export interface Capacity {
  readonly min: number;
  readonly max: number;
  readonly desired: number;
}

export interface InstanceCounts {
  readonly total: number;
  readonly up: number;
  readonly down: number;
  readonly unknown: number;
  readonly outOfService: number;
  readonly starting: number;
}

export type HealthState = 'Up' | 'Down' | 'Unknown' | 'Starting' | 'OutOfService' | 'Succeeded' | 'Failed' | 'Draining';

/** Clouddriver's `Instance` JSON. */
export interface InstanceView {
  readonly name: string;
  readonly humanReadableName?: string;
  readonly healthState: HealthState;
  readonly launchTime?: number;
  readonly zone?: string;
  readonly health: readonly Record<string, unknown>[];
  readonly cloudProvider: string;
  readonly providerType?: string;
  readonly account?: string;
  readonly region?: string;
  readonly [key: string]: unknown;
}

/** Clouddriver's `ServerGroup` JSON. */
export interface ServerGroupView {
  readonly name: string;
  readonly moniker: Moniker;
  readonly type: string;
  readonly cloudProvider: string;
  readonly account: string;
  readonly region: string;
  readonly disabled: boolean;
  readonly createdTime?: number;
  readonly zones: readonly string[];
  readonly instances: readonly InstanceView[];
  readonly loadBalancers: readonly string[];
  readonly securityGroups: readonly string[];
  readonly capacity: Capacity;
  readonly instanceCounts: InstanceCounts;
  readonly launchConfig?: Record<string, unknown>;
  readonly instanceType?: string;
  readonly tags?: Record<string, unknown>;
  readonly labels?: Record<string, unknown>;
  readonly [key: string]: unknown;
}

/** Clouddriver's `LoadBalancer` JSON. */
export interface LoadBalancerView {
  readonly name: string;
  readonly type: string;
  readonly cloudProvider: string;
  readonly account: string;
  readonly region?: string;
  readonly moniker?: Moniker;
  readonly serverGroups: readonly Record<string, unknown>[];
  readonly [key: string]: unknown;
}

/** Clouddriver's `SecurityGroup` JSON. */
export interface SecurityGroupView {
  readonly type: string;
  readonly cloudProvider: string;
  readonly id: string;
  readonly name: string;
  readonly accountName: string;
  readonly region: string;
  readonly application?: string;
  readonly moniker?: Moniker;
  readonly inboundRules?: readonly Record<string, unknown>[];
  readonly outboundRules?: readonly Record<string, unknown>[];
  readonly [key: string]: unknown;
}

/** Clouddriver's `Cluster` JSON. */
export interface ClusterView {
  readonly name: string;
  readonly type: string;
  readonly accountName: string;
  readonly moniker: Moniker;
  readonly serverGroups: readonly ServerGroupView[];
  readonly loadBalancers: readonly LoadBalancerView[];
  readonly [key: string]: unknown;
}

export interface ApplicationView {
  readonly name: string;
  readonly attributes: Record<string, unknown>;
  /** account → cluster names. */
  readonly clusterNames: Record<string, readonly string[]>;
}

export interface ApplicationReadModel {
  getApplications(expand: boolean): Promise<ApplicationView[]>;
  getApplication(name: string): Promise<ApplicationView | undefined>;
}

export interface ClusterReadModel {
  /** account → cluster names for an application. */
  getClusterNames(application: string): Promise<Record<string, string[]>>;
  /** Every cluster of an application (server groups included when `includeDetails`). */
  getClusters(application: string, includeDetails: boolean): Promise<ClusterView[]>;
  getCluster(application: string, account: string, name: string, includeDetails: boolean): Promise<ClusterView | undefined>;
  getServerGroup(account: string, region: string, name: string, includeDetails?: boolean): Promise<ServerGroupView | undefined>;
}

export interface InstanceReadModel {
  getInstance(account: string, region: string, id: string): Promise<InstanceView | undefined>;
}

export interface LoadBalancerReadModel {
  getApplicationLoadBalancers(application: string): Promise<LoadBalancerView[]>;
  list(): Promise<LoadBalancerView[]>;
  /** Detail objects for `/{cloudProvider}/loadBalancers/{account}/{region}/{name}`. */
  getDetails(account: string, region: string, name: string): Promise<Record<string, unknown>[]>;
}

export interface SecurityGroupReadModel {
  getAll(includeRules: boolean): Promise<SecurityGroupView[]>;
  get(account: string, region: string, nameOrId: string, vpcId?: string): Promise<SecurityGroupView | undefined>;
}

/** Read models by kind, as a provider registers them. */
export interface ReadModels {
  applications: ApplicationReadModel;
  clusters: ClusterReadModel;
  instances: InstanceReadModel;
  loadBalancers: LoadBalancerReadModel;
  securityGroups: SecurityGroupReadModel;
}
export type ReadModelKind = keyof ReadModels;
