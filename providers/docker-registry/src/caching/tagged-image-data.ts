import { cacheData, type CacheData } from '@stratus/plugin-api';
import type { DockerRegistryAccount } from '../accounts/docker-registry-account.js';
import type { ImageDetails, RegistryClient } from '../client/registry-client.js';
import { Keys, imageReference } from '../keys.js';

/** Clouddriver stores a tag's creation date as a `java.time.Instant`; its JSON has these two fields. */
export interface InstantJson {
  readonly epochSecond: number;
  readonly nano: number;
}

export const toInstant = (ms: number): InstantJson => ({ epochSecond: Math.floor(ms / 1000), nano: (ms % 1000) * 1_000_000 });

/** Epoch ms of a cached `date` attribute (0 when absent, so undated tags sort last). */
export function epochMsOf(date: unknown): number {
  if (typeof date !== 'object' || date === null || typeof (date as InstantJson).epochSecond !== 'number') return 0;
  const { epochSecond, nano } = date as InstantJson;
  return epochSecond * 1000 + Math.floor((typeof nano === 'number' ? nano : 0) / 1_000_000);
}

/** The cache items of one repository: a tagged image per tag and the image id pointing at it. */
export interface RepositoryItems {
  readonly taggedImage: CacheData[];
  readonly imageId: CacheData[];
}

/** Whether the account needs more than the tag list for each tag. */
export function needsManifests(account: DockerRegistryAccount): boolean {
  return account.trackDigests || account.sortTagsByDate || account.inspectDigests;
}

/**
 * Builds the items of one repository from its tag list. Per tag, when the account tracks digests,
 * sorts by date or inspects labels: a `HEAD` of the manifest gives the digest, and only a digest
 * that differs from the cached one (or a cached tag lacking what the account now needs) costs a
 * manifest and config fetch, so an unchanged registry is re-read with one cheap request per tag.
 * A tag that vanished between listing and reading is left out (Clouddriver does the same); a tag
 * whose read failed keeps its previous item, or is left out when it had none.
 */
export async function repositoryItems(
  account: DockerRegistryAccount,
  client: RegistryClient,
  repository: string,
  tags: readonly string[],
  previous: ReadonlyMap<string, CacheData>,
  signal: AbortSignal,
): Promise<RepositoryItems> {
  const items: RepositoryItems = { taggedImage: [], imageId: [] };
  const add = (tag: string, attributes: Record<string, unknown>) => {
    const tagKey = Keys.taggedImage(account.name, repository, tag);
    items.taggedImage.push(cacheData(tagKey, { name: `${repository}:${tag}`, account: account.name, ...attributes }));
    items.imageId.push(imageIdItem(account, repository, tag));
  };
  if (!needsManifests(account)) {
    for (const tag of tags) add(tag, { digest: null, date: null });
    return items;
  }
  await forEachLimited(tags, 4, async (tag) => {
    const before = previous.get(Keys.taggedImage(account.name, repository, tag))?.attributes;
    try {
      const digest = await client.manifestDigest(repository, tag, signal);
      if (digest === undefined) return;
      const wantsConfig = account.sortTagsByDate || account.inspectDigests;
      const cachedEnough = before?.digest === digest && (!account.sortTagsByDate || before.date) && (!account.inspectDigests || 'labels' in before);
      if (!wantsConfig || cachedEnough) {
        add(tag, { digest, date: wantsConfig ? (before?.date ?? null) : null, ...(account.inspectDigests ? { labels: before?.labels ?? null } : {}) });
        return;
      }
      const details: ImageDetails | undefined = await client.imageDetails(repository, tag, signal);
      if (!details) return;
      add(tag, {
        digest: details.digest ?? digest,
        date: details.createdMs !== undefined ? toInstant(details.createdMs) : null,
        ...(account.inspectDigests ? { labels: details.labels ?? null } : {}),
      });
    } catch (error) {
      if (signal.aborted) throw error;
      if (before) add(tag, { ...before });
    }
  });
  return items;
}

/** The `imageId` item pointing at a tag's tagged image (what `find?q=` searches). */
export function imageIdItem(account: DockerRegistryAccount, repository: string, tag: string): CacheData {
  return cacheData(Keys.imageId(imageReference(account.registry, repository, tag)), {
    tagKey: Keys.taggedImage(account.name, repository, tag),
    account: account.name,
  });
}

/** Runs `work` over `values`, at most `limit` at a time. */
export async function forEachLimited<T>(values: readonly T[], limit: number, work: (value: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, values.length) }, async () => {
    while (next < values.length) {
      const value = values[next++]!;
      await work(value);
    }
  });
  await Promise.all(workers);
}
