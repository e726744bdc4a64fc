/**
 * Readers for the loosely typed operation descriptions Orca sends (Clouddriver reads them with
 * Groovy's truthiness); every cloud reads the same fields the same way.
 */

/** Orca names the account `credentials`; older callers use `accountName` or `account`. */
export function accountNameOf(input: Record<string, unknown>): string | undefined {
  const value = input.credentials ?? input.accountName ?? input.account;
  return typeof value === 'string' ? value : undefined;
}

export const str = (value: unknown): string => (typeof value === 'string' ? value : '');
export const optString = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);
export const stringList = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);
export const isNonNegativeInt = (value: unknown): value is number => typeof value === 'number' && Number.isInteger(value) && value >= 0;

/** `region`, else the single entry of `regions` (Orca sends either). */
export function regionOf(input: Record<string, unknown>): string {
  return str(input.region ?? (Array.isArray(input.regions) ? input.regions[0] : undefined));
}

/** A description naming one regional load balancer. */
export interface LoadBalancerDescription {
  readonly credentials?: string | undefined;
  /** `loadBalancerName`, else `name` (Deck sends either). */
  readonly loadBalancerName: string;
  readonly region: string;
  readonly input: Record<string, unknown>;
}

/** Reads a load balancer description; `region` is the cloud's reading of the region (`regionOf` unless it takes only `region`). */
export function loadBalancerDescriptionOf(input: Record<string, unknown>, region: string = regionOf(input)): LoadBalancerDescription {
  return { credentials: accountNameOf(input), loadBalancerName: str(input.loadBalancerName ?? input.name), region, input };
}
