import type { ApplicationReadModel, ApplicationView, ProviderCache } from '@stratus/plugin-api';
import { APPLICATIONS_TYPE, CLUSTERS_TYPE } from '../kubernetes-keys.js';
import type { KubernetesClusterReadModel } from './kubernetes-cluster-read-model.js';

/**
 * Kubernetes applications: every application with a cached cluster, plus applications that only
 * have other annotated resources (their application item exists but names no cluster).
 */
export class KubernetesApplicationReadModel implements ApplicationReadModel {
  constructor(
    private readonly cache: ProviderCache,
    private readonly clusters: KubernetesClusterReadModel,
  ) {}

  async getApplications(expand: boolean): Promise<ApplicationView[]> {
    const names = new Map<string, Record<string, string[]>>();
    for (const cluster of await this.cache.getAll(CLUSTERS_TYPE, { relationshipPrefixes: [] })) {
      const app = String(cluster.attributes.application);
      const byAccount = names.get(app) ?? {};
      (byAccount[String(cluster.attributes.account)] ??= []).push(String(cluster.attributes.name));
      names.set(app, byAccount);
    }
    for (const item of await this.cache.getAll(APPLICATIONS_TYPE, { relationshipPrefixes: [] })) {
      const app = String(item.attributes.name);
      if (!names.has(app)) names.set(app, {});
    }
    return [...names]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, clusterNames]) => ({ name, attributes: { name, cloudProviders: 'kubernetes' }, clusterNames: expand ? clusterNames : {} }));
  }

  async getApplication(name: string): Promise<ApplicationView | undefined> {
    const clusterNames = await this.clusters.getClusterNames(name);
    if (Object.keys(clusterNames).length === 0) {
      const items = await this.cache.getAll(APPLICATIONS_TYPE, { relationshipPrefixes: [] });
      if (!items.some((item) => item.attributes.name === name)) return undefined;
    }
    return { name, attributes: { name, cloudProviders: 'kubernetes' }, clusterNames };
  }
}
