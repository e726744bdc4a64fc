import { cacheData, type CacheData } from '@stratus/plugin-api';
import type { NimbusGroup } from './nimbus-client.js';
import { NimbusKeys, NimbusTypes } from './nimbus-keys.js';
import { monikerOf, parseName } from './names.js';

/** What one describe of a region turns into, per CATS type. */
export type NimbusCacheResults = Record<string, CacheData[]>;

/**
 * The cache items for a list of groups of one account and region: server groups and instances (the
 * agent's authoritative types) plus the clusters and applications they belong to (informative: other
 * regions' agents contribute to the same cluster and application items).
 */
export function groupCacheResults(account: string, region: string, groups: readonly NimbusGroup[]): NimbusCacheResults {
  const results: NimbusCacheResults = { serverGroups: [], instances: [], clusters: [], applications: [] };
  const clusters = new Map<string, { app: string; cluster: string; serverGroups: string[] }>();
  for (const group of groups) {
    const { app, cluster } = parseName(group.name);
    const groupKey = NimbusKeys.serverGroup(account, region, group.name);
    const clusterKey = NimbusKeys.cluster(app, account, cluster);
    const instanceKeys = group.instances.map((instance) => NimbusKeys.instance(account, region, instance.id));
    results.serverGroups!.push(
      cacheData(
        groupKey,
        {
          name: group.name,
          account,
          region,
          application: app,
          cluster,
          image: group.image,
          disabled: group.disabled,
          createdTime: group.createdAt,
          capacity: { min: group.min, max: group.max, desired: group.desired },
          moniker: monikerOf(group.name),
        },
        { clusters: [clusterKey], instances: instanceKeys },
      ),
    );
    for (const instance of group.instances) {
      results.instances!.push(
        cacheData(
          NimbusKeys.instance(account, region, instance.id),
          { name: instance.id, account, region, zone: instance.zone, state: instance.state, launchTime: instance.launchedAt, serverGroup: group.name },
          { serverGroups: [groupKey] },
        ),
      );
    }
    const entry = clusters.get(clusterKey) ?? { app, cluster, serverGroups: [] };
    entry.serverGroups.push(groupKey);
    clusters.set(clusterKey, entry);
  }
  const apps = new Map<string, string[]>();
  for (const [clusterKey, { app, cluster, serverGroups }] of clusters) {
    results.clusters!.push(
      cacheData(
        clusterKey,
        { name: cluster, application: app, account, moniker: monikerOf(cluster) },
        { serverGroups, applications: [NimbusKeys.application(app)] },
      ),
    );
    apps.set(app, [...(apps.get(app) ?? []), clusterKey]);
  }
  for (const [app, clusterKeys] of apps) {
    results.applications!.push(cacheData(NimbusKeys.application(app), { name: app.toLowerCase() }, { clusters: clusterKeys }));
  }
  return results;
}

/** Which types the region agent owns outright; the others it only contributes to. */
export const AUTHORITATIVE_TYPES = [NimbusTypes.serverGroups, NimbusTypes.instances] as const;
