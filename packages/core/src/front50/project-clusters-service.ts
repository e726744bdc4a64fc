import { parseServerGroupName, type ClusterView, type InstanceCounts, type ServerGroupView } from '@stratus/plugin-api';
import type { ReadModelRegistry } from '../providers/read-model-registry.js';
import { isDisabled } from '../read/target-server-group.js';
import { canAccessApplication, type CallerAccess } from '../security/caller-access.js';
import type { Front50Client, Front50Project, Front50ProjectCluster } from './front50-client.js';

/** One project cluster across its applications (Clouddriver's `ProjectClustersService.ClusterModel`). */
export interface ProjectClusterView {
  readonly account: string;
  readonly stack?: string;
  readonly detail?: string;
  readonly applications: ApplicationClustersView[];
  readonly instanceCounts: InstanceCounts;
}

/** One application's part of a project cluster, by region. */
export interface ApplicationClustersView {
  readonly application: string;
  readonly clusters: RegionClusterView[];
  /** The newest `deployed` of any region (0 when none). */
  readonly lastPush: number;
}

export interface RegionClusterView {
  readonly region: string;
  readonly builds: DeployedBuildView[];
  readonly instanceCounts: InstanceCounts;
  readonly lastPush: number;
}

/** A Jenkins build running in a region: from the first image's `buildInfo.jenkins`. */
export interface DeployedBuildView {
  readonly host?: string;
  readonly job?: string;
  readonly buildNumber: string;
  /** The newest `createdTime` of the server groups running it. */
  readonly deployed: number;
  readonly images: unknown[];
}

const zeroCounts = (): { -readonly [K in keyof InstanceCounts]: number } => ({ total: 0, up: 0, down: 0, unknown: 0, outOfService: 0, starting: 0 });

function addCounts(target: { -readonly [K in keyof InstanceCounts]: number }, source: Partial<InstanceCounts> | undefined): void {
  for (const key of ['total', 'up', 'down', 'unknown', 'outOfService', 'starting'] as const) target[key] += Number(source?.[key] ?? 0);
}

/** `null` and `undefined` alike; an empty stack or detail is absent too (Frigga's rule). */
const orNull = (value: string | null | undefined): string | null => (value === undefined || value === null || value === '' ? null : value);

/** Clouddriver's `nameMatches`: both absent, or equal, or the project says `*`. */
export function nameMatches(clusterValue: string | null, projectValue: string | null): boolean {
  if (projectValue === null) return clusterValue === null;
  return projectValue === '*' || projectValue === clusterValue;
}

function matchesProjectCluster(cluster: ClusterView, projectCluster: Front50ProjectCluster): boolean {
  const parts = parseServerGroupName(cluster.name);
  return (
    cluster.accountName === projectCluster.account &&
    nameMatches(orNull(parts.stack), orNull(projectCluster.stack)) &&
    nameMatches(orNull(parts.detail), orNull(projectCluster.detail))
  );
}

/**
 * `GET /projects/{project}/clusters` (Clouddriver's `ProjectClustersService`): the project comes
 * from Front50; for each of its applications every provider's cluster model lists the clusters,
 * those matching one of the project's clusters (account equal, stack and detail equal or `*`) are
 * read in full, and each project cluster gets, per application, the enabled server groups with
 * instances grouped by region with their instance counts and deployed Jenkins builds. Accounts
 * the caller cannot READ contribute nothing, as if they had no clusters.
 */
export class ProjectClustersService {
  constructor(
    private readonly front50: Front50Client,
    private readonly registry: ReadModelRegistry,
  ) {}

  /** The project's clusters, or undefined when Front50 does not know the project. */
  async projectClusters(access: CallerAccess, projectName: string): Promise<ProjectClusterView[] | undefined> {
    const project = await this.front50.getProject(projectName.toLowerCase());
    if (!project) return undefined;
    return this.clustersOf(access, project);
  }

  async clustersOf(access: CallerAccess, project: Front50Project): Promise<ProjectClusterView[]> {
    const projectClusters = project.config?.clusters ?? [];
    const projectApplications = project.config?.applications ?? [];
    const byApplication = new Map<string, ClusterView[]>();
    await Promise.all(
      [...new Set(projectApplications)].map(async (application) => byApplication.set(application, await this.retrieve(access, application, projectClusters))),
    );
    return projectClusters.map((projectCluster) => {
      const applications = (projectCluster.applications ?? projectApplications).map((application) =>
        applicationClusters(
          application,
          (byApplication.get(application) ?? []).filter((cluster) => matchesProjectCluster(cluster, projectCluster)),
        ),
      );
      const instanceCounts = zeroCounts();
      for (const application of applications) for (const region of application.clusters) addCounts(instanceCounts, region.instanceCounts);
      const stack = orNull(projectCluster.stack);
      const detail = orNull(projectCluster.detail);
      // Clouddriver's JSON leaves null fields out.
      return { account: projectCluster.account, ...(stack !== null ? { stack } : {}), ...(detail !== null ? { detail } : {}), applications, instanceCounts };
    });
  }

  /** Every readable cluster of `application` that matches one of the project's clusters, with details. */
  private async retrieve(access: CallerAccess, application: string, projectClusters: readonly Front50ProjectCluster[]): Promise<ClusterView[]> {
    // With Fiat, an application the caller may not READ contributes no clusters (it stays listed, as Front50's project names it).
    if (!canAccessApplication(access, application, 'READ')) return [];
    const perProvider = await Promise.all(
      this.registry.all('clusters').map(async ({ model }) => {
        const summaries = (await model.getClusters(application, false)).filter(
          (cluster) => access.canReadAccount(cluster.accountName) && projectClusters.some((projectCluster) => matchesProjectCluster(cluster, projectCluster)),
        );
        const expanded = await Promise.all(
          summaries.map((cluster) => model.getCluster(cluster.moniker?.app ?? application, cluster.accountName, cluster.name, true)),
        );
        return expanded.filter((cluster): cluster is ClusterView => cluster !== undefined);
      }),
    );
    return perProvider.flat();
  }
}

function applicationClusters(application: string, clusters: readonly ClusterView[]): ApplicationClustersView {
  type Build = { host: string | null; job: string | null; buildNumber: string; deployed: number; images: unknown[] };
  const regions = new Map<string, { region: string; builds: Build[]; instanceCounts: ReturnType<typeof zeroCounts> }>();
  for (const serverGroup of clusters.flatMap((cluster) => cluster.serverGroups)) {
    if (!serverGroup || isDisabled(serverGroup) || Number(serverGroup.instanceCounts?.total ?? 0) <= 0) continue;
    let region = regions.get(serverGroup.region);
    if (!region) regions.set(serverGroup.region, (region = { region: serverGroup.region, builds: [], instanceCounts: zeroCounts() }));
    addCounts(region.instanceCounts, serverGroup.instanceCounts);
    const build = jenkinsBuild(serverGroup);
    const images = buildImages(serverGroup);
    const createdTime = Number(serverGroup.createdTime ?? 0);
    const existing = region.builds.find((b) => b.buildNumber === build.number && b.host === build.host && b.job === build.name);
    if (existing) {
      existing.deployed = Math.max(existing.deployed, createdTime);
      for (const image of images ?? []) if (image !== null && image !== undefined && !existing.images.includes(image)) existing.images.push(image);
    } else {
      region.builds.push({ host: build.host, job: build.name, buildNumber: build.number, deployed: createdTime, images: [...(images ?? [])] });
    }
  }
  const regionViews = [...regions.values()]
    .sort((a, b) => a.region.localeCompare(b.region))
    .map((region) => ({
      region: region.region,
      builds: region.builds.map(({ host, job, ...build }) => ({ ...(host !== null ? { host } : {}), ...(job !== null ? { job } : {}), ...build })),
      instanceCounts: region.instanceCounts,
      lastPush: Math.max(0, ...region.builds.map((build) => build.deployed)),
    }));
  return { application, clusters: regionViews, lastPush: Math.max(0, ...regionViews.map((region) => region.lastPush)) };
}

/** The first image summary's `buildInfo` (`imagesSummary.summaries[0]`), else the view's own `buildInfo`. */
function buildInfoOf(serverGroup: ServerGroupView): Record<string, unknown> | undefined {
  const summaries = (serverGroup.imagesSummary as { summaries?: unknown } | undefined)?.summaries;
  const first = Array.isArray(summaries) ? (summaries[0] as { buildInfo?: unknown } | undefined) : undefined;
  const buildInfo = first ? first.buildInfo : serverGroup.buildInfo;
  return buildInfo && typeof buildInfo === 'object' && !Array.isArray(buildInfo) ? (buildInfo as Record<string, unknown>) : undefined;
}

function jenkinsBuild(serverGroup: ServerGroupView): { number: string; host: string | null; name: string | null } {
  const jenkins = buildInfoOf(serverGroup)?.jenkins;
  if (!jenkins || typeof jenkins !== 'object' || Array.isArray(jenkins)) return { number: '0', host: null, name: null };
  const info = jenkins as Record<string, unknown>;
  const text = (value: unknown) => (value === undefined || value === null ? null : String(value));
  return { number: text(info.number) ?? '0', host: text(info.host), name: text(info.name) };
}

function buildImages(serverGroup: ServerGroupView): unknown[] | undefined {
  const images = buildInfoOf(serverGroup)?.images;
  return Array.isArray(images) ? images : undefined;
}
