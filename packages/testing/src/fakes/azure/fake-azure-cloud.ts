import { randomUUID } from 'node:crypto';
import { FakeAzureError } from './fake-azure-error.js';

/** An ARM resource as the wire carries it (`{id, name, type, location, tags, sku, properties}`). */
export interface AzureResource {
  id: string;
  name: string;
  type: string;
  location: string;
  tags?: Record<string, string>;
  sku?: { name?: string; tier?: string; capacity?: number };
  properties: Record<string, any>;
  [key: string]: unknown;
}

/** The provider namespaces of the resource types the fake serves. */
export const AZURE_RESOURCE_TYPES: Readonly<Record<string, string>> = {
  virtualmachinescalesets: 'Microsoft.Compute/virtualMachineScaleSets',
  loadbalancers: 'Microsoft.Network/loadBalancers',
  applicationgateways: 'Microsoft.Network/applicationGateways',
  networksecuritygroups: 'Microsoft.Network/networkSecurityGroups',
  virtualnetworks: 'Microsoft.Network/virtualNetworks',
  images: 'Microsoft.Compute/images',
  publicipaddresses: 'Microsoft.Network/publicIPAddresses',
};

/** Makes the next long-running operation whose method and resource id match fail with the cloud's error. */
export interface AzureOperationFailure {
  readonly method?: string;
  /** Case-insensitive substring of the target resource id. */
  readonly idIncludes: string;
  readonly code: string;
  readonly message: string;
}

/** A long-running operation: polled through `Azure-AsyncOperation` or `Location`. */
export interface AzureLongRunningOperation {
  readonly id: string;
  readonly method: string;
  readonly resourceId: string;
  pollsLeft: number;
  status: 'InProgress' | 'Succeeded' | 'Failed';
  readonly error?: { code: string; message: string };
  readonly complete: () => void;
}

export interface FakeAzureCloudOptions {
  /** Subscription ids the fake knows (others answer 404 SubscriptionNotFound). Default `['sub-1']`. */
  readonly subscriptions?: readonly string[];
  /** How many polls report `InProgress` before an operation finishes. Default 1. */
  readonly pollsBeforeDone?: number;
}

const lower = (s: string) => s.toLowerCase();

/**
 * The state behind {@link FakeAzureServer}: resource groups and resources by id (ids compared
 * case-insensitively, as ARM does), scale set VMs reconciled from `sku.capacity`, and long-running
 * operations. Tests create, change and delete resources here directly.
 */
export class FakeAzureCloud {
  readonly subscriptions: readonly string[];
  private readonly groups = new Map<string, { id: string; name: string; location: string; properties: { provisioningState: string } }>();
  private readonly resources = new Map<string, AzureResource>();
  /** Scale set id (lower case) → its VMs. */
  private readonly vms = new Map<string, AzureResource[]>();
  private readonly nextInstanceId = new Map<string, number>();
  readonly operations = new Map<string, AzureLongRunningOperation>();
  private readonly failures: AzureOperationFailure[] = [];
  private readonly pollsBeforeDone: number;

  constructor(options: FakeAzureCloudOptions = {}) {
    this.subscriptions = options.subscriptions ?? ['sub-1'];
    this.pollsBeforeDone = options.pollsBeforeDone ?? 1;
  }

  // ---- ids ----

  resourceId(subscription: string, resourceGroup: string, type: string, name: string): string {
    const full = AZURE_RESOURCE_TYPES[lower(type)] ?? type;
    return `/subscriptions/${subscription}/resourceGroups/${resourceGroup}/providers/${full}/${name}`;
  }

  requireSubscription(subscription: string): void {
    if (!this.subscriptions.some((s) => lower(s) === lower(subscription)))
      throw new FakeAzureError(404, 'SubscriptionNotFound', `The subscription '${subscription}' could not be found.`);
  }

  // ---- resource groups ----

  putResourceGroup(subscription: string, name: string, location: string): Record<string, unknown> {
    this.requireSubscription(subscription);
    const group = { id: `/subscriptions/${subscription}/resourceGroups/${name}`, name, location, properties: { provisioningState: 'Succeeded' } };
    this.groups.set(lower(group.id), group);
    return group;
  }

  resourceGroup(subscription: string, name: string): Record<string, unknown> | undefined {
    return this.groups.get(lower(`/subscriptions/${subscription}/resourceGroups/${name}`));
  }

  resourceGroups(subscription: string): Record<string, unknown>[] {
    const prefix = lower(`/subscriptions/${subscription}/`);
    return [...this.groups.values()].filter((g) => lower(g.id).startsWith(prefix));
  }

  private requireGroup(subscription: string, resourceGroup: string): void {
    this.requireSubscription(subscription);
    if (!this.resourceGroup(subscription, resourceGroup))
      throw new FakeAzureError(404, 'ResourceGroupNotFound', `Resource group '${resourceGroup}' could not be found.`);
  }

  // ---- resources (the test API; the server uses the same methods) ----

  /**
   * Creates or replaces a resource directly (no operation), as tests seed the cloud. `body` is wire
   * JSON; `provisioningState` defaults to `Succeeded`; named sub-resources get ids.
   */
  put(
    subscription: string,
    resourceGroup: string,
    type: string,
    body: Partial<AzureResource> & { name: string },
    provisioningState = 'Succeeded',
  ): AzureResource {
    this.requireGroup(subscription, resourceGroup);
    const id = this.resourceId(subscription, resourceGroup, type, body.name);
    const existing = this.resources.get(lower(id));
    const resource: AzureResource = {
      ...body,
      id,
      name: body.name,
      type: AZURE_RESOURCE_TYPES[lower(type)] ?? type,
      location: body.location ?? existing?.location ?? (this.resourceGroup(subscription, resourceGroup)!.location as string),
      properties: { ...(body.properties ?? {}), provisioningState },
    };
    if (existing?.properties.uniqueId) resource.properties.uniqueId = existing.properties.uniqueId;
    if (existing?.properties.timeCreated) resource.properties.timeCreated = existing.properties.timeCreated;
    if (lower(resource.type) === lower(AZURE_RESOURCE_TYPES.virtualmachinescalesets!)) {
      resource.properties.uniqueId ??= randomUUID();
      resource.properties.timeCreated ??= new Date().toISOString();
    }
    assignSubResourceIds(id, resource.properties);
    this.resources.set(lower(id), resource);
    if (lower(resource.type) === lower(AZURE_RESOURCE_TYPES.virtualmachinescalesets!)) this.reconcileVms(resource);
    return resource;
  }

  /** Merges a PATCH body into a resource (objects merge, arrays and values replace). */
  patch(id: string, body: Record<string, unknown>, provisioningState = 'Succeeded'): AzureResource {
    const existing = this.get(id);
    if (!existing) throw notFound(id);
    const merged = deepMerge(existing, body) as AzureResource;
    merged.properties.provisioningState = provisioningState;
    assignSubResourceIds(existing.id, merged.properties);
    this.resources.set(lower(id), merged);
    if (lower(merged.type) === lower(AZURE_RESOURCE_TYPES.virtualmachinescalesets!)) this.reconcileVms(merged);
    return merged;
  }

  get(id: string): AzureResource | undefined {
    return this.resources.get(lower(id));
  }

  /** Resources of a type (short or full name), in a subscription and optionally one resource group. */
  list(subscription: string, type: string, resourceGroup?: string): AzureResource[] {
    const full = lower(AZURE_RESOURCE_TYPES[lower(type)] ?? type);
    const prefix = lower(resourceGroup ? `/subscriptions/${subscription}/resourceGroups/${resourceGroup}/` : `/subscriptions/${subscription}/`);
    return [...this.resources.values()].filter((r) => lower(r.type) === full && lower(r.id).startsWith(prefix)).sort((a, b) => a.id.localeCompare(b.id));
  }

  /** Deletes a resource (and a scale set's VMs) directly; false when absent. */
  remove(id: string): boolean {
    this.vms.delete(lower(id));
    this.nextInstanceId.delete(lower(id));
    return this.resources.delete(lower(id));
  }

  removeByName(subscription: string, resourceGroup: string, type: string, name: string): boolean {
    return this.remove(this.resourceId(subscription, resourceGroup, type, name));
  }

  // ---- scale set VMs ----

  scaleSetVms(scaleSetId: string): AzureResource[] {
    return [...(this.vms.get(lower(scaleSetId)) ?? [])];
  }

  /** Removes VMs by instance id and lowers the capacity to match (what `deleteInstances` does). */
  deleteVms(scaleSetId: string, instanceIds: readonly string[]): void {
    const scaleSet = this.get(scaleSetId);
    if (!scaleSet) throw notFound(scaleSetId);
    const vms = this.vms.get(lower(scaleSetId)) ?? [];
    const unknown = instanceIds.filter((iid) => !vms.some((vm) => vm.instanceId === iid));
    if (unknown.length > 0) throw new FakeAzureError(400, 'InvalidParameter', `Instance ids ${unknown.join(', ')} are not in scale set ${scaleSet.name}.`);
    this.vms.set(
      lower(scaleSetId),
      vms.filter((vm) => !instanceIds.includes(vm.instanceId as string)),
    );
    scaleSet.sku = { ...scaleSet.sku, capacity: this.vms.get(lower(scaleSetId))!.length };
  }

  private reconcileVms(scaleSet: AzureResource): void {
    const key = lower(scaleSet.id);
    const vms = this.vms.get(key) ?? [];
    const capacity = scaleSet.sku?.capacity ?? 0;
    while (vms.length > capacity) vms.pop();
    while (vms.length < capacity) {
      const iid = this.nextInstanceId.get(key) ?? 0;
      this.nextInstanceId.set(key, iid + 1);
      const name = `${scaleSet.name}_${iid}`;
      vms.push({
        id: `${scaleSet.id}/virtualMachines/${iid}`,
        name,
        instanceId: String(iid),
        type: 'Microsoft.Compute/virtualMachineScaleSets/virtualMachines',
        location: scaleSet.location,
        sku: {
          ...(scaleSet.sku?.name !== undefined ? { name: scaleSet.sku.name } : {}),
          ...(scaleSet.sku?.tier !== undefined ? { tier: scaleSet.sku.tier } : {}),
        },
        properties: {
          provisioningState: 'Succeeded',
          latestModelApplied: true,
          vmId: randomUUID(),
          timeCreated: new Date().toISOString(),
          osProfile: { computerName: `${scaleSet.name.replace(/-/g, '').slice(0, 9)}${iid.toString(36).padStart(6, '0')}` },
          instanceView: {
            statuses: [
              { code: 'ProvisioningState/succeeded', level: 'Info' },
              { code: 'PowerState/running', level: 'Info', displayStatus: 'VM running' },
            ],
          },
        },
      });
    }
    this.vms.set(key, vms);
  }

  // ---- long-running operations ----

  /** The next matching long-running operation ends `Failed` with this error. */
  failNext(failure: AzureOperationFailure): void {
    this.failures.push(failure);
  }

  /** Starts an operation; `complete` runs when it succeeds (not when it fails). */
  startOperation(method: string, resourceId: string, complete: () => void): AzureLongRunningOperation {
    const index = this.failures.findIndex((f) => (!f.method || f.method.toUpperCase() === method) && lower(resourceId).includes(lower(f.idIncludes)));
    const failure = index >= 0 ? this.failures.splice(index, 1)[0] : undefined;
    const op: AzureLongRunningOperation = {
      id: randomUUID(),
      method,
      resourceId,
      pollsLeft: this.pollsBeforeDone,
      status: 'InProgress',
      ...(failure ? { error: { code: failure.code, message: failure.message } } : {}),
      complete,
    };
    this.operations.set(op.id, op);
    if (op.pollsLeft <= 0) this.advance(op);
    return op;
  }

  /** One poll: counts down, then finishes the operation (applying or failing it). */
  poll(id: string): AzureLongRunningOperation | undefined {
    const op = this.operations.get(id);
    if (!op) return undefined;
    if (op.status === 'InProgress') {
      if (op.pollsLeft > 0) op.pollsLeft--;
      else this.advance(op);
    }
    return op;
  }

  private advance(op: AzureLongRunningOperation): void {
    if (op.error) {
      op.status = 'Failed';
      return;
    }
    op.complete();
    op.status = 'Succeeded';
  }
}

function notFound(id: string): FakeAzureError {
  return new FakeAzureError(
    404,
    'ResourceNotFound',
    `The Resource '${id.split('/providers/')[1] ?? id}' under resource group '${id.split('/')[4] ?? ''}' was not found.`,
  );
}

/** Gives every named item of an array under `properties` an id below its parent (`…/backendAddressPools/name`). */
function assignSubResourceIds(parentId: string, properties: Record<string, any>): void {
  for (const [key, value] of Object.entries(properties)) {
    if (!Array.isArray(value)) continue;
    for (const item of value) if (item && typeof item === 'object' && typeof item.name === 'string' && !item.id) item.id = `${parentId}/${key}/${item.name}`;
  }
}

function deepMerge(target: unknown, patch: unknown): unknown {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch) || target === null || typeof target !== 'object' || Array.isArray(target))
    return structuredClone(patch);
  const out: Record<string, unknown> = { ...(target as Record<string, unknown>) };
  for (const [k, v] of Object.entries(patch)) out[k] = v === undefined ? out[k] : deepMerge(out[k], v);
  return out;
}
