import { toPlainJson, type Plain } from '@stratus/provider-kit';

/**
 * Converts an object returned by `@google-cloud/compute` to plain compute/v1 JSON: the SDK adds
 * `_field` keys naming the set oneof members and empty arrays/maps for unset fields; the former are
 * dropped, `undefined`/`null` values too.
 */
export function toPlain<T>(value: T): Plain<T> {
  // The `I…` interfaces the SDK's methods are typed with have no `_field` keys, so `Plain<T>` is exact.
  return toPlainJson(value, { skipKey: (key, v) => key.startsWith('_') || v === null }) as Plain<T>;
}

/** Whether an SDK resource carries its name (the API always sends one; the SDK types it optional). */
export function named<T extends { name?: string | null }>(resource: T): resource is T & { name: string } {
  return Boolean(resource.name);
}

/** The last path segment of a resource URL (`…/zones/us-central1-a` → `us-central1-a`); '' for none. */
export function lastSegment(url: string | null | undefined): string {
  if (!url) return '';
  return url.slice(url.lastIndexOf('/') + 1);
}

/** `{zone}` or `{region}` of a MIG / instance / operation URL, from its `zone` or `region` link. */
export function scopeOf(resource: { zone?: string | null; region?: string | null }): { zone?: string; region?: string } {
  if (resource.zone) return { zone: lastSegment(resource.zone) };
  if (resource.region) return { region: lastSegment(resource.region) };
  return {};
}

/** The region of a zone name (`us-central1-a` → `us-central1`). */
export function regionOfZone(zone: string): string {
  return zone.slice(0, zone.lastIndexOf('-'));
}

/** Metadata items (`[{key, value}]`) as a map. */
export function metadataMap(metadata: { items?: readonly { key?: string | null; value?: string | null }[] | null } | null | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of metadata?.items ?? []) if (item.key) out[item.key] = item.value ?? '';
  return out;
}

/** A comma-separated metadata value as a list (empty entries dropped). */
export function csv(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/** Epoch ms of an RFC 3339 timestamp, or undefined. */
export function epochMs(timestamp: string | null | undefined): number | undefined {
  if (!timestamp) return undefined;
  const ms = Date.parse(timestamp);
  return Number.isNaN(ms) ? undefined : ms;
}
