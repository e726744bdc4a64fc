import type { CallerAccess } from '@stratus/core';
import type { Request, Response } from 'express';

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

  /**
   * Answers with the list for this access at `version`, built (by `build`) and kept on a miss. The
   * ETag is express's own, preset so express neither hashes the body again nor loses `304` answers.
   */
  send(req: Request, res: Response, access: CallerAccess, version: number, build: () => unknown[]): void {
    let cached = this.get(access, version);
    if (!cached) {
      const body = Buffer.from(JSON.stringify(build()));
      const etagOf = req.app.get('etag fn') as ((body: Buffer) => string | undefined) | undefined;
      cached = { version, body, etag: etagOf?.(body) };
      this.set(access, cached);
    }
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    if (cached.etag !== undefined) res.setHeader('ETag', cached.etag);
    res.send(cached.body);
  }

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
