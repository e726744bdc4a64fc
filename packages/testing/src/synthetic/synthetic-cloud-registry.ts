import type { SyntheticAccountCredentials } from './synthetic-account.js';
import { SyntheticCloud } from './synthetic-cloud.js';

/**
 * The fake clouds of the synthetic provider, one per account. A test that loads the provider (even
 * through the server, by package name) reaches the same clouds here, to change them behind the
 * provider's back.
 */
export class SyntheticCloudRegistry {
  private readonly clouds = new Map<string, { cloud: SyntheticCloud; fingerprint: string }>();

  constructor(private readonly now: () => number = Date.now) {}

  /** The cloud of an account; created from the account's seed and sizes, recreated when they change. */
  forAccount(account: SyntheticAccountCredentials): SyntheticCloud {
    const fingerprint = JSON.stringify([
      account.regions.map((r) => r.name),
      account.seed,
      account.applications,
      account.serverGroupsPerApplication,
      account.instancesPerServerGroup,
    ]);
    const existing = this.clouds.get(account.name);
    if (existing && existing.fingerprint === fingerprint) return existing.cloud;
    const cloud = new SyntheticCloud({
      account: account.name,
      regions: account.regions.map((r) => r.name),
      seed: account.seed,
      applications: account.applications,
      serverGroupsPerApplication: account.serverGroupsPerApplication,
      instancesPerServerGroup: account.instancesPerServerGroup,
      now: this.now,
    });
    this.clouds.set(account.name, { cloud, fingerprint });
    return cloud;
  }

  get(account: string): SyntheticCloud | undefined {
    return this.clouds.get(account)?.cloud;
  }

  delete(account: string): void {
    this.clouds.delete(account);
  }

  accounts(): string[] {
    return [...this.clouds.keys()];
  }
}

/**
 * The registry the provider's default export uses: process-wide (under a `Symbol.for` key, so two
 * copies of this module share it), so tests reach the clouds of a server loaded in-process.
 */
export function defaultSyntheticClouds(): SyntheticCloudRegistry {
  const key = Symbol.for('stratus:synthetic-clouds');
  const holder = globalThis as unknown as Record<symbol, SyntheticCloudRegistry | undefined>;
  return (holder[key] ??= new SyntheticCloudRegistry());
}
