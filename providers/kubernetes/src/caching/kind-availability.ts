import type { Logger } from '@stratus/plugin-api';
import type { KubernetesAccount } from '../accounts/kubernetes-account.js';
import { KubernetesApiError } from '../kubernetes-api-error.js';
import type { KubernetesClient } from '../kubernetes-client.js';
import type { KubernetesDiscovery } from './kubernetes-discovery.js';
import { ALTERNATIVE_API_VERSIONS, BUILT_IN_KINDS, CUSTOM_RESOURCE_DEFINITION_KIND, kindOfCrd, type KubernetesKind } from '../kubernetes-kind.js';

/** Whether one kind of an account is cached, and why not when it is not. */
export interface KindStatus {
  /** `Deployment`, or `<Kind>.<group>` for custom resources. */
  readonly kind: string;
  readonly cacheType: string;
  /** The group version it is listed on (the one the cluster serves). */
  readonly apiVersion?: string;
  /** `cached`; `unreadable`: listing it answered 403 or 404; `unserved`: discovery does not list it. */
  readonly status: 'cached' | 'unreadable' | 'unserved';
  readonly reason?: string;
  /** Since when (epoch ms) it is in this status. */
  readonly since: number;
  /** `crd` when it came from the cluster's CustomResourceDefinitions (`cacheAllCustomResources`). */
  readonly source: 'account' | 'crd';
}

export interface KindAvailabilityOptions {
  /** How long an unreadable kind is left out before it is listed again (RBAC changes; default 5 min). */
  readonly recheckMs?: number;
  readonly now?: () => number;
}

interface State {
  status: KindStatus;
  /** An unreadable kind is next tried at this time. */
  recheckAt?: number;
}

/**
 * Decides which kinds an account's relist lists: each configured kind on the group version the
 * cluster serves (discovery), plus, with `cacheAllCustomResources`, the kinds of the cluster's
 * CustomResourceDefinitions. A kind the cluster does not serve, or that cannot be listed (403, 404),
 * is left out with one warning naming account, kind and reason, and tried again after `recheckMs`
 * (unreadable) or when discovery is read again (unserved); the other kinds are cached as usual.
 */
export class KindAvailability {
  private readonly states = new Map<string, State>();
  private customKinds: KubernetesKind[] = [];
  private readonly recheckMs: number;
  private readonly now: () => number;

  constructor(
    private readonly account: KubernetesAccount,
    private readonly client: KubernetesClient,
    private readonly discovery: KubernetesDiscovery,
    private readonly logger: Logger,
    options: KindAvailabilityOptions = {},
  ) {
    this.recheckMs = options.recheckMs ?? 300_000;
    this.now = options.now ?? Date.now;
  }

  /** Custom resource kinds found in the cluster's CRDs (beyond the account's own kinds). */
  discoveredKinds(): readonly KubernetesKind[] {
    return this.customKinds;
  }

  statuses(): KindStatus[] {
    return [...this.states.values()].map((s) => s.status).sort((a, b) => a.kind.localeCompare(b.kind));
  }

  /**
   * The kinds to list now, resolved to served group versions. Throws only when the cluster did not
   * answer at all (discovery unreachable).
   */
  async kindsToList(): Promise<KubernetesKind[]> {
    const wanted: { kind: KubernetesKind; source: KindStatus['source'] }[] = this.account.cachedKinds.map((kind) => ({ kind, source: 'account' }));
    if (this.account.cacheAllCustomResources) {
      const own = new Set(wanted.map((w) => w.kind.cacheType));
      for (const kind of await this.readCustomKinds()) if (!own.has(kind.cacheType)) wanted.push({ kind, source: 'crd' });
    }
    const wantedTypes = new Set(wanted.map((w) => w.kind.cacheType));
    for (const cacheType of this.states.keys()) {
      // A CRD deleted from the cluster: its kind is simply no longer wanted.
      if (!wantedTypes.has(cacheType) && cacheType !== CUSTOM_RESOURCE_DEFINITION_KIND.cacheType) this.states.delete(cacheType);
    }
    const toList: KubernetesKind[] = [];
    for (const { kind, source } of wanted) {
      const state = this.states.get(kind.cacheType);
      if (state?.status.status === 'unreadable' && this.now() < (state.recheckAt ?? 0)) continue;
      // A CRD names its served version itself (and is newer than any discovery snapshot).
      const resolved = source === 'crd' ? kind : await this.resolve(kind);
      if (typeof resolved === 'string') this.mark(kind, source, 'unserved', resolved);
      else toList.push(resolved);
    }
    return toList;
  }

  /** The kind was listed: it is cached. */
  listed(kind: KubernetesKind): void {
    this.mark(kind, this.sourceOf(kind), 'cached');
  }

  /** Listing the kind answered 403 or 404: leave it out until the recheck. */
  cannotList(kind: KubernetesKind, error: KubernetesApiError): void {
    if (error.notFound) this.discovery.invalidate();
    this.mark(kind, this.sourceOf(kind), 'unreadable', error.message);
  }

  private sourceOf(kind: KubernetesKind): KindStatus['source'] {
    return this.customKinds.some((k) => k.cacheType === kind.cacheType) && !this.account.cachedKinds.some((k) => k.cacheType === kind.cacheType)
      ? 'crd'
      : 'account';
  }

  /** The kind on the first group version the cluster serves it on, or why it is not served. */
  private async resolve(kind: KubernetesKind): Promise<KubernetesKind | string> {
    const candidates = new Set(ALTERNATIVE_API_VERSIONS[kind.cacheType] ?? [kind.apiVersion]);
    try {
      if (!ALTERNATIVE_API_VERSIONS[kind.cacheType]) {
        for (const version of await this.discovery.versions(kind.group)) candidates.add(kind.group === '' ? version : `${kind.group}/${version}`);
      }
      for (const apiVersion of candidates) {
        const served = await this.discovery.resource(apiVersion, kind.plural);
        if (!served) continue;
        const group = apiVersion.includes('/') ? apiVersion.split('/')[0]! : '';
        return { ...kind, apiVersion, group, namespaced: served.namespaced };
      }
    } catch (error) {
      const apiError = KubernetesApiError.from(error, 'discovery');
      if (apiError.code === 0) throw apiError;
      // Discovery itself refused (some locked-down clusters): list as configured and let the list tell.
      this.logger.debug({ account: this.account.name, error: apiError.message }, 'discovery failed; listing kinds as configured');
      return kind;
    }
    return `the cluster serves none of ${[...candidates].join(', ')} (${kind.plural})`;
  }

  private async readCustomKinds(): Promise<KubernetesKind[]> {
    const crd = CUSTOM_RESOURCE_DEFINITION_KIND;
    const state = this.states.get(crd.cacheType);
    if (state && state.status.status !== 'cached' && this.now() < (state.recheckAt ?? 0)) return this.customKinds;
    try {
      const { items } = await this.client.list(crd);
      this.customKinds = items.flatMap((item) => kindOfCrd(item) ?? []);
      this.mark(crd, 'account', 'cached');
    } catch (error) {
      const apiError = KubernetesApiError.from(error, `list ${crd.kind}`);
      if (apiError.code === 0) throw apiError;
      this.customKinds = [];
      this.mark(crd, 'account', apiError.notFound ? 'unserved' : 'unreadable', apiError.message);
    }
    return this.customKinds;
  }

  private mark(kind: KubernetesKind, source: KindStatus['source'], status: KindStatus['status'], reason?: string): void {
    const previous = this.states.get(kind.cacheType);
    const builtIn = kind === CUSTOM_RESOURCE_DEFINITION_KIND || BUILT_IN_KINDS.some((k) => k.cacheType === kind.cacheType);
    const name = builtIn ? kind.kind : `${kind.kind}.${kind.group}`;
    const changed = previous?.status.status !== status;
    const next: State = {
      status: {
        kind: name,
        cacheType: kind.cacheType,
        apiVersion: kind.apiVersion,
        status,
        ...(reason !== undefined ? { reason } : {}),
        since: changed ? this.now() : previous!.status.since,
        source,
      },
      ...(status === 'unreadable' || (status === 'unserved' && kind === CUSTOM_RESOURCE_DEFINITION_KIND) ? { recheckAt: this.now() + this.recheckMs } : {}),
    };
    this.states.set(kind.cacheType, next);
    if (!changed) return;
    const context = { account: this.account.name, kind: name, reason };
    if (status === 'unreadable') {
      this.logger.warn(context, `Kind ${name} will not be cached in account '${this.account.name}' because it cannot be listed: ${reason}`);
    } else if (status === 'unserved') {
      this.logger.warn(context, `Kind ${name} will not be cached in account '${this.account.name}' because the cluster does not serve it: ${reason}`);
    } else if (previous) {
      this.logger.info(
        { account: this.account.name, kind: name, apiVersion: kind.apiVersion },
        `Kind ${name} is cached again in account '${this.account.name}'`,
      );
    }
  }
}
