import { toPlainJson, type Plain } from '@stratus/provider-kit';

/** SDK model objects as plain JSON for the cache: `Date`s become ISO strings, `undefined`/`null` values go. */
export function toPlain<T>(value: T): Plain<T, string> {
  return toPlainJson(value, { date: (d) => d.toISOString(), skipKey: (_key, v) => v === null }) as Plain<T, string>;
}

/** Whether an SDK resource carries its name (the API always sends one; the SDK types it optional). */
export function named<T extends { name?: string | null }>(resource: T): resource is T & { name: string } {
  return Boolean(resource.name);
}

/** The last path segment of an ARM id (`…/backendAddressPools/web` → `web`); '' for none. */
export function lastSegment(id: string | null | undefined): string {
  if (!id) return '';
  return id.slice(id.lastIndexOf('/') + 1);
}

/** The resource group of an ARM id (`/subscriptions/s/resourceGroups/<rg>/…`). */
export function resourceGroupOf(id: string | null | undefined): string {
  return (id ?? '').split('/')[4] ?? '';
}

/** The segment after `name` in an ARM id (`parentOf(id, 'loadBalancers')` → the load balancer's name). */
export function segmentAfter(id: string | null | undefined, name: string): string | undefined {
  const parts = (id ?? '').split('/');
  const index = parts.findIndex((p) => p.toLowerCase() === name.toLowerCase());
  return index >= 0 ? parts[index + 1] : undefined;
}

/** Epoch ms of a `Date` or timestamp, or undefined. */
export function epochMs(value: Date | string | null | undefined): number | undefined {
  if (!value) return undefined;
  const ms = value instanceof Date ? value.getTime() : Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}
