/* eslint-disable max-lines -- to split after the dedupe merge (another helper is rewriting providers' caching/ now) */
import type { AgentOwnership, CacheData, CacheResult, Logger, ProviderCache } from '@stratus/plugin-api';
import { KindAvailability, type KindStatus } from './kind-availability.js';
import { accountCoversNamespace, type KubernetesAccount } from '../accounts/kubernetes-account.js';
import { KubernetesApiError } from '../kubernetes-api-error.js';
import type { KubernetesClient, ListResult, Manifest } from '../kubernetes-client.js';
import { KubernetesDiscovery } from './kubernetes-discovery.js';
import { buildInfrastructureItems, buildLogicalItems, keyOfObject, type AccountObject } from './kubernetes-cache-data.js';
import { APPLICATIONS_TYPE, CLUSTERS_TYPE } from '../kubernetes-keys.js';
import type { KubernetesKind } from '../kubernetes-kind.js';
import { MANAGED_BY_LABEL } from '../kubernetes-moniker.js';
import { definedOnly, mapLimit } from '@stratus/provider-kit';
import type { WatchBudget, WatchHolder } from './watch-budget.js';

/** One list+watch stream: a kind in one namespace, or cluster-wide when the account has no namespace list. */
interface WatchScope {
  readonly kind: KubernetesKind;
  readonly namespace: string | undefined;
  resourceVersion: string;
  controller?: AbortController | undefined;
  /** True while a watch is being opened or is open. */
  active: boolean;
  /** Set by a 410 Gone: relist this scope before watching again. */
  expired: boolean;
  retryMs: number;
  retryTimer?: NodeJS.Timeout | undefined;
  /** Bumped on every open and stop, so callbacks of a superseded stream change nothing. */
  generation: number;
  /** The open has waited longer than `watchConnectTimeoutMs` for the server's answer. */
  stalled?: boolean;
}

export interface AccountCacheSessionOptions {
  /** Events arriving within this many ms are written together (default 25). */
  readonly flushDelayMs?: number;
  /**
   * After a full relist is handed to the scheduler, namespaces changed by watch events in this
   * window are written again once it passes, so a slightly older full result stored after them
   * cannot leave the cache behind the cluster (default 1000).
   */
  readonly reassertWindowMs?: number;
  readonly maxRetryMs?: number;
  /** Lists in flight at once during a relist (default 6). */
  readonly listConcurrency?: number;
  /**
   * A watch whose response has not started after this long is reported as stalled in health (the
   * client cannot abort it before then; the periodic relist keeps the cache honest). Default 15 s.
   */
  readonly watchConnectTimeoutMs?: number;
  /** How long discovery (`/api`, `/apis`) is trusted before it is read again (default 5 min). */
  readonly discoveryRefreshMs?: number;
  /** How long a kind that cannot be listed (403/404) is left out before it is tried again (default 5 min). */
  readonly kindRecheckMs?: number;
  /** How often a replica watching an account checks it still owns the account's agent (default 5 s). */
  readonly ownershipCheckMs?: number;
}

export interface AccountCacheHealth {
  readonly account: string;
  readonly reachable: boolean | undefined;
  readonly lastRelistAt?: number | undefined;
  readonly lastError?: string | undefined;
  readonly watching: boolean;
  readonly openWatches: number;
  readonly objects: number;
  /** Watches still waiting for the server to answer after `watchConnectTimeoutMs`. */
  readonly stalledWatches: number;
  /** Per kind: cached, or left out (cannot be listed, not served) and why. */
  readonly kinds?: readonly KindStatus[];
}

/**
 * Keeps one account's cache current: an informer-style mirror of the cluster fed by a periodic full
 * relist (the caching agent's run, authoritative) and by watch streams (one per kind and namespace
 * scope) whose events are written at once as partial results of the same agent through the provider
 * cache. Watches resume from the last resourceVersion, relist on 410 Gone, back off on errors, and
 * only run while the account holds a {@link WatchBudget} slot.
 */
export class AccountCacheSession implements WatchHolder {
  /** namespace → cache key → object. */
  private readonly mirror = new Map<string, Map<string, AccountObject>>();
  private readonly scopes = new Map<string, WatchScope>();
  /** key → JSON of what this session last wrote (or handed out in a full result). */
  private lastWritten = new Map<string, string>();
  private readonly dirty = new Set<string>();
  private readonly reassert = new Set<string>();
  private flushTimer: NodeJS.Timeout | undefined;
  private reassertTimer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();
  private snapshotAt = 0;
  private watching = false;
  private disposed = false;
  private lastRelistAt?: number;
  private lastError: string | undefined;
  private reachable: boolean | undefined;
  /**
   * While a relist is in flight: what watch events did meanwhile (key → newest object, or
   * `undefined` for a deletion, with its resourceVersion), replayed over the fresh lists so an
   * older list result cannot undo a newer event.
   */
  private journal: Map<string, { object: AccountObject | undefined; resourceVersion: string | undefined }> | undefined;
  private readonly flushDelayMs: number;
  private readonly reassertWindowMs: number;
  private readonly maxRetryMs: number;
  private readonly listConcurrency: number;
  private readonly watchConnectTimeoutMs: number;
  private readonly ownershipCheckMs: number;
  /** What the cluster serves; shared with whoever needs it for this account. */
  readonly discovery: KubernetesDiscovery;
  readonly availability: KindAvailability;
  /** The scheduler's claim from the last run here; watch writes go through it. */
  private ownership?: AgentOwnership;
  /** Another replica took the agent: no watching and no writing until this replica runs it again. */
  private displaced = false;
  private ownershipTimer: NodeJS.Timeout | undefined;

  constructor(
    readonly account: KubernetesAccount,
    private readonly client: KubernetesClient,
    private readonly providerCache: ProviderCache,
    private readonly agentType: string,
    private readonly authoritativeTypes: readonly string[],
    private readonly budget: WatchBudget,
    private readonly logger: Logger,
    options: AccountCacheSessionOptions = {},
  ) {
    this.flushDelayMs = options.flushDelayMs ?? 25;
    this.reassertWindowMs = options.reassertWindowMs ?? 1000;
    this.maxRetryMs = options.maxRetryMs ?? 30_000;
    this.listConcurrency = options.listConcurrency ?? 6;
    this.watchConnectTimeoutMs = options.watchConnectTimeoutMs ?? 15_000;
    this.ownershipCheckMs = options.ownershipCheckMs ?? 5_000;
    this.discovery = new KubernetesDiscovery(client, definedOnly({ refreshMs: options.discoveryRefreshMs }));
    this.availability = new KindAvailability(account, client, this.discovery, logger, definedOnly({ recheckMs: options.kindRecheckMs }));
  }

  /** The authoritative types of the account's writes: its kinds, those found in CRDs, clusters. */
  currentAuthoritativeTypes(): string[] {
    const types = new Set(this.authoritativeTypes);
    for (const kind of this.availability.discoveredKinds()) types.add(kind.cacheType);
    return [...types];
  }

  /**
   * Lists every kind the cluster serves and lets this account list, replaces the mirror, starts
   * watches if allowed and returns the full result. A kind answering 403/404 is left out (see
   * {@link KindAvailability}); any other failure fails the run. `ownership` is the scheduler's
   * claim from this run: watch writes pass through it until another replica takes the agent.
   */
  // eslint-disable-next-line max-lines-per-function -- to split after the dedupe merge (another helper is rewriting providers' caching/ now)
  async relist(signal?: AbortSignal, ownership?: AgentOwnership): Promise<CacheResult> {
    if (this.disposed) throw new Error(`account ${this.account.name} was removed`);
    if (ownership) {
      this.ownership = ownership;
      this.displaced = false;
    }
    let lists: { scope: WatchScope; items: Manifest[]; resourceVersion: string }[];
    const journal = (this.journal = new Map());
    try {
      let kinds;
      try {
        kinds = await this.availability.kindsToList();
      } catch (error) {
        this.reachable = !(error instanceof KubernetesApiError) || error.code !== 0;
        throw error;
      }
      const scopes = this.scopeDefinitions(kinds);
      // Bounded: queued requests would otherwise spend their timeout waiting for a connection.
      const outcomes = await mapLimit(scopes, this.listConcurrency, async (scope) => {
        try {
          return { scope, result: await this.client.list(scope.kind, scope.namespace) };
        } catch (error) {
          return { scope, error: KubernetesApiError.from(error, `list ${scope.kind.kind}`) };
        }
      });
      this.reachable = outcomes.some((o) => !o.error || o.error.code !== 0);
      const unreadable = new Map<string, KubernetesApiError>();
      let failure: KubernetesApiError | undefined;
      for (const { scope, error } of outcomes) {
        if (!error) continue;
        if (error.code === 403 || error.code === 404) {
          if (!unreadable.has(scope.kind.cacheType)) unreadable.set(scope.kind.cacheType, error);
        } else failure ??= error;
      }
      if (failure) throw failure;
      for (const kind of kinds) {
        const error = unreadable.get(kind.cacheType);
        if (error) this.availability.cannotList(kind, error);
        else this.availability.listed(kind);
      }
      lists = outcomes
        .filter((o): o is { scope: WatchScope; result: ListResult } => !unreadable.has(o.scope.kind.cacheType) && o.result !== undefined)
        .map(({ scope, result }) => ({ scope, items: result.items, resourceVersion: result.resourceVersion }));
    } catch (error) {
      this.lastError = (error as Error).message;
      throw error;
    } finally {
      this.journal = undefined;
    }
    if (signal?.aborted) throw signal.reason ?? new Error('aborted');
    this.reachable = true;
    this.lastError = undefined;
    this.lastRelistAt = Date.now();

    this.mirror.clear();
    // Scopes of kinds no longer listed (left out, CRD deleted, served elsewhere now) stop watching.
    const listedScopes = new Set(lists.map(({ scope }) => scopeKey(scope)));
    for (const [key, scope] of this.scopes) {
      if (listedScopes.has(key)) continue;
      this.stopScope(scope);
      this.scopes.delete(key);
    }
    for (const { scope, items, resourceVersion } of lists) {
      for (const manifest of items) this.put({ kind: scope.kind, manifest });
      const existing = this.scopes.get(scopeKey(scope));
      if (existing) {
        // A healthy stream keeps running; events older than the fresh list are ignored per object.
        if (!existing.active) existing.resourceVersion = resourceVersion;
        existing.expired = false;
      } else this.scopes.set(scopeKey(scope), { ...scope, resourceVersion });
    }
    // An event at or below the revision its kind was listed at is already in the list.
    const listRevision = new Map<string, string>();
    for (const { scope, resourceVersion } of lists) {
      const known = listRevision.get(scope.kind.cacheType);
      if (known === undefined || isOlder(resourceVersion, known)) listRevision.set(scope.kind.cacheType, resourceVersion);
    }
    for (const [key, entry] of journal) {
      const listedAt = listRevision.get(key.split(':')[2]!);
      if (entry.resourceVersion === listedAt || isOlder(entry.resourceVersion, listedAt)) continue;
      const ns = key.split(':')[4]!.replace(/;/g, ':');
      const listed = this.mirror.get(ns)?.get(key);
      if (listed && !isOlder(listed.manifest.metadata?.resourceVersion, entry.resourceVersion)) continue;
      if (entry.object) this.put(entry.object);
      else this.mirror.get(ns)?.delete(key);
    }
    const result = this.fullResult();
    this.snapshotAt = Date.now();
    if (this.budget.tryAcquire(this.account.name, this)) this.startWatches();
    return result;
  }

  /** What the scheduler reports for this account's agent in `/cache/introspection`. */
  private introspection(objects: number): Record<string, unknown> {
    const kinds = this.availability.statuses();
    return {
      objects,
      watching: this.watching,
      kinds: Object.fromEntries(kinds.map((k) => [k.kind, k.status === 'cached' ? 'cached' : `${k.status}: ${k.reason ?? ''}`])),
    };
  }

  /** Called when the account is used (operation, live read): take a watch slot, evicting the LRU. */
  touch(): void {
    if (this.disposed || this.displaced || this.lastRelistAt === undefined) return;
    this.budget.promote(this.account.name, this);
    this.startWatches();
  }

  stopWatches(): void {
    this.watching = false;
    clearInterval(this.ownershipTimer);
    this.ownershipTimer = undefined;
    for (const scope of this.scopes.values()) this.stopScope(scope);
  }

  private stopScope(scope: WatchScope): void {
    scope.generation++;
    clearTimeout(scope.retryTimer);
    scope.controller?.abort();
    scope.controller = undefined;
    scope.active = false;
    scope.stalled = false;
  }

  /**
   * Another replica runs this account's agent now: stop watching and writing here (the mirror is
   * kept; this replica's next run of the agent, if any, relists and resumes).
   */
  private displace(): void {
    if (this.displaced || this.disposed) return;
    this.displaced = true;
    this.logger.info({ account: this.account.name }, `another replica owns the caching agent of account '${this.account.name}'; its watches stop here`);
    this.stopWatches();
    this.budget.release(this.account.name);
    this.dirty.clear();
    this.reassert.clear();
  }

  dispose(): void {
    this.disposed = true;
    this.stopWatches();
    this.budget.release(this.account.name);
    clearTimeout(this.flushTimer);
    clearTimeout(this.reassertTimer);
  }

  health(): AccountCacheHealth {
    let objects = 0;
    for (const ns of this.mirror.values()) objects += ns.size;
    return {
      account: this.account.name,
      reachable: this.reachable,
      lastRelistAt: this.lastRelistAt,
      lastError: this.lastError,
      watching: this.watching,
      openWatches: [...this.scopes.values()].filter((s) => s.controller !== undefined).length,
      objects,
      stalledWatches: [...this.scopes.values()].filter((s) => s.stalled).length,
      kinds: this.availability.statuses(),
    };
  }

  /** Resolves once every event received so far has been written to the cache. */
  async settled(): Promise<void> {
    if (this.flushTimer) {
      clearTimeout(this.flushTimer);
      this.flushTimer = undefined;
      this.scheduleWrite(false);
    }
    await this.writing;
  }

  // ---- watches ----

  private scopeDefinitions(kinds: readonly KubernetesKind[]): WatchScope[] {
    const namespaces = this.account.namespaces.length > 0 ? this.account.namespaces : [undefined];
    const scopes: WatchScope[] = [];
    for (const kind of kinds) {
      for (const namespace of kind.namespaced ? namespaces : [undefined]) {
        scopes.push({ kind, namespace, resourceVersion: '', active: false, expired: false, retryMs: 500, generation: 0 });
      }
    }
    return scopes;
  }

  private startWatches(): void {
    if (this.disposed || this.displaced) return;
    this.watching = true;
    for (const scope of this.scopes.values()) if (!scope.active) this.openWatch(scope);
    if (this.ownership && !this.ownershipTimer) {
      // Between events nothing is written, so ownership is also checked on a timer: a replica that
      // lost the agent closes its streams even when the cluster is quiet.
      this.ownershipTimer = setInterval(() => {
        const ownership = this.ownership;
        if (!ownership) return;
        void ownership.owned().then(
          (owned) => {
            if (!owned && this.ownership === ownership) this.displace();
          },
          (error) => this.logger.debug({ account: this.account.name, error: String(error) }, 'ownership check failed'),
        );
      }, this.ownershipCheckMs);
      this.ownershipTimer.unref?.();
    }
  }

  private openWatch(scope: WatchScope): void {
    if (!this.watching || this.disposed) return;
    scope.active = true;
    const generation = ++scope.generation;
    const current = () => scope.generation === generation;
    let closed = false;
    let connected = false;
    const stallTimer = setTimeout(() => {
      if (!current() || connected || closed) return;
      scope.stalled = true;
      this.lastError = `watch of ${scope.kind.kind} did not connect within ${this.watchConnectTimeoutMs} ms`;
    }, this.watchConnectTimeoutMs);
    stallTimer.unref?.();
    const done = (error: unknown) => {
      clearTimeout(stallTimer);
      if (closed) return;
      closed = true;
      if (!current()) return;
      scope.stalled = false;
      scope.controller = undefined;
      scope.active = false;
      if (!this.watching || this.disposed) return;
      if (scope.expired) {
        void this.relistScope(scope);
      } else if (error && (error as Error).name !== 'AbortError') {
        this.logger.debug({ account: this.account.name, kind: scope.kind.kind, error: String(error) }, 'watch failed; retrying');
        scope.retryTimer = setTimeout(() => this.openWatch(scope), scope.retryMs);
        scope.retryTimer.unref?.();
        scope.retryMs = Math.min(scope.retryMs * 2, this.maxRetryMs);
      } else {
        // The server ended the stream (timeouts do this routinely): resume where it left off.
        setImmediate(() => this.openWatch(scope));
      }
    };
    this.client
      .watch(scope.kind, scope.namespace, scope.resourceVersion, (type, object) => current() && this.onEvent(scope, type, object), done)
      .then((controller) => {
        connected = true;
        clearTimeout(stallTimer);
        if (current()) scope.stalled = false;
        if (!current() || !this.watching || this.disposed) return controller.abort();
        if (!closed) scope.controller = controller;
      })
      .catch(done);
  }

  private async relistScope(scope: WatchScope): Promise<void> {
    if (!this.watching || this.disposed) return;
    try {
      const { items, resourceVersion } = await this.client.list(scope.kind, scope.namespace);
      const fresh = new Map<string, AccountObject>();
      for (const manifest of items) {
        const object = { kind: scope.kind, manifest };
        if (this.accepts(object)) fresh.set(keyOfObject(this.account.name, object), object);
      }
      for (const [ns, objects] of this.mirror) {
        for (const [key, object] of objects) {
          if (object.kind !== scope.kind || (scope.namespace !== undefined && ns !== scope.namespace)) continue;
          if (!fresh.has(key)) {
            objects.delete(key);
            this.markDirty(ns);
          }
        }
      }
      for (const object of fresh.values()) {
        this.put(object);
        this.markDirty(object.manifest.metadata?.namespace ?? '');
      }
      scope.resourceVersion = resourceVersion;
      scope.expired = false;
      scope.retryMs = 500;
      this.openWatch(scope);
    } catch (error) {
      this.lastError = (error as Error).message;
      if (!this.watching || this.disposed) return;
      scope.retryTimer = setTimeout(() => void this.relistScope(scope), scope.retryMs);
      scope.retryTimer.unref?.();
      scope.retryMs = Math.min(scope.retryMs * 2, this.maxRetryMs);
    }
  }

  private onEvent(scope: WatchScope, type: string, object: Manifest): void {
    if (type === 'ERROR') {
      if ((object as { code?: number })?.code === 410) scope.expired = true;
      return;
    }
    const resourceVersion = object?.metadata?.resourceVersion;
    if (resourceVersion) scope.resourceVersion = resourceVersion;
    scope.retryMs = 500;
    if (type === 'BOOKMARK') return;
    const entry: AccountObject = { kind: scope.kind, manifest: { apiVersion: scope.kind.apiVersion, kind: scope.kind.kind, ...object } };
    const ns = entry.manifest.metadata?.namespace ?? '';
    const key = keyOfObject(this.account.name, entry);
    const current = this.mirror.get(ns)?.get(key);
    if (current && isOlder(resourceVersion, current.manifest.metadata?.resourceVersion)) return;
    const gone = type === 'DELETED' || !this.accepts(entry);
    this.journal?.set(key, { object: gone ? undefined : entry, resourceVersion });
    if (gone) {
      if (!current) return;
      this.mirror.get(ns)!.delete(key);
    } else this.put(entry);
    this.markDirty(ns);
  }

  // ---- mirror and writes ----

  private accepts(object: AccountObject): boolean {
    if (!accountCoversNamespace(this.account, object.manifest.metadata?.namespace)) return false;
    if (this.account.onlySpinnakerManaged && object.manifest.metadata?.labels?.[MANAGED_BY_LABEL] !== 'spinnaker') return false;
    return true;
  }

  private put(object: AccountObject): void {
    if (!this.accepts(object)) return;
    const ns = object.manifest.metadata?.namespace ?? '';
    let objects = this.mirror.get(ns);
    if (!objects) this.mirror.set(ns, (objects = new Map()));
    objects.set(keyOfObject(this.account.name, object), object);
  }

  private allObjects(): AccountObject[] {
    const all: AccountObject[] = [];
    for (const objects of this.mirror.values()) for (const object of objects.values()) all.push(object);
    return all;
  }

  private fullResult(): CacheResult {
    const infrastructure = buildInfrastructureItems(this.account, this.allObjects());
    const logical = buildLogicalItems(this.account, this.allObjects());
    const cacheResults: Record<string, CacheData[]> = {};
    for (const type of this.authoritativeTypes) cacheResults[type] = [];
    const written = new Map<string, string>();
    for (const [type, items] of [...infrastructure, ...logical]) {
      cacheResults[type] = items;
      for (const item of items) written.set(item.id, fingerprint(item));
    }
    // The engine will not evict a type that came back empty (a failed list looks the same), so
    // what this session knows is gone is evicted explicitly.
    const evictions: Record<string, string[]> = {};
    for (const key of this.lastWritten.keys()) {
      const type = key.split(':')[2]!;
      if (!written.has(key) && type !== APPLICATIONS_TYPE) (evictions[type] ??= []).push(key);
    }
    this.lastWritten = written;
    return { cacheResults, evictions, introspectionDetails: this.introspection(written.size) };
  }

  private markDirty(namespace: string): void {
    this.dirty.add(namespace);
    if (Date.now() - this.snapshotAt < this.reassertWindowMs) {
      this.reassert.add(namespace);
      if (!this.reassertTimer) {
        this.reassertTimer = setTimeout(() => {
          this.reassertTimer = undefined;
          for (const ns of this.reassert) this.dirty.add(ns);
          this.reassert.clear();
          this.scheduleWrite(true);
        }, this.reassertWindowMs);
        this.reassertTimer.unref?.();
      }
    }
    if (!this.flushTimer) {
      this.flushTimer = setTimeout(() => {
        this.flushTimer = undefined;
        this.scheduleWrite(false);
      }, this.flushDelayMs);
      this.flushTimer.unref?.();
    }
  }

  private scheduleWrite(force: boolean): void {
    const namespaces = new Set(this.dirty);
    this.dirty.clear();
    if (namespaces.size === 0) return;
    this.writing = this.writing
      .then(() => this.write(namespaces, force))
      .catch((error) => this.logger.warn({ account: this.account.name, error: String(error) }, 'writing watch events to the cache failed'));
  }

  /** Rebuilds the dirty namespaces and the account's logical items, and writes what changed. */
  private async write(namespaces: Set<string>, force: boolean): Promise<void> {
    if (this.disposed || this.displaced) return;
    const objects: AccountObject[] = [];
    for (const ns of namespaces) for (const object of this.mirror.get(ns)?.values() ?? []) objects.push(object);
    const infrastructure = buildInfrastructureItems(this.account, objects);
    const logical = buildLogicalItems(this.account, this.allObjects());
    const cacheResults: Record<string, CacheData[]> = {};
    const evictions: Record<string, string[]> = {};
    const present = new Set<string>();
    for (const [type, items] of [...infrastructure, ...logical]) {
      for (const item of items) {
        present.add(item.id);
        const print = fingerprint(item);
        if (!force && this.lastWritten.get(item.id) === print) continue;
        this.lastWritten.set(item.id, print);
        (cacheResults[type] ??= []).push(item);
      }
    }
    for (const key of [...this.lastWritten.keys()]) {
      if (present.has(key)) continue;
      const parts = key.split(':');
      const isLogical = parts[1] === 'logical';
      if (!isLogical && !namespaces.has(parts[4]!.replace(/;/g, ':'))) continue;
      this.lastWritten.delete(key);
      const type = isLogical ? parts[2]! : parts[2]!.replace(/;/g, ':');
      if (type === APPLICATIONS_TYPE) {
        // Applications are shared by accounts (informative): drop only this account's edges.
        (cacheResults[type] ??= []).push({ id: key, attributes: { name: parts[3] }, relationships: { [CLUSTERS_TYPE]: [] }, ttlSeconds: -1 });
      } else (evictions[type] ??= []).push(key);
    }
    if (Object.keys(cacheResults).length === 0 && Object.keys(evictions).length === 0) return;
    const store = () => this.providerCache.addCacheResult(this.agentType, this.currentAuthoritativeTypes(), { cacheResults, evictions, partialResult: true });
    if (!this.ownership) {
      await store();
      return;
    }
    // Fenced like a scheduled run's write: only while this replica owns the account's agent.
    if (!(await this.ownership.writeIfOwned(store))) this.displace();
  }
}

function scopeKey(scope: Pick<WatchScope, 'kind' | 'namespace'>): string {
  return `${scope.kind.cacheType}|${scope.kind.apiVersion}|${scope.namespace ?? ''}`;
}

function fingerprint(item: CacheData): string {
  return JSON.stringify([item.attributes, item.relationships]);
}

/** Whether resourceVersion `a` is older than `b` (numeric when both are, as etcd revisions are). */
function isOlder(a: string | undefined, b: string | undefined): boolean {
  if (!a || !b || !/^\d+$/.test(a) || !/^\d+$/.test(b)) return false;
  return BigInt(a) < BigInt(b);
}
