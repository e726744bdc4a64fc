import type { Cache, CacheData, RouteCaller } from '@stratus/plugin-api';
import type { DockerRegistryAccount } from '../accounts/docker-registry-account.js';
import { epochMsOf } from '../caching/tagged-image-data.js';
import { Keys, Types, imageReference, parseKey } from '../keys.js';

/** The query of `GET /dockerRegistry/images/find` (Clouddriver's `LookupOptions`). */
export interface FindOptions {
  readonly q?: string;
  readonly account?: string;
  readonly repository?: string;
  readonly tag?: string;
  readonly count?: number;
  readonly includeDetails?: boolean;
}

/** Clouddriver's `docker` artifact for an image. */
export function dockerArtifact(registry: string, repository: string, tag: string, labels: unknown = {}): Record<string, unknown> {
  return { name: repository, type: 'docker', version: tag, reference: imageReference(registry, repository, tag), metadata: { registry, labels } };
}

/**
 * The reads behind Clouddriver's `DockerRegistryImageLookupController`, from the cache only (never
 * the registry: Igor polls `find` for every account every few seconds).
 */
export class ImageLookup {
  constructor(
    private readonly cache: Cache,
    private readonly accounts: () => readonly DockerRegistryAccount[],
  ) {}

  private account(name: string): DockerRegistryAccount | undefined {
    return this.accounts().find((account) => account.name === name);
  }

  /** Whether `name` is a configured Docker Registry account. */
  knows(name: string): boolean {
    return this.account(name) !== undefined;
  }

  /**
   * `GET /dockerRegistry/images/tags?account=&repository=`: the repository's tags, newest first when
   * the account sorts by date, else in key order. An unknown account has none.
   */
  async tags(accountName: string, repository: string): Promise<string[]> {
    const account = this.account(accountName);
    if (!account) return [];
    const ids = await this.cache.filterIdentifiers(Types.taggedImage, Keys.taggedImageGlob(accountName, repository));
    if (!account.sortTagsByDate) return ids.sort().map((id) => parseKey(id)!.tag!);
    const items = await this.cache.getAllByIds(Types.taggedImage, ids, { relationshipPrefixes: [] });
    return items
      .sort((a, b) => epochMsOf(b.attributes.date) - epochMsOf(a.attributes.date) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .map((item) => parseKey(item.id)!.tag!);
  }

  /**
   * `GET /dockerRegistry/images/find`: tagged images of the accounts the caller may read. With `q`,
   * images whose id (`<registry>/<repository>:<tag>`) contains it; else every image (of `account`
   * when given). When no account tracks digests (nor inspects labels), the answer comes from the
   * keys alone and has no `digest`, as in Clouddriver. `repository` and `tag` narrow the answer,
   * `count` caps it.
   */
  async find(options: FindOptions, caller: RouteCaller): Promise<Record<string, unknown>[]> {
    const accounts = this.accounts();
    const readable = (name: string | undefined) => name !== undefined && caller.canReadAccount(name) && this.account(name) !== undefined;
    const matches = (parsed: Record<string, string>) =>
      (!options.repository || parsed.repository === options.repository) && (!options.repository || !options.tag || parsed.tag === options.tag);

    let tagKeys: string[];
    if (options.q) {
      const ids = await this.cache.filterIdentifiers(Types.imageId, Keys.imageId(`*${globLiteral(options.q)}*`));
      const items = await this.cache.getAllByIds(Types.imageId, ids, { relationshipPrefixes: [] });
      tagKeys = items.filter((item) => !options.account || item.attributes.account === options.account).map((item) => String(item.attributes.tagKey));
    } else {
      tagKeys = await this.cache.filterIdentifiers(Types.taggedImage, Keys.taggedImageGlob(options.account ?? '*'));
      if (!options.account) tagKeys = tagKeys.filter((key) => parseKey(key) !== undefined);
      const keysOnly = accounts.every((account) => !account.trackDigests && !account.inspectDigests);
      if (keysOnly) {
        const rows = tagKeys
          .sort()
          .map((key) => parseKey(key)!)
          .filter((parsed) => readable(parsed.account) && matches(parsed));
        return cap(rows, options.count).map((parsed) => {
          const registry = this.account(parsed.account!)!.registry;
          return {
            repository: parsed.repository,
            tag: parsed.tag,
            account: parsed.account,
            registry,
            artifact: dockerArtifact(registry, parsed.repository!, parsed.tag!),
          };
        });
      }
    }
    const items = (await this.cache.getAllByIds(Types.taggedImage, [...new Set(tagKeys)].sort(), { relationshipPrefixes: [] })).filter((item: CacheData) => {
      const parsed = parseKey(item.id);
      return parsed !== undefined && readable(String(item.attributes.account ?? parsed.account)) && matches(parsed);
    });
    return cap(items, options.count).map((item) => {
      const parsed = parseKey(item.id)!;
      const registry = this.account(String(item.attributes.account ?? parsed.account))!.registry;
      const base = {
        repository: parsed.repository,
        tag: parsed.tag,
        account: item.attributes.account ?? parsed.account,
        registry,
        digest: item.attributes.digest ?? null,
      };
      if (!options.includeDetails) return { ...base, artifact: dockerArtifact(registry, parsed.repository!, parsed.tag!) };
      const labels = (item.attributes.labels ?? null) as Record<string, unknown> | null;
      return {
        ...base,
        commitId: labels?.commitId ?? null,
        buildNumber: labels?.buildNumber ?? null,
        branch: labels?.branch ?? null,
        artifact: dockerArtifact(registry, parsed.repository!, parsed.tag!, labels),
      };
    });
  }
}

const cap = <T>(rows: T[], count: number | undefined): T[] => (count ? rows.slice(0, count) : rows);

/** Makes glob metacharacters in a literal match themselves. */
function globLiteral(text: string): string {
  return text.replace(/[*?[]/g, '[$&]');
}
