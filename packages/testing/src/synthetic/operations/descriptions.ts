import type { Capacity } from '../synthetic-cloud.js';

/** Fields every synthetic server-group operation carries. */
export interface ServerGroupDescription {
  /** From `credentials`, `account` or `accountName`. */
  readonly account: string;
  readonly region: string;
  /** From `serverGroupName` or `asgName`. */
  readonly serverGroupName: string;
}

export interface CreateServerGroupDescription {
  readonly account: string;
  readonly application: string;
  readonly stack?: string;
  readonly freeFormDetails?: string;
  /** From `region`, `regions` or the keys of `availabilityZones`. */
  readonly regions: readonly string[];
  readonly zonesByRegion: Readonly<Record<string, readonly string[]>>;
  readonly capacity: Partial<Capacity>;
  readonly instanceType?: string;
  readonly imageId?: string;
  readonly loadBalancers: readonly string[];
  readonly securityGroups: readonly string[];
  readonly tags: Readonly<Record<string, string>>;
}

export interface ResizeServerGroupDescription extends ServerGroupDescription {
  readonly capacity: Partial<Capacity>;
}

export interface TerminateInstancesDescription {
  readonly account: string;
  readonly region: string;
  readonly instanceIds: readonly string[];
}

/*
 * Converters coerce leniently (a wrong type becomes `undefined` or `NaN`) and leave judging to the
 * validators, which name the field; a converter only throws for input that is not a map at all.
 */

const text = (value: unknown): string => (typeof value === 'string' ? value.trim() : '');
const optionalText = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined);
const texts = (value: unknown): string[] => (Array.isArray(value) ? value.map((v) => (typeof v === 'string' ? v : String(v))) : []);

export function accountOf(input: Record<string, unknown>): string {
  return text(input.credentials ?? input.account ?? input.accountName);
}

function regionOf(input: Record<string, unknown>): string {
  if (typeof input.region === 'string') return input.region.trim();
  const regions = texts(input.regions);
  return regions.length === 1 ? regions[0]! : '';
}

function capacityOf(value: unknown): Partial<Capacity> {
  if (typeof value !== 'object' || value === null) return {};
  const raw = value as Record<string, unknown>;
  const out: Partial<Capacity> = {};
  for (const field of ['min', 'max', 'desired'] as const) {
    if (raw[field] !== undefined)
      out[field] = typeof raw[field] === 'number' ? raw[field] : typeof raw[field] === 'string' && raw[field] !== '' ? Number(raw[field]) : Number.NaN;
  }
  return out;
}

export function toServerGroupDescription(input: Record<string, unknown>): ServerGroupDescription {
  return { account: accountOf(input), region: regionOf(input), serverGroupName: text(input.serverGroupName ?? input.asgName) };
}

export function toResizeDescription(input: Record<string, unknown>): ResizeServerGroupDescription {
  return { ...toServerGroupDescription(input), capacity: capacityOf(input.capacity) };
}

export function toTerminateInstancesDescription(input: Record<string, unknown>): TerminateInstancesDescription {
  return { account: accountOf(input), region: regionOf(input), instanceIds: texts(input.instanceIds ?? input.instances) };
}

export function toCreateServerGroupDescription(input: Record<string, unknown>): CreateServerGroupDescription {
  const zonesByRegion: Record<string, string[]> = {};
  if (typeof input.availabilityZones === 'object' && input.availabilityZones !== null && !Array.isArray(input.availabilityZones)) {
    for (const [region, zones] of Object.entries(input.availabilityZones as Record<string, unknown>)) zonesByRegion[region] = texts(zones);
  }
  const regions = new Set<string>(Object.keys(zonesByRegion));
  if (typeof input.region === 'string' && input.region.trim() !== '') regions.add(input.region.trim());
  for (const region of texts(input.regions)) regions.add(region);
  const tags: Record<string, string> = {};
  if (typeof input.tags === 'object' && input.tags !== null) for (const [k, v] of Object.entries(input.tags)) tags[k] = String(v);
  const stack = optionalText(input.stack);
  const freeFormDetails = optionalText(input.freeFormDetails);
  const instanceType = optionalText(input.instanceType);
  const imageId = optionalText(input.imageId ?? input.amiName);
  return {
    account: accountOf(input),
    application: text(input.application),
    ...(stack ? { stack } : {}),
    ...(freeFormDetails ? { freeFormDetails } : {}),
    regions: [...regions],
    zonesByRegion,
    capacity: capacityOf(input.capacity),
    ...(instanceType ? { instanceType } : {}),
    ...(imageId ? { imageId } : {}),
    loadBalancers: texts(input.loadBalancers),
    securityGroups: texts(input.securityGroups),
    tags,
  };
}
