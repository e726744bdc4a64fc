import type { CacheFilter } from '@stratus/plugin-api';

/** Whether a relationship name passes a filter (prefix match, as Clouddriver's RelationshipCacheFilter). */
export function relationshipAllowed(name: string, filter: CacheFilter | undefined): boolean {
  const prefixes = filter?.relationshipPrefixes;
  if (!prefixes) return true;
  for (const prefix of prefixes) if (name.startsWith(prefix)) return true;
  return false;
}
