import {
  ON_DEMAND_TYPE,
  applyUsableRecords,
  authoritative,
  loadOnDemandRecords,
  onDemandRecord,
  reconcileOnDemandRecords,
  toPendingOnDemandRequest,
  type AgentDataType,
  type AgentRunContext,
  type CacheData,
  type CacheResult,
  type CachingAgent,
  type OnDemandAgent,
  type OnDemandResult,
  type PendingOnDemandRequest,
  type ProviderCache,
} from '@stratus/plugin-api';
import type { DockerRegistryAccount } from '../accounts/docker-registry-account.js';
import type { RegistryClient } from '../client/registry-client.js';
import { DOCKER_REGISTRY, Keys, Types, imageReference, parseKey } from '../keys.js';
import type { AccountStatus } from './account-status.js';
import { inShard } from './shard.js';
import { forEachLimited, imageIdItem, repositoryItems, type RepositoryItems } from './tagged-image-data.js';

const AUTHORITATIVE_TYPES = [Types.taggedImage, Types.imageId] as const;
/** Repositories read at once by one agent. */
const REPOSITORY_CONCURRENCY = 4;

/**
 * Caches the tags of one account's repositories (one shard of them when `cacheThreads` > 1), as
 * Clouddriver's `DockerRegistryImageCachingAgent`: a tagged image and an image id per tag. It also
 * refreshes one repository on demand (`POST /cache/dockerRegistry/taggedImage` with `{account,
 * repository}`), so a trigger right after a push sees the new tag without waiting for the interval.
 *
 * A run that cannot read the repository list (catalog), or whose every repository fails, throws:
 * the scheduler keeps the cached tags and retries, and readiness shows the error. A repository
 * whose tag list fails alone keeps its previous tags.
 */
export class TaggedImageCachingAgent implements CachingAgent, OnDemandAgent {
  readonly providerName = DOCKER_REGISTRY;
  readonly accountName: string;
  readonly agentType: string;
  readonly onDemandAgentType: string;
  readonly intervalMs: number;
  readonly timeoutMs: number;
  readonly providedDataTypes: readonly AgentDataType[] = AUTHORITATIVE_TYPES.map(authoritative);

  constructor(
    private readonly account: DockerRegistryAccount,
    private readonly client: RegistryClient,
    private readonly index: number,
    private readonly shards: number,
    private readonly status: AccountStatus,
    private readonly now: () => number = Date.now,
  ) {
    this.accountName = account.name;
    // Clouddriver's agent type; `<account>/` first, as sharding across replicas needs.
    this.agentType = `${account.name}/DockerRegistryImageCachingAgent[${index + 1}/${shards}]`;
    this.onDemandAgentType = `${this.agentType}-OnDemand`;
    this.intervalMs = account.cacheIntervalSeconds * 1000;
    // Big registries take a while; never let a run outlive a few intervals.
    this.timeoutMs = Math.max(5 * 60_000, 4 * this.intervalMs);
  }

  cacheKeyPatterns(): Readonly<Record<string, string>> {
    // Only meaningful unsharded: with shards, each agent owns a subset the glob cannot express.
    return this.shards === 1 ? { [Types.taggedImage]: Keys.taggedImageGlob(this.account.name) } : {};
  }

  /** The repositories this agent caches: configured, or from the catalog (filtered by the regex), minus `skip`, in its shard. */
  async repositories(signal: AbortSignal): Promise<string[]> {
    let repositories = this.account.repositories ? [...this.account.repositories] : await this.client.catalog(signal);
    if (!this.account.repositories && this.account.repositoriesRegex) {
      const pattern = new RegExp(`^(?:${this.account.repositoriesRegex})$`);
      repositories = repositories.filter((repository) => pattern.test(repository));
    }
    return [...new Set(repositories)].filter((repository) => !this.account.skip.includes(repository) && this.owns(repository));
  }

  private owns(repository: string): boolean {
    return inShard(repository, this.index, this.shards);
  }

  async loadData(providerCache: ProviderCache, context: AgentRunContext): Promise<CacheResult> {
    try {
      return await this.describe(providerCache, context.signal);
    } catch (error) {
      if (!context.signal.aborted) this.status.failed(this.account.name, this.agentType, error);
      throw error;
    }
  }

  private async describe(providerCache: ProviderCache, signal: AbortSignal): Promise<CacheResult> {
    const fetchStartMs = this.now();
    const repositories = await this.repositories(signal);
    const previous = await this.previousItems(providerCache);
    const fresh: RepositoryItems = { taggedImage: [], imageId: [] };
    const failed: { repository: string; error: unknown }[] = [];
    const present: string[] = [];
    await forEachLimited(repositories, REPOSITORY_CONCURRENCY, async (repository) => {
      try {
        const tags = await this.client.tags(repository, signal);
        if (tags === undefined) return; // the repository is gone: its tags are evicted
        present.push(Keys.repository(this.account.name, repository));
        const items = await repositoryItems(this.account, this.client, repository, tags, previous, signal);
        fresh.taggedImage.push(...items.taggedImage);
        fresh.imageId.push(...items.imageId);
      } catch (error) {
        if (signal.aborted) throw error;
        failed.push({ repository, error });
        // Keep what we knew: a flaky registry must not make tags vanish (Igor would re-trigger on their return).
        for (const item of previous.values()) {
          const parsed = parseKey(item.id);
          if (parsed?.repository !== repository) continue;
          fresh.taggedImage.push(item);
          fresh.imageId.push(imageIdItem(this.account, repository, parsed.tag!));
        }
      }
    });
    if (repositories.length > 0 && failed.length === repositories.length) throw failed[0]!.error;

    // Phase 2 of on-demand: refreshes newer than this describe win; processed, older ones go.
    const records = (await loadOnDemandRecords(providerCache, Keys.repositoryGlob(this.account.name))).filter((record) => {
      const repository = parseKey(record.id)?.repository;
      return repository !== undefined && this.owns(repository);
    });
    const reconciliation = reconcileOnDemandRecords(records, { fetchStartMs, now: this.now(), presentKeys: present });
    const cacheResults = applyUsableRecords({ [Types.taggedImage]: fresh.taggedImage, [Types.imageId]: fresh.imageId }, reconciliation.usable);

    const firstError = failed[0]?.error;
    this.status.succeeded(this.account.name, this.agentType, {
      repositories: repositories.length,
      tags: cacheResults[Types.taggedImage]?.length ?? 0,
      failedRepositories: failed.map((failure) => failure.repository),
      ...(firstError ? { error: firstError instanceof Error ? firstError.message : String(firstError) } : {}),
    });
    return {
      cacheResults: { ...cacheResults, [ON_DEMAND_TYPE]: [...reconciliation.toWrite] },
      evictions: { [ON_DEMAND_TYPE]: [...reconciliation.evictable] },
      introspectionDetails: { repositories: repositories.length, failedRepositories: failed.map((failure) => failure.repository) },
    };
  }

  /** This agent's cached tagged images, by key: the digests the next run compares against. */
  private async previousItems(providerCache: ProviderCache, repository?: string): Promise<Map<string, CacheData>> {
    const ids = (await providerCache.filterIdentifiers(Types.taggedImage, Keys.taggedImageGlob(this.account.name, repository))).filter((id) => {
      const parsed = parseKey(id);
      return parsed !== undefined && this.owns(parsed.repository!);
    });
    const items = ids.length === 0 ? [] : await providerCache.getAllByIds(Types.taggedImage, ids, { relationshipPrefixes: [] });
    return new Map(items.map((item) => [item.id, item]));
  }

  handles(type: string, cloudProvider: string): boolean {
    return cloudProvider === DOCKER_REGISTRY && ['taggedimage', 'image', 'repository'].includes(type.toLowerCase());
  }

  async handle(providerCache: ProviderCache, data: Record<string, unknown>): Promise<OnDemandResult | undefined> {
    const account = data.account ?? data.credentials;
    const repository = typeof data.repository === 'string' ? data.repository.trim() : '';
    if (account !== this.account.name || repository === '' || !this.owns(repository) || this.account.skip.includes(repository)) return undefined;
    if (this.account.repositories && !this.account.repositories.includes(repository)) return undefined;
    if (this.account.repositoriesRegex && !new RegExp(`^(?:${this.account.repositoriesRegex})$`).test(repository)) return undefined;

    const signal = AbortSignal.timeout(this.account.clientTimeoutMillis * 2);
    const key = Keys.repository(this.account.name, repository);
    const previous = await this.previousItems(providerCache, repository);
    const tags = await this.client.tags(repository, signal);
    const items = tags === undefined ? { taggedImage: [], imageId: [] } : await repositoryItems(this.account, this.client, repository, tags, previous, signal);
    const freshKeys = new Set(items.taggedImage.map((item) => item.id));
    const goneTags = [...previous.keys()].filter((id) => !freshKeys.has(id));
    const goneIds = goneTags.map((id) => Keys.imageId(imageReference(this.account.registry, repository, parseKey(id)!.tag!)));
    const cacheResults = { [Types.taggedImage]: items.taggedImage, [Types.imageId]: items.imageId };
    if (tags === undefined) await providerCache.evictDeletedItems(ON_DEMAND_TYPE, [key]);
    else {
      await providerCache.putCacheData(
        ON_DEMAND_TYPE,
        onDemandRecord({ key, cacheResults, now: this.now(), details: { account: this.account.name, repository } }),
      );
    }
    return {
      sourceAgentType: this.agentType,
      authoritativeTypes: AUTHORITATIVE_TYPES,
      cacheResult: { cacheResults, evictions: { [Types.taggedImage]: goneTags, [Types.imageId]: goneIds } },
    };
  }

  async pendingOnDemandRequests(providerCache: ProviderCache): Promise<PendingOnDemandRequest[]> {
    const records = await loadOnDemandRecords(providerCache, Keys.repositoryGlob(this.account.name));
    return records.filter((record) => this.owns(parseKey(record.id)?.repository ?? '')).map((record) => toPendingOnDemandRequest(record, parseKey));
  }
}
