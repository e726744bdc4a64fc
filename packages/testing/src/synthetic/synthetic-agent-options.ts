import type { SyntheticCloud } from './synthetic-cloud.js';

/** What every synthetic agent of one account and region is built from. */
export interface SyntheticAgentOptions {
  readonly account: string;
  readonly region: string;
  readonly cloud: SyntheticCloud;
  /** Milliseconds between runs; the scheduler's default when absent. */
  readonly intervalMs?: number;
  readonly now?: () => number;
}

export const SYNTHETIC_PROVIDER_NAME = 'synthetic';

/** `<account>/<region>/<name>`: account first, so sharding by account works. */
export function syntheticAgentType(account: string, region: string, name: string): string {
  return `${account}/${region}/${name}`;
}
