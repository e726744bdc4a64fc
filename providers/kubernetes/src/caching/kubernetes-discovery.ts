import { KubernetesApiError } from '../kubernetes-api-error.js';
import type { KubernetesClient } from '../kubernetes-client.js';

/** One resource of a served group version, as its `APIResourceList` describes it. */
export interface ServedResource {
  readonly name: string;
  readonly kind: string;
  readonly namespaced: boolean;
  readonly verbs: readonly string[];
}

interface Snapshot {
  readonly at: number;
  /** Group → served versions, the preferred one first; `''` is the core group (`/api`). */
  readonly groups: Map<string, string[]>;
  /** Group version → its resources (fetched when first asked for), `undefined` when not served. */
  readonly resources: Map<string, Promise<ServedResource[] | undefined>>;
}

export interface KubernetesDiscoveryOptions {
  /** How long a discovery snapshot is trusted before `/api` and `/apis` are read again (default 5 min). */
  readonly refreshMs?: number;
  readonly now?: () => number;
}

/**
 * What one cluster serves, from its discovery documents: `/api` and `/apis` (group → versions,
 * preferred first), and each group version's resource list, read only when a kind needs it (a
 * cluster serves dozens of group versions; a few are ever asked for). The snapshot is reused until
 * `refreshMs` passes or {@link invalidate} is called (after a 404 on a path discovery promised).
 */
export class KubernetesDiscovery {
  private snapshot: Promise<Snapshot> | undefined;
  private readonly refreshMs: number;
  private readonly now: () => number;

  constructor(
    private readonly client: KubernetesClient,
    options: KubernetesDiscoveryOptions = {},
  ) {
    this.refreshMs = options.refreshMs ?? 300_000;
    this.now = options.now ?? Date.now;
  }

  /** Forget the snapshot: the next question reads discovery again. */
  invalidate(): void {
    this.snapshot = undefined;
  }

  /** When the snapshot in use was read (undefined before the first read). */
  async readAt(): Promise<number | undefined> {
    return this.snapshot ? (await this.snapshot.catch(() => undefined))?.at : undefined;
  }

  /** Served versions of a group (`''` for core), the preferred one first; empty when not served. */
  async versions(group: string): Promise<string[]> {
    return (await this.current()).groups.get(group) ?? [];
  }

  /** The resource `plural` in `apiVersion`, or undefined when the cluster does not serve it there. */
  async resource(apiVersion: string, plural: string): Promise<ServedResource | undefined> {
    const snapshot = await this.current();
    const group = apiVersion.includes('/') ? apiVersion.split('/')[0]! : '';
    const version = apiVersion.includes('/') ? apiVersion.split('/')[1]! : apiVersion;
    if (!(snapshot.groups.get(group) ?? []).includes(version)) return undefined;
    let resources = snapshot.resources.get(apiVersion);
    if (!resources) {
      resources = this.readResources(apiVersion);
      snapshot.resources.set(apiVersion, resources);
      // A failed read is not remembered: the next question asks again.
      resources.catch(() => snapshot.resources.delete(apiVersion));
    }
    return (await resources)?.find((r) => r.name === plural);
  }

  private async current(): Promise<Snapshot> {
    const held = this.snapshot;
    if (held) {
      const snapshot = await held;
      if (this.now() - snapshot.at < this.refreshMs) return snapshot;
      if (this.snapshot === held) this.snapshot = undefined;
    }
    // One read at a time: callers arriving meanwhile share it.
    if (!this.snapshot || this.snapshot === held) {
      const loading = this.load();
      this.snapshot = loading;
      loading.catch(() => {
        if (this.snapshot === loading) this.snapshot = undefined;
      });
    }
    return this.snapshot;
  }

  private async load(): Promise<Snapshot> {
    const [core, apis] = await Promise.all([
      this.client.discover<{ versions?: string[] }>('/api'),
      this.client.discover<{ groups?: { name: string; versions?: { version: string }[]; preferredVersion?: { version: string } }[] }>('/apis'),
    ]);
    const groups = new Map<string, string[]>();
    groups.set('', core.versions ?? []);
    for (const group of apis.groups ?? []) {
      const versions = (group.versions ?? []).map((v) => v.version);
      const preferred = group.preferredVersion?.version;
      groups.set(group.name, preferred && versions.includes(preferred) ? [preferred, ...versions.filter((v) => v !== preferred)] : versions);
    }
    return { at: this.now(), groups, resources: new Map() };
  }

  private async readResources(apiVersion: string): Promise<ServedResource[] | undefined> {
    const path = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
    try {
      const list = await this.client.discover<{ resources?: ServedResource[] }>(path);
      // Subresources (`deployments/scale`) are not kinds of their own.
      return (list.resources ?? []).filter((r) => !r.name.includes('/'));
    } catch (error) {
      if (error instanceof KubernetesApiError && error.notFound) return undefined;
      throw error;
    }
  }
}
