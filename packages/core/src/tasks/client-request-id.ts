import { createHash } from 'node:crypto';

/** Longest clientRequestId accepted: with the longest caller scope the stored key stays within 255 characters. */
export const MAX_CLIENT_REQUEST_ID_LENGTH = 200;
const MAX_READABLE_USER_LENGTH = 48;

/**
 * The key a clientRequestId is stored under: the id scoped to the caller, so one caller's id never
 * finds another caller's task (Clouddriver keys by the bare id; Orca never reads the key back).
 * `u=<encoded user>;<id>`, `h=<sha-256 of a long user name>;<id>` or `anon;<id>`: a scope holds no
 * `;`, so no two callers' keys can collide.
 */
export function scopedRequestId(user: string | undefined, clientRequestId: string): string {
  if (!user) return `anon;${clientRequestId}`;
  const encoded = encodeURIComponent(user);
  const scope = encoded.length <= MAX_READABLE_USER_LENGTH ? `u=${encoded}` : `h=${createHash('sha256').update(user).digest('hex').slice(0, 40)}`;
  return `${scope};${clientRequestId}`;
}

/** The clientRequestId as the caller sent it, from a stored (scoped) key; keys stored unscoped come back as they are. */
export function unscopedRequestId(stored: string): string {
  const match = /^(?:u=[^;]*|h=[0-9a-f]+|anon);/.exec(stored);
  return match ? stored.slice(match[0].length) : stored;
}
