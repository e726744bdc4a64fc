/**
 * Read models: the views providers register so the generic read API (`/applications`, clusters,
 * server groups, instances, load balancers, security groups) can serve them in Clouddriver's JSON
 * shapes. A provider registers the models it has; one without a model for something contributes
 * nothing there. Objects carry Clouddriver's required fields plus any provider-specific ones.
 */

/** `{app, cluster, stack, detail, sequence}` as Frigga parses `app-stack-detail-vNNN`. */
export interface Moniker {
  /** The application. */
  readonly app: string;
  /** The cluster (`app-stack-detail`). */
  readonly cluster?: string | undefined;
  /** The stack segment of the name. */
  readonly stack?: string | undefined;
  /** The detail segment(s) of the name. */
  readonly detail?: string | undefined;
  /** The version number of a server group (`vNNN`). */
  readonly sequence?: number | undefined;
  readonly [key: string]: unknown;
}

/** A server group's size limits and target. */
export interface Capacity {
  /** The fewest instances. */
  readonly min: number;
  /** The most instances. */
  readonly max: number;
  /** The target number of instances. */
  readonly desired: number;
}

/** Instances of a server group by health state; `total` counts them all. */
export interface InstanceCounts {
  /** Every instance. */
  readonly total: number;
  /** Instances whose `healthState` is `Up`. */
  readonly up: number;
  /** Instances whose `healthState` is `Down`. */
  readonly down: number;
  /** Instances whose `healthState` is `Unknown`. */
  readonly unknown: number;
  /** Instances whose `healthState` is `OutOfService`. */
  readonly outOfService: number;
  /** Instances whose `healthState` is `Starting`. */
  readonly starting: number;
}

/** An instance's aggregated health as Deck shows it. */
export type HealthState = 'Up' | 'Down' | 'Unknown' | 'Starting' | 'OutOfService' | 'Succeeded' | 'Failed' | 'Draining';

/** Clouddriver's `Instance` JSON. */
export interface InstanceView {
  /** The resource name. */
  readonly name: string;
  /** A friendlier name, when the cloud has one. */
  readonly humanReadableName?: string;
  /** The aggregated health. */
  readonly healthState: HealthState;
  /** Epoch ms the instance started. */
  readonly launchTime?: number | undefined;
  /** The availability zone. */
  readonly zone?: string;
  /** Health reports by source (`{type, state, …}`). */
  readonly health: readonly Record<string, unknown>[];
  /** The cloud provider id. */
  readonly cloudProvider: string;
  /** The provider type, usually the cloud provider id. */
  readonly providerType?: string;
  /** The account name. */
  readonly account?: string;
  /** The region (or location/namespace). */
  readonly region?: string;
  readonly [key: string]: unknown;
}

/** Clouddriver's `ServerGroup` JSON. */
export interface ServerGroupView {
  /** The resource name. */
  readonly name: string;
  /** The parsed name. */
  readonly moniker: Moniker;
  /** The cloud provider id (Clouddriver's `type`). */
  readonly type: string;
  /** The cloud provider id. */
  readonly cloudProvider: string;
  /** The account name. */
  readonly account: string;
  /** The region (or location/namespace). */
  readonly region: string;
  /** Whether the group takes no traffic. */
  readonly disabled: boolean;
  /** Epoch ms the group was created. */
  readonly createdTime?: number | undefined;
  /** Zones the group spans. */
  readonly zones: readonly string[];
  /** The group's instances (empty unless details were asked for). */
  readonly instances: readonly InstanceView[];
  /** Load balancers (names, or views in a cluster). */
  readonly loadBalancers: readonly string[];
  /** Security group names or ids. */
  readonly securityGroups: readonly string[];
  /** Size limits and target. */
  readonly capacity: Capacity;
  /** Instances by health state. */
  readonly instanceCounts: InstanceCounts;
  /** The launch template/config, cloud-specific. */
  readonly launchConfig?: Record<string, unknown>;
  /** The machine type. */
  readonly instanceType?: string;
  /** Cloud tags. */
  readonly tags?: Record<string, unknown>;
  /** Cloud labels. */
  readonly labels?: Record<string, unknown>;
  readonly [key: string]: unknown;
}

/** Clouddriver's `LoadBalancer` JSON. */
export interface LoadBalancerView {
  /** The resource name. */
  readonly name: string;
  /** The cloud provider id (Clouddriver's `type`). */
  readonly type: string;
  /** The cloud provider id. */
  readonly cloudProvider: string;
  /** The account name. */
  readonly account: string;
  /** The region (or location/namespace). */
  readonly region?: string;
  /** The parsed name. */
  readonly moniker?: Moniker | undefined;
  /** Server groups behind or in it. */
  readonly serverGroups: readonly Record<string, unknown>[];
  readonly [key: string]: unknown;
}

/** Clouddriver's `SecurityGroup` JSON. */
export interface SecurityGroupView {
  /** The cloud provider id (Clouddriver's `type`). */
  readonly type: string;
  /** The cloud provider id. */
  readonly cloudProvider: string;
  /** The cloud's id. */
  readonly id: string;
  /** The resource name. */
  readonly name: string;
  /** The account name. */
  readonly accountName: string;
  /** The region (or location/namespace). */
  readonly region: string;
  /** The application it belongs to. */
  readonly application?: string;
  /** The parsed name. */
  readonly moniker?: Moniker | undefined;
  /** Ingress rules (when asked for). */
  readonly inboundRules?: readonly Record<string, unknown>[];
  /** Egress rules (when asked for). */
  readonly outboundRules?: readonly Record<string, unknown>[];
  readonly [key: string]: unknown;
}

/** Clouddriver's `Cluster` JSON. */
export interface ClusterView {
  /** The resource name. */
  readonly name: string;
  /** The cloud provider id (Clouddriver's `type`). */
  readonly type: string;
  /** The account name. */
  readonly accountName: string;
  /** The parsed name. */
  readonly moniker: Moniker;
  /** Server groups behind or in it. */
  readonly serverGroups: readonly ServerGroupView[];
  /** Load balancers (names, or views in a cluster). */
  readonly loadBalancers: readonly LoadBalancerView[];
  readonly [key: string]: unknown;
}

/** Clouddriver's `Application` JSON (one provider's part of it). */
export interface ApplicationView {
  /** The application name (lower case). */
  readonly name: string;
  /** Free-form attributes, e.g. `{name, cloudProviders}`. */
  readonly attributes: Record<string, unknown>;
  /** account → cluster names. */
  readonly clusterNames: Record<string, readonly string[]>;
}

/** Serves `/applications` and `/applications/{name}`. */
export interface ApplicationReadModel {
  /** Every application; `clusterNames` filled only when `expand`. */
  getApplications(expand: boolean): Promise<ApplicationView[]>;
  /** One application with its cluster names, or `undefined`. */
  getApplication(name: string): Promise<ApplicationView | undefined>;
}

/** Serves the cluster and server-group endpoints. */
export interface ClusterReadModel {
  /** account → cluster names for an application. */
  getClusterNames(application: string): Promise<Record<string, string[]>>;
  /** Every cluster of an application (server groups included when `includeDetails`). */
  getClusters(application: string, includeDetails: boolean): Promise<ClusterView[]>;
  /** One cluster of an account, or `undefined`. */
  getCluster(application: string, account: string, name: string, includeDetails: boolean): Promise<ClusterView | undefined>;
  /** One server group, instances included unless `includeDetails` is false; `undefined` when missing. */
  getServerGroup(account: string, region: string, name: string, includeDetails?: boolean): Promise<ServerGroupView | undefined>;
}

/** Serves `/instances/{account}/{region}/{id}`. */
export interface InstanceReadModel {
  /** One instance, or `undefined`. */
  getInstance(account: string, region: string, id: string): Promise<InstanceView | undefined>;
}

/** Serves the load-balancer endpoints. */
export interface LoadBalancerReadModel {
  /** The load balancers of an application. */
  getApplicationLoadBalancers(application: string): Promise<LoadBalancerView[]>;
  /** Every load balancer. */
  list(): Promise<LoadBalancerView[]>;
  /** Detail objects for `/{cloudProvider}/loadBalancers/{account}/{region}/{name}`. */
  getDetails(account: string, region: string, name: string): Promise<Record<string, unknown>[]>;
}

/** Serves the security-group (firewall) endpoints. */
export interface SecurityGroupReadModel {
  /** Every security group; rules only when `includeRules`. */
  getAll(includeRules: boolean): Promise<SecurityGroupView[]>;
  /** One security group by name or id (within `vpcId` when given), or `undefined`. */
  get(account: string, region: string, nameOrId: string, vpcId?: string): Promise<SecurityGroupView | undefined>;
}

/** Read models by kind, as a provider registers them. */
export interface ReadModels {
  /** See {@link ApplicationReadModel}. */
  applications: ApplicationReadModel;
  /** See {@link ClusterReadModel}. */
  clusters: ClusterReadModel;
  /** See {@link InstanceReadModel}. */
  instances: InstanceReadModel;
  /** See {@link LoadBalancerReadModel}. */
  loadBalancers: LoadBalancerReadModel;
  /** See {@link SecurityGroupReadModel}. */
  securityGroups: SecurityGroupReadModel;
}
/** The kinds of read model a provider can register. */
export type ReadModelKind = keyof ReadModels;
