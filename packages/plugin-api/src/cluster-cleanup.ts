import type { Cache } from './cache.js';
import type { CacheResult } from './cache-result.js';

/**
 * What a cluster cleanup agent (Clouddriver's `ClusterCleanupAgent`) returns: explicit evictions of
 * the `clusters` none of whose `serverGroups` exist any more, and of the `applications` left without
 * a live cluster. Regional caching agents are only informative for clusters and applications (a
 * cluster spans regions, so no single agent can tell one is gone); a housekeeping agent not bound to
 * an account decides from the cache instead. Uses Clouddriver's standard type names `clusters`,
 * `serverGroups` and `applications` and their relationships; `introspectionDetails` counts both.
 */
export async function clusterCleanupResult(cache: Cache): Promise<CacheResult> {
  const clusters = await cache.getAll('clusters', { relationshipPrefixes: ['serverGroups'] });
  const referenced = [...new Set(clusters.flatMap((cluster) => cluster.relationships.serverGroups ?? []))];
  const existing = new Set(await cache.existingIdentifiers('serverGroups', referenced));
  const deadClusters = clusters.filter((cluster) => !(cluster.relationships.serverGroups ?? []).some((id) => existing.has(id))).map((cluster) => cluster.id);

  const dead = new Set(deadClusters);
  const liveClusters = new Set(clusters.map((cluster) => cluster.id).filter((id) => !dead.has(id)));
  const applications = await cache.getAll('applications', { relationshipPrefixes: ['clusters'] });
  const deadApplications = applications.filter((app) => !(app.relationships.clusters ?? []).some((id) => liveClusters.has(id))).map((app) => app.id);

  return {
    cacheResults: {},
    evictions: { clusters: deadClusters, applications: deadApplications },
    introspectionDetails: { evictedClusters: deadClusters.length, evictedApplications: deadApplications.length },
  };
}
