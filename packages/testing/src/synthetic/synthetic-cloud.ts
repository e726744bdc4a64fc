import { clusterName, nextSequence, parseServerGroupName, serverGroupName } from '@stratus/plugin-api';
import { Prng, seedFrom } from './prng.js';

export interface Capacity {
  min: number;
  max: number;
  desired: number;
}

export type SyntheticHealth = 'Up' | 'Down' | 'Starting' | 'OutOfService';

export interface SyntheticInstance {
  id: string;
  region: string;
  zone: string;
  serverGroup: string;
  launchTime: number;
  health: SyntheticHealth;
  instanceType: string;
  privateIpAddress: string;
}

export interface SyntheticServerGroup {
  name: string;
  region: string;
  createdTime: number;
  disabled: boolean;
  capacity: Capacity;
  instanceType: string;
  imageId: string;
  zones: string[];
  loadBalancers: string[];
  securityGroups: string[];
  instanceIds: string[];
  tags: Record<string, string>;
}

export interface SyntheticLoadBalancer {
  name: string;
  region: string;
  vpcId: string;
  dnsName: string;
  createdTime: number;
  listeners: { protocol: string; port: number; instancePort: number }[];
}

export interface SyntheticRule {
  protocol: string;
  fromPort: number;
  toPort: number;
  /** A CIDR, or the id of another security group. */
  cidr?: string;
  securityGroupId?: string;
}

export interface SyntheticSecurityGroup {
  id: string;
  name: string;
  region: string;
  vpcId: string;
  description: string;
  inboundRules: SyntheticRule[];
}

export interface SyntheticCloudOptions {
  /** The account this cloud belongs to (used to derive ids and DNS names). */
  readonly account: string;
  readonly regions?: readonly string[];
  readonly seed?: number;
  /** Applications generated at start (default 3). */
  readonly applications?: number;
  /** Server groups per application (default 2), spread over its clusters and regions. */
  readonly serverGroupsPerApplication?: number;
  /** Instances per server group (default 2). */
  readonly instancesPerServerGroup?: number;
  /** The clock; also the base of generated creation times. */
  readonly now?: () => number;
}

export interface CreateServerGroupInput {
  readonly region: string;
  readonly application: string;
  readonly stack?: string;
  readonly freeFormDetails?: string;
  readonly capacity: Capacity;
  readonly instanceType?: string;
  readonly imageId?: string;
  readonly zones?: readonly string[];
  readonly loadBalancers?: readonly string[];
  readonly securityGroups?: readonly string[];
  readonly tags?: Record<string, string>;
  readonly disabled?: boolean;
}

/** Thrown by the fake cloud for a request it cannot honour (missing resource, bad region). */
export class SyntheticCloudError extends Error {
  constructor(
    message: string,
    readonly code: 'NotFound' | 'InvalidRegion' | 'AlreadyExists',
  ) {
    super(message);
    this.name = 'SyntheticCloudError';
  }
}

const WORDS = ['orders', 'payments', 'search', 'catalog', 'gateway', 'billing', 'profile', 'ledger', 'mailer', 'reports', 'auth', 'media'];
const STACKS = ['', 'main', 'staging', 'canary'];
const DETAILS = ['', '', 'blue', 'worker'];
const INSTANCE_TYPES = ['m5.large', 'm5.xlarge', 'c5.large', 't3.medium'];

interface RegionState {
  serverGroups: Map<string, SyntheticServerGroup>;
  instances: Map<string, SyntheticInstance>;
  loadBalancers: Map<string, SyntheticLoadBalancer>;
  securityGroups: Map<string, SyntheticSecurityGroup>;
}

const copy = <T>(value: T): T => structuredClone(value);

/**
 * An in-process fake cloud for one account: regions holding server groups (with instances), load
 * balancers and security groups. Generated from a seed, so the same options give the same cloud;
 * then mutable — operations change it, and tests can add or remove resources "directly in the cloud"
 * to see what the caching agents make of it. Reads return copies, so callers cannot change state
 * behind the cloud's back.
 */
export class SyntheticCloud {
  readonly account: string;
  readonly regions: readonly string[];
  private readonly rng: Prng;
  private readonly now: () => number;
  private readonly state = new Map<string, RegionState>();
  /** How many describe calls each region has served; tests use it to see who read the cloud. */
  readonly describeCalls = new Map<string, number>();

  constructor(readonly options: SyntheticCloudOptions) {
    this.account = options.account;
    this.regions = options.regions && options.regions.length > 0 ? [...options.regions] : ['us-east-1'];
    this.rng = new Prng(seedFrom(options.seed ?? 1, options.account));
    this.now = options.now ?? Date.now;
    for (const region of this.regions) {
      this.state.set(region, { serverGroups: new Map(), instances: new Map(), loadBalancers: new Map(), securityGroups: new Map() });
    }
    this.populate();
  }

  // ---- reads (what a caching agent's describe calls see) ----

  listServerGroups(region: string): SyntheticServerGroup[] {
    this.countDescribe(region);
    return [...this.region(region).serverGroups.values()].map(copy);
  }

  getServerGroup(region: string, name: string): SyntheticServerGroup | undefined {
    const group = this.region(region).serverGroups.get(name);
    return group && copy(group);
  }

  listInstances(region: string): SyntheticInstance[] {
    this.countDescribe(region);
    return [...this.region(region).instances.values()].map(copy);
  }

  getInstance(region: string, id: string): SyntheticInstance | undefined {
    const instance = this.region(region).instances.get(id);
    return instance && copy(instance);
  }

  listLoadBalancers(region: string): SyntheticLoadBalancer[] {
    this.countDescribe(region);
    return [...this.region(region).loadBalancers.values()].map(copy);
  }

  getLoadBalancer(region: string, name: string): SyntheticLoadBalancer | undefined {
    const loadBalancer = this.region(region).loadBalancers.get(name);
    return loadBalancer && copy(loadBalancer);
  }

  listSecurityGroups(region: string): SyntheticSecurityGroup[] {
    this.countDescribe(region);
    return [...this.region(region).securityGroups.values()].map(copy);
  }

  /** Every application with at least one server group, load balancer or security group. */
  applications(): string[] {
    const apps = new Set<string>();
    for (const state of this.state.values()) {
      for (const name of state.serverGroups.keys()) apps.add(parseServerGroupName(name).app);
      for (const name of state.loadBalancers.keys()) apps.add(parseServerGroupName(name).app);
    }
    return [...apps].sort();
  }

  /** The server group names of a cluster in a region, oldest first. */
  clusterServerGroups(region: string, cluster: string): string[] {
    return [...this.region(region).serverGroups.values()]
      .filter((group) => parseServerGroupName(group.name).cluster === cluster)
      .sort((a, b) => a.createdTime - b.createdTime)
      .map((group) => group.name);
  }

  /** Whether `region` is one of this cloud's regions. */
  hasRegion(region: string): boolean {
    return this.state.has(region);
  }

  // ---- writes (what operations and tests do) ----

  /** Creates the next server group of the cluster (`…-vNNN`, one past the highest sequence in the region). */
  createServerGroup(input: CreateServerGroupInput): SyntheticServerGroup {
    const state = this.region(input.region);
    const cluster = clusterName(input.application, input.stack || undefined, input.freeFormDetails || undefined);
    const name = serverGroupName(cluster, nextSequence(state.serverGroups.keys(), cluster));
    const zones = input.zones && input.zones.length > 0 ? [...input.zones] : [`${input.region}a`, `${input.region}b`];
    const group: SyntheticServerGroup = {
      name,
      region: input.region,
      createdTime: this.now(),
      disabled: input.disabled ?? false,
      capacity: { ...input.capacity },
      instanceType: input.instanceType ?? INSTANCE_TYPES[0]!,
      imageId: input.imageId ?? `ami-${this.rng.hex(8)}`,
      zones,
      loadBalancers: [...(input.loadBalancers ?? [])],
      securityGroups: [...(input.securityGroups ?? [])],
      instanceIds: [],
      tags: { ...(input.tags ?? {}) },
    };
    state.serverGroups.set(name, group);
    this.scaleTo(state, group, group.capacity.desired);
    return copy(group);
  }

  /** Sets the capacity and launches or terminates instances to reach `desired`. */
  resizeServerGroup(region: string, name: string, capacity: Capacity): SyntheticServerGroup {
    const state = this.region(region);
    const group = this.mustServerGroup(state, region, name);
    group.capacity = { ...capacity };
    this.scaleTo(state, group, capacity.desired);
    return copy(group);
  }

  /** Enables or disables a server group (its instances go in or out of service). */
  setDisabled(region: string, name: string, disabled: boolean): SyntheticServerGroup {
    const state = this.region(region);
    const group = this.mustServerGroup(state, region, name);
    group.disabled = disabled;
    for (const id of group.instanceIds) {
      const instance = state.instances.get(id);
      if (instance) instance.health = disabled ? 'OutOfService' : 'Up';
    }
    return copy(group);
  }

  /** Deletes a server group and its instances; false when it did not exist. */
  deleteServerGroup(region: string, name: string): boolean {
    const state = this.region(region);
    const group = state.serverGroups.get(name);
    if (!group) return false;
    for (const id of group.instanceIds) state.instances.delete(id);
    state.serverGroups.delete(name);
    return true;
  }

  /**
   * Terminates instances. With `replace` (what an auto-scaling group does) the server group launches
   * new ones to stay at its desired size; without it, the group shrinks.
   */
  terminateInstances(region: string, ids: readonly string[], replace = true): { terminated: string[]; launched: string[] } {
    const state = this.region(region);
    const terminated: string[] = [];
    const launched: string[] = [];
    for (const id of ids) {
      const instance = state.instances.get(id);
      if (!instance) continue;
      state.instances.delete(id);
      terminated.push(id);
      const group = state.serverGroups.get(instance.serverGroup);
      if (!group) continue;
      group.instanceIds = group.instanceIds.filter((other) => other !== id);
      if (replace) launched.push(this.launch(state, group).id);
      else group.capacity = { ...group.capacity, desired: group.instanceIds.length, min: Math.min(group.capacity.min, group.instanceIds.length) };
    }
    return { terminated, launched };
  }

  /** Sets an instance's health (e.g. `Down`) as a health check would. */
  setInstanceHealth(region: string, id: string, health: SyntheticHealth): void {
    const instance = this.region(region).instances.get(id);
    if (!instance) throw new SyntheticCloudError(`Instance ${id} not found in ${region}`, 'NotFound');
    instance.health = health;
  }

  createLoadBalancer(region: string, name: string, listeners = [{ protocol: 'HTTP', port: 80, instancePort: 7001 }]): SyntheticLoadBalancer {
    const state = this.region(region);
    if (state.loadBalancers.has(name)) throw new SyntheticCloudError(`Load balancer ${name} already exists in ${region}`, 'AlreadyExists');
    const loadBalancer: SyntheticLoadBalancer = {
      name,
      region,
      vpcId: this.vpcOf(region),
      dnsName: `${name}-${this.rng.hex(6)}.${region}.elb.synthetic.example`,
      createdTime: this.now(),
      listeners: listeners.map((listener) => ({ ...listener })),
    };
    state.loadBalancers.set(name, loadBalancer);
    return copy(loadBalancer);
  }

  deleteLoadBalancer(region: string, name: string): boolean {
    const state = this.region(region);
    for (const group of state.serverGroups.values()) group.loadBalancers = group.loadBalancers.filter((lb) => lb !== name);
    return state.loadBalancers.delete(name);
  }

  createSecurityGroup(region: string, name: string, inboundRules: SyntheticRule[] = []): SyntheticSecurityGroup {
    const state = this.region(region);
    const securityGroup: SyntheticSecurityGroup = {
      id: `sg-${this.rng.hex(8)}`,
      name,
      region,
      vpcId: this.vpcOf(region),
      description: `Security group for ${name}`,
      inboundRules: inboundRules.map((rule) => ({ ...rule })),
    };
    state.securityGroups.set(securityGroup.id, securityGroup);
    return copy(securityGroup);
  }

  deleteSecurityGroup(region: string, nameOrId: string): boolean {
    const state = this.region(region);
    for (const [id, group] of state.securityGroups) {
      if (id === nameOrId || group.name === nameOrId) {
        state.securityGroups.delete(id);
        return true;
      }
    }
    return false;
  }

  // ---- internals ----

  private region(region: string): RegionState {
    const state = this.state.get(region);
    if (!state) throw new SyntheticCloudError(`Region ${region} is not one of ${this.regions.join(', ')}`, 'InvalidRegion');
    return state;
  }

  private countDescribe(region: string): void {
    this.describeCalls.set(region, (this.describeCalls.get(region) ?? 0) + 1);
  }

  private mustServerGroup(state: RegionState, region: string, name: string): SyntheticServerGroup {
    const group = state.serverGroups.get(name);
    if (!group) throw new SyntheticCloudError(`Server group ${name} not found in ${region}`, 'NotFound');
    return group;
  }

  private vpcOf(region: string): string {
    return `vpc-${seedFrom(this.account, region).toString(16).padStart(8, '0')}`;
  }

  private scaleTo(state: RegionState, group: SyntheticServerGroup, desired: number): void {
    while (group.instanceIds.length < desired) this.launch(state, group);
    while (group.instanceIds.length > desired) state.instances.delete(group.instanceIds.pop()!);
  }

  private launch(state: RegionState, group: SyntheticServerGroup): SyntheticInstance {
    const index = group.instanceIds.length;
    const instance: SyntheticInstance = {
      id: ['i-', this.rng.hex(17)].join(''),
      region: group.region,
      zone: group.zones[index % group.zones.length]!,
      serverGroup: group.name,
      launchTime: this.now(),
      health: group.disabled ? 'OutOfService' : 'Up',
      instanceType: group.instanceType,
      privateIpAddress: `10.${this.rng.int(0, 255)}.${this.rng.int(0, 255)}.${this.rng.int(1, 254)}`,
    };
    state.instances.set(instance.id, instance);
    group.instanceIds.push(instance.id);
    return instance;
  }

  /** Generates the initial cloud from the seed. */
  private populate(): void {
    const applications = this.options.applications ?? 3;
    const perApp = this.options.serverGroupsPerApplication ?? 2;
    const perGroup = this.options.instancesPerServerGroup ?? 2;
    const baseTime = this.now() - 30 * 86_400_000;
    for (let a = 0; a < applications; a++) {
      const app = a < WORDS.length ? WORDS[a]! : `${WORDS[a % WORDS.length]}${Math.floor(a / WORDS.length)}`;
      const homeRegion = this.regions[a % this.regions.length]!;
      const stack = this.rng.pick(STACKS);
      const clusters = [clusterName(app, stack || undefined), clusterName(app, stack || 'main', this.rng.pick(DETAILS) || undefined)];
      const uniqueClusters = [...new Set(clusters)];
      for (const region of this.regions) {
        this.createLoadBalancer(region, `${app}-frontend`);
        this.createSecurityGroup(region, app, [{ protocol: 'tcp', fromPort: 7001, toPort: 7001, cidr: '10.0.0.0/8' }]);
      }
      for (let s = 0; s < perApp; s++) {
        const cluster = uniqueClusters[s % uniqueClusters.length]!;
        const region = this.regions[(a + Math.floor(s / uniqueClusters.length)) % this.regions.length] ?? homeRegion;
        const parsed = parseServerGroupName(cluster);
        // Older server groups of the cluster are disabled, as after a red/black deploy.
        for (const older of this.clusterServerGroups(region, cluster)) this.setDisabled(region, older, true);
        const group = this.createServerGroup({
          region,
          application: app,
          ...(parsed.stack ? { stack: parsed.stack } : {}),
          ...(parsed.detail ? { freeFormDetails: parsed.detail } : {}),
          capacity: { min: perGroup, max: perGroup, desired: perGroup },
          instanceType: this.rng.pick(INSTANCE_TYPES),
          loadBalancers: [`${app}-frontend`],
          securityGroups: [app],
          tags: { owner: `${app}-team@example.com` },
        });
        const stored = this.region(region).serverGroups.get(group.name)!;
        stored.createdTime = baseTime + (a * perApp + s) * 3_600_000;
        for (const id of stored.instanceIds) this.region(region).instances.get(id)!.launchTime = stored.createdTime + 60_000;
      }
    }
  }
}

/** Creates a seeded fake cloud for one account; see {@link SyntheticCloud}. */
export function createSyntheticCloud(options: SyntheticCloudOptions): SyntheticCloud {
  return new SyntheticCloud(options);
}
