import type { Cache, KeyParser } from '@stratus/plugin-api';
import { inject, injectable } from 'tsyringe';
import { canAccessApplication, type CallerAccess } from '../security/caller-access.js';
import { appliesApplicationPermissions, applicationOfResource } from '../security/resource-application.js';
import { CACHE } from '../tokens.js';
import type { KeyParserRegistry } from '../providers/key-parser-registry.js';
import { KEY_PARSER_REGISTRY } from './tokens.js';

export interface SearchQuery {
  /** The term; matched case-insensitively anywhere in the key after `<provider>:<type>:`. */
  readonly q: string;
  /** Cache types to search; every parser's `searchableTypes` when empty. */
  readonly types: readonly string[];
  /** Only this cloud provider's keys. */
  readonly platform?: string | undefined;
  /** 1-based. */
  readonly page: number;
  readonly pageSize: number;
  /**
   * Key-field filters (every other query parameter): a key matches when, for each filter, its
   * parsed field is one of the comma-separated values. `cloudProvider` picks the parser instead.
   */
  readonly filters: Readonly<Record<string, string>>;
}

/** Clouddriver's `SearchResultSet`. */
export interface SearchResultSet {
  readonly totalMatches: number;
  readonly pageNumber: number;
  readonly pageSize: number;
  readonly platform: string;
  readonly query: string;
  readonly results: Record<string, string>[];
}

/** The platform Clouddriver reports when it merges every provider's results into one set. */
const MERGED_PLATFORM = 'aws';

/**
 * `/search` over the keys of every provider cache (Clouddriver's `CatsSearchProvider`): for each
 * searchable type, glob `*:<type>:*<term>*`, keep keys that still exist and parse, drop
 * those of accounts the caller cannot READ, sort by where the term occurs, then paginate. Each
 * result is the parsed key plus a `url` from the parser's template for its type.
 */
@injectable()
export class SearchService {
  constructor(
    @inject(CACHE) private readonly cache: Cache,
    @inject(KEY_PARSER_REGISTRY) private readonly parsers: KeyParserRegistry,
  ) {}

  async search(access: CallerAccess, query: SearchQuery): Promise<SearchResultSet[]> {
    const term = query.q.toLowerCase();
    const cloudProviderFilter = query.filters.cloudProvider;
    const parsers = this.parsers
      .all()
      .filter((parser) => !query.platform || parser.cloudProvider === query.platform)
      .filter((parser) => !cloudProviderFilter || parser.cloudProvider === cloudProviderFilter);
    const fieldFilters = Object.entries(query.filters).filter(([field]) => field !== 'cloudProvider');

    const matches = new Map<string, Record<string, string>>();
    for (const [type, ofType] of searchPlan(parsers, query.types)) {
      // `*:<type>:` rather than `<provider>:<type>:`: Kubernetes keys put a path between the two
      // (`kubernetes.v2:infrastructure:deployment:…`); each parser claims only its own keys.
      const glob = `*:${globLiteral(type)}:*${caseInsensitiveGlob(term)}*`;
      const candidates = await this.cache.filterIdentifiers(type, glob);
      // Ids may be listed without data (informative edges, expiry): only existing items count.
      const existing = candidates.length > 0 ? await this.cache.existingIdentifiers(type, candidates) : [];
      for (const key of existing) {
        if (matches.has(key)) continue;
        const parsed = parse(ofType, key);
        if (!parsed) continue;
        if (parsed.result.account && !access.canReadAccount(parsed.result.account)) continue;
        if (!fieldFilters.every(([field, values]) => values.split(',').includes(parsed.result[field] ?? '\u0000'))) continue;
        matches.set(key, withUrl(parsed.parser, parsed.result));
      }
      if (appliesApplicationPermissions(access)) await this.dropUnreadableApplications(access, type, existing, matches);
    }

    const sorted = [...matches.keys()].sort((a, b) => compareByMatchPosition(a, b, term));
    const start = query.pageSize * (query.page - 1);
    const results = sorted.slice(start, start + query.pageSize).map((key) => matches.get(key)!);
    return [
      {
        totalMatches: sorted.length,
        pageNumber: query.page,
        pageSize: query.pageSize,
        platform: query.platform ?? MERGED_PLATFORM,
        query: query.q,
        results,
      },
    ];
  }

  /**
   * With Fiat, drops the matches of `type` whose application the caller may not READ, before paging
   * (so `totalMatches` counts only what is shown). The application comes from the parsed key; keys
   * that name none (instances: `i-0abc`) are looked up, and their item's `serverGroup` attribute or
   * related server group names it. A key whose application cannot be found stays (accounts decide).
   */
  private async dropUnreadableApplications(
    access: CallerAccess,
    type: string,
    keys: readonly string[],
    matches: Map<string, Record<string, string>>,
  ): Promise<void> {
    const unknown: string[] = [];
    for (const key of keys) {
      const result = matches.get(key);
      if (!result) continue;
      const application = applicationOfKey(result);
      if (application === undefined) unknown.push(key);
      else if (!canAccessApplication(access, application, 'READ')) matches.delete(key);
    }
    if (unknown.length === 0) return;
    for (const item of await this.cache.getAllByIds(type, unknown)) {
      const related = (item.relationships.serverGroups ?? []).map((key) => parse(this.parsers.all(), key)?.result);
      const application =
        applicationOfResource(item.attributes, { ownName: false }) ??
        related.map((parsed) => (parsed ? applicationOfKey(parsed) : undefined)).find((app) => app !== undefined);
      if (application !== undefined && !canAccessApplication(access, application, 'READ')) matches.delete(item.id);
    }
  }
}

/** The application a parsed key names (its `application`, or the Frigga prefix of its server group, cluster or load balancer). */
function applicationOfKey(parsed: Readonly<Record<string, string>>): string | undefined {
  return applicationOfResource(parsed, { ownName: false });
}

/** type → the parsers that search it: every parser's searchable types, limited to `types` when given. */
function searchPlan(parsers: readonly KeyParser[], types: readonly string[]): Map<string, KeyParser[]> {
  const plan = new Map<string, KeyParser[]>();
  for (const parser of parsers) {
    for (const type of parser.searchableTypes ?? []) {
      if (types.length > 0 && !types.includes(type)) continue;
      let list = plan.get(type);
      if (!list) plan.set(type, (list = []));
      list.push(parser);
    }
  }
  return plan;
}

/** The first parser that understands the key, with its parse (`provider` defaulting to the parser's cloud provider). */
function parse(parsers: readonly KeyParser[], key: string): { parser: KeyParser; result: Record<string, string> } | undefined {
  for (const parser of parsers) {
    const parsed = parser.parseKey(key);
    if (parsed) return { parser, result: { ...parsed, provider: parsed.provider ?? parser.cloudProvider } };
  }
  return undefined;
}

function withUrl(parser: KeyParser, parsed: Record<string, string>): Record<string, string> {
  const template = parser.urlTemplates?.[parsed.type!];
  if (!template) return parsed;
  let complete = true;
  const url = template.replace(/\{([A-Za-z0-9_]+)\}/g, (_, field: string) => {
    const value = parsed[field];
    if (value === undefined) complete = false;
    return value ?? '';
  });
  // A template naming a field the key lacks would point nowhere; leave the url out instead.
  return complete ? { ...parsed, url } : parsed;
}

/** Where the term occurs after the provider prefix, earlier first; ties in key order. */
function compareByMatchPosition(a: string, b: string, term: string): number {
  const aKey = a.toLowerCase().slice(a.indexOf(':'));
  const bKey = b.toLowerCase().slice(b.indexOf(':'));
  const difference = aKey.indexOf(term) - bKey.indexOf(term);
  if (difference !== 0) return difference;
  return aKey < bKey ? -1 : aKey > bKey ? 1 : 0;
}

/** Makes glob metacharacters of a literal match themselves. */
function globLiteral(text: string): string {
  return text.replace(/[*?[]/g, '[$&]');
}

/** A glob matching `term` in any letter case: `ab*` → `[aA][bB][*]`. */
function caseInsensitiveGlob(term: string): string {
  let glob = '';
  for (const ch of term) {
    const lower = ch.toLowerCase();
    const upper = ch.toUpperCase();
    if (lower !== upper) glob += `[${lower}${upper}]`;
    else glob += globLiteral(ch);
  }
  return glob;
}
