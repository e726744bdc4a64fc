import type { CallerAccess } from '@stratus/core';

/** A serialised `/credentials` answer and the ETag express would give it. */
export interface CachedCredentialsList {
  readonly version: number;
  readonly body: Buffer;
  readonly etag: string | undefined;
}

/**
 * The serialised `GET /credentials` list (summaries, not `expand=true`, whose provider fields may
 * change in place) per caller access, reused while the account registry's version is unchanged:
 * Deck and Gate poll it, and building summaries, serialising and hashing them was most of its cost.
 *
 * Keyed by `CallerAccess.viewKey` (callers with equal access see equal lists); a caller whose
 * resolver names no view key is never cached, so no list is ever shared across different access.
 * Every account added, replaced or removed moves the version, so the next request rebuilds.
 */
export class CredentialsListCache {
  private readonly entries = new Map<string, CachedCredentialsList>();

  constructor(private readonly maxEntries = 256) {}

  /** The cached list for this access at `version`, or undefined. */
  get(access: CallerAccess, version: number): CachedCredentialsList | undefined {
    const key = access.viewKey;
    if (key === undefined) return undefined;
    const entry = this.entries.get(key);
    return entry?.version === version ? entry : undefined;
  }

  /** Keeps `entry` for callers with this access (nothing when the access has no view key). */
  set(access: CallerAccess, entry: CachedCredentialsList): void {
    const key = access.viewKey;
    if (key === undefined) return;
    this.entries.delete(key); // re-insert: oldest first when over budget
    this.entries.set(key, entry);
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value!;
      this.entries.delete(oldest);
    }
  }
}
