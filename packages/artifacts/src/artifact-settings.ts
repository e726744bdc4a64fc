import type { NetworkPolicyConfig } from './network-policy.js';

/** Download limits and the network policy, from the `artifacts:` block. */
export interface ArtifactSettings {
  /** Largest artifact a download may stream (`artifacts.maxDownloadBytes`, default 100 MiB). */
  readonly maxDownloadBytes: number;
  /** How long an upstream may stay silent (`artifacts.timeoutSeconds`, default 60). */
  readonly timeoutSeconds: number;
  readonly network: NetworkPolicyConfig;
}

export const DEFAULT_MAX_DOWNLOAD_BYTES = 100 * 1024 * 1024;

/** Reads the settings of an `artifacts:` block, with defaults; throws naming a bad key. */
export function artifactSettings(block: Record<string, unknown>): ArtifactSettings {
  const network = (block.network ?? {}) as Record<string, unknown>;
  const positive = (key: string, value: unknown, fallback: number): number => {
    if (value === undefined) return fallback;
    if (typeof value !== 'number' || !(value > 0)) throw new Error(`artifacts.${key} must be a positive number`);
    return value;
  };
  const allowedHosts = network.allowedHosts ?? [];
  if (!Array.isArray(allowedHosts) || allowedHosts.some((host) => typeof host !== 'string' || host === '')) {
    throw new Error('artifacts.network.allowedHosts must be a list of host names');
  }
  return {
    maxDownloadBytes: positive('maxDownloadBytes', block.maxDownloadBytes, DEFAULT_MAX_DOWNLOAD_BYTES),
    timeoutSeconds: positive('timeoutSeconds', block.timeoutSeconds, 60),
    network: { allowedHosts: allowedHosts as string[], allowPrivateAddresses: network.allowPrivateAddresses === true },
  };
}
