import type { Moniker, ProviderCache } from '@stratus/plugin-api';
import { accountCoversNamespace } from '../accounts/kubernetes-account.js';
import type { Manifest } from '../kubernetes-client.js';
import { CLUSTERS_TYPE, clusterKey, parseInfrastructureKey } from '../kubernetes-keys.js';
import { EVENT_KIND, findKind } from '../kubernetes-kind.js';
import { monikerOf } from '../kubernetes-moniker.js';
import type { KubernetesRuntime } from '../accounts/kubernetes-runtime.js';
import { artifactsOf, type ManifestArtifact } from '../ops/manifest-artifacts.js';
import { manifestStatus, type ManifestStatus } from './manifest-status.js';
import { splitManifestName } from '../ops/manifest-operation-support.js';

/** Clouddriver's `KubernetesManifestContainer` JSON (`GET /manifests/{account}/{location}/{name}`). */
export interface ManifestView {
  readonly account: string;
  readonly name: string;
  readonly location: string;
  readonly moniker?: Moniker | undefined;
  readonly manifest: Manifest;
  readonly status: ManifestStatus;
  readonly artifacts: ManifestArtifact[];
  readonly events: Manifest[];
  readonly warnings: unknown[];
  readonly metrics: unknown[];
}

/** Coordinates returned by the cluster and dynamic-target lookups. */
export interface ManifestCoordinates {
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
}

/** A request the manifest reader cannot serve (the server maps `status` to the HTTP code). */
export class ManifestRequestError extends Error {
  constructor(
    readonly status: 400 | 404,
    message: string,
  ) {
    super(message);
    this.name = 'ManifestRequestError';
  }
}

export type DynamicTargetCriteria = 'newest' | 'second_newest' | 'oldest' | 'largest' | 'smallest';
const CRITERIA: readonly DynamicTargetCriteria[] = ['newest', 'second_newest', 'oldest', 'largest', 'smallest'];

/**
 * The live manifest reader behind `GET /manifests/…` (reads go to the cluster, as Clouddriver's
 * do: Orca polls them during deploys, so a cache would only add lag) and the cache-backed cluster
 * lookups behind `GET /manifests/{account}/{location}/{kind}/cluster/{app}/{cluster}[/dynamic/{target}]`.
 */
export class KubernetesManifestService {
  constructor(
    private readonly runtime: KubernetesRuntime,
    private readonly cache: ProviderCache,
  ) {}

  /**
   * `location` is the namespace; `_` (or empty) means none, for cluster-scoped kinds (namespaced
   * kinds then use `default`). `name` is `<kind> <name>`. `undefined` when it does not exist.
   */
  async getManifest(account: string, location: string, name: string, options: { includeEvents?: boolean } = {}): Promise<ManifestView | undefined> {
    const credentials = this.runtime.account(account);
    if (!credentials) throw new ManifestRequestError(404, `account "${account}" is not a configured Kubernetes account`);
    const parsed = splitManifestName(name);
    if (!parsed) throw new ManifestRequestError(400, `name "${name}" must be "<kind> <name>"`);
    const kind = findKind(credentials.knownKinds, parsed.kindName);
    if (!kind) throw new ManifestRequestError(400, `"${parsed.kindName}" is not a kind account ${account} knows`);
    const namespace = kind.namespaced ? (location === '' || location === '_' ? 'default' : location) : undefined;
    if (!accountCoversNamespace(credentials, namespace)) return undefined;
    const client = this.runtime.client(account);
    this.runtime.touch(account);
    const manifest = await client.get(kind, namespace, parsed.name);
    if (!manifest) return undefined;
    let events: Manifest[] = [];
    if (options.includeEvents !== false && namespace !== undefined) {
      // The server filters (a busy namespace has thousands of events); the check below keeps the
      // answer right against servers that ignore field selectors on events.
      const { items } = await client.list(EVENT_KIND, namespace, undefined, `involvedObject.name=${parsed.name},involvedObject.kind=${manifest.kind}`);
      events = items.filter(
        (e) =>
          e.involvedObject?.kind === manifest.kind &&
          e.involvedObject?.name === parsed.name &&
          (!e.involvedObject?.uid || e.involvedObject.uid === manifest.metadata?.uid),
      );
    }
    return {
      account,
      name: `${kind.cacheType} ${parsed.name}`,
      location: namespace ?? '',
      moniker: monikerOf(manifest, kind),
      manifest,
      status: manifestStatus(manifest),
      artifacts: artifactsOf(manifest),
      events,
      warnings: [],
      metrics: [],
    };
  }

  /** Every manifest of `kind` in a cluster and namespace, oldest first (from the cache). */
  async getClusterManifests(account: string, location: string, kindName: string, application: string, cluster: string): Promise<ManifestCoordinates[]> {
    return (await this.clusterMembers(account, location, kindName, application, cluster)).map((member) => member.coordinates);
  }

  /** `…/dynamic/{newest|second_newest|oldest|largest|smallest}`: one manifest of the cluster, or `undefined`. */
  async getDynamicTarget(
    account: string,
    location: string,
    kindName: string,
    application: string,
    cluster: string,
    criteria: string,
  ): Promise<ManifestCoordinates | undefined> {
    if (!CRITERIA.includes(criteria as DynamicTargetCriteria)) throw new ManifestRequestError(400, `target must be one of ${CRITERIA.join(', ')}`);
    const all = await this.clusterMembers(account, location, kindName, application, cluster);
    // Ties on size go to the newest, as Clouddriver's comparators do.
    const bySize = (direction: 1 | -1) => [...all].reverse().sort((a, b) => direction * (a.replicas - b.replicas))[0];
    const chosen = {
      newest: all[all.length - 1],
      second_newest: all[all.length - 2],
      oldest: all[0],
      largest: bySize(-1),
      smallest: bySize(1),
    }[criteria as DynamicTargetCriteria];
    return chosen?.coordinates;
  }

  private async clusterMembers(
    account: string,
    location: string,
    kindName: string,
    application: string,
    cluster: string,
  ): Promise<{ coordinates: ManifestCoordinates; replicas: number }[]> {
    const credentials = this.runtime.account(account);
    if (!credentials) throw new ManifestRequestError(404, `account "${account}" is not a configured Kubernetes account`);
    const kind = findKind(credentials.knownKinds, kindName);
    if (!kind) throw new ManifestRequestError(400, `"${kindName}" is not a kind account ${account} knows`);
    const item = await this.cache.get(CLUSTERS_TYPE, clusterKey(account, application, cluster));
    const keys = (item?.relationships[kind.cacheType] ?? []).filter((key) => parseInfrastructureKey(key)?.namespace === location);
    const members = await this.cache.getAllByIds(kind.cacheType, keys);
    return members
      .map((m) => ({ manifest: m.attributes.manifest as Manifest, key: parseInfrastructureKey(m.id)! }))
      .sort(
        (a, b) =>
          Date.parse(a.manifest.metadata?.creationTimestamp ?? '') - Date.parse(b.manifest.metadata?.creationTimestamp ?? '') ||
          generationOf(a.manifest) - generationOf(b.manifest) ||
          a.key.name.localeCompare(b.key.name),
      )
      .map(({ key, manifest }) => ({
        coordinates: { kind: kind.cacheType, namespace: key.namespace, name: key.name },
        replicas: manifest.spec?.replicas ?? 0,
      }));
  }
}

/**
 * Orders manifests created in the same second (timestamps have second resolution): the Deployment
 * revision of a ReplicaSet, else the moniker sequence.
 */
function generationOf(manifest: Manifest): number {
  const annotations = manifest.metadata?.annotations ?? {};
  const value = Number(annotations['deployment.kubernetes.io/revision'] ?? annotations['moniker.spinnaker.io/sequence'] ?? 0);
  return Number.isFinite(value) ? value : 0;
}
