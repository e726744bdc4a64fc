import type { CacheData, HealthState, InstanceCounts, InstanceView, ServerGroupView } from '@stratus/plugin-api';
import { monikerOf } from '@stratus/plugin-api';

export interface HealthStateOptions {
  /** Whether a `Failed` entry wins over everything (Azure reports failed provisioning so). */
  readonly failedWins?: boolean;
}

/** The state Deck shows from health entries: any (Failed,) Down wins, then OutOfService, Starting, all Up. */
export function healthStateOf(health: readonly Record<string, unknown>[], options: HealthStateOptions = {}): HealthState {
  const states = health.map((h) => h.state as string);
  if (states.length === 0) return 'Unknown';
  if (options.failedWins && states.includes('Failed')) return 'Failed';
  if (states.includes('Down')) return 'Down';
  if (states.includes('OutOfService')) return 'OutOfService';
  if (states.includes('Starting')) return 'Starting';
  if (states.every((s) => s === 'Up')) return 'Up';
  return 'Unknown';
}

export interface CountInstancesOptions {
  /**
   * Whether a `Failed` instance is left out of every state count (it stays in `total`), as
   * Clouddriver's Azure server groups count: their counts name Up, Down, Unknown, Starting and
   * OutOfService only, so a VM whose provisioning failed is in none of them. Off by default (Failed counts as down).
   */
  readonly excludeFailed?: boolean;
}

/** Clouddriver's `InstanceCounts` of a server group (Failed counts as down unless excluded, Draining as out of service). */
export function countInstances(instances: readonly InstanceView[], options: CountInstancesOptions = {}): InstanceCounts {
  const counts = { total: instances.length, up: 0, down: 0, unknown: 0, outOfService: 0, starting: 0 };
  for (const i of instances) {
    if (i.healthState === 'Up') counts.up++;
    else if (i.healthState === 'Failed' && options.excludeFailed) continue;
    else if (i.healthState === 'Down' || i.healthState === 'Failed') counts.down++;
    else if (i.healthState === 'OutOfService' || i.healthState === 'Draining') counts.outOfService++;
    else if (i.healthState === 'Starting') counts.starting++;
    else counts.unknown++;
  }
  return counts;
}

/** What identifies an instance view, from the provider's cached attributes. */
export interface InstanceViewIdentity {
  readonly cloudProvider: string;
  /** The instance's name or id (it is both `name` and `instanceId`). */
  readonly id: string;
  readonly attributes: Readonly<Record<string, unknown>>;
  readonly health: Record<string, unknown>[];
  readonly healthState: HealthState;
  readonly zone: string | undefined;
}

/** The fields every instance view carries (Clouddriver's `Instance` contract Deck reads). */
export function instanceViewFields(identity: InstanceViewIdentity): InstanceView {
  const { cloudProvider, id, attributes: a, health, healthState, zone } = identity;
  return {
    name: id,
    instanceId: id,
    humanReadableName: id,
    healthState,
    launchTime: a.launchTime as number | undefined,
    zone,
    health,
    cloudProvider,
    providerType: cloudProvider,
    account: a.account as string,
    region: a.region as string,
  } as InstanceView;
}

/** What {@link serverGroupViewFields} returns. */
export interface ServerGroupViewFields {
  readonly name: string;
  readonly moniker: ServerGroupView['moniker'];
  readonly type: string;
  readonly cloudProvider: string;
  readonly account: string;
  readonly accountName: string;
  readonly region: string;
  readonly zones: readonly string[];
  readonly disabled: boolean;
  readonly isDisabled: boolean;
  readonly createdTime: number | undefined;
}

/**
 * The fields every server group view starts with (name, moniker, type, account, region, zones,
 * disabled state, creation time) from a cached server group's attributes.
 */
export function serverGroupViewFields(cloudProvider: string, item: CacheData): ServerGroupViewFields {
  const a = item.attributes;
  const name = a.name as string;
  return {
    name,
    moniker: monikerOf(name) as ServerGroupView['moniker'],
    type: cloudProvider,
    cloudProvider,
    account: a.account as string,
    accountName: a.account as string,
    region: a.region as string,
    zones: (a.zones as string[]) ?? [],
    disabled: a.disabled as boolean,
    isDisabled: a.disabled as boolean,
    createdTime: a.createdTime as number | undefined,
  };
}
