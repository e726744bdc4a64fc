import type { Cache, KeyParser } from '@stratus/plugin-api';
import { inject, injectable } from 'tsyringe';
import type { CallerAccess } from '../security/caller-access.js';
import { CACHE } from '../tokens.js';
import type { KeyParserRegistry } from './key-parser-registry.js';
import { KEY_PARSER_REGISTRY } from './tokens.js';

export interface SearchQuery {
  /** The term; matched case-insensitively anywhere in the key after `<provider>:<type>:`. */
  readonly q: string;
  /** Cache types to search; every parser's `searchableTypes` when empty. */
  readonly types: readonly string[];
  /** Only this cloud provider's keys. */
  readonly platform?: string;
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
 * searchable type, glob `<provider>:<type>:*<term>*`, keep keys that still exist and parse, drop
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
    for (const [cloudProvider, types] of searchPlan(parsers, query.types)) {
      const ofProvider = parsers.filter((parser) => parser.cloudProvider === cloudProvider);
      for (const type of types) {
        const glob = `${globLiteral(cloudProvider)}:${globLiteral(type)}:*${caseInsensitiveGlob(term)}*`;
        const candidates = await this.cache.filterIdentifiers(type, glob);
        // Ids may be listed without data (informative edges, expiry): only existing items count.
        const existing = candidates.length > 0 ? await this.cache.existingIdentifiers(type, candidates) : [];
        for (const key of existing) {
          if (matches.has(key)) continue;
          const parsed = parse(ofProvider, key);
          if (!parsed) continue;
          if (parsed.account && !access.canReadAccount(parsed.account)) continue;
          if (!fieldFilters.every(([field, values]) => values.split(',').includes(parsed[field] ?? '\u0000'))) continue;
          matches.set(key, withUrl(ofProvider, parsed));
        }
      }
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
}

/** cloudProvider → the types to search there: its parsers' searchable types, limited to `types` when given. */
function searchPlan(parsers: readonly KeyParser[], types: readonly string[]): Map<string, Set<string>> {
  const plan = new Map<string, Set<string>>();
  for (const parser of parsers) {
    let set = plan.get(parser.cloudProvider);
    if (!set) plan.set(parser.cloudProvider, (set = new Set()));
    for (const type of parser.searchableTypes ?? []) if (types.length === 0 || types.includes(type)) set.add(type);
  }
  return plan;
}

function parse(parsers: readonly KeyParser[], key: string): Record<string, string> | undefined {
  for (const parser of parsers) {
    const parsed = parser.parseKey(key);
    if (parsed) return { ...parsed, provider: parsed.provider ?? parser.cloudProvider };
  }
  return undefined;
}

function withUrl(parsers: readonly KeyParser[], parsed: Record<string, string>): Record<string, string> {
  const template = parsers.map((parser) => parser.urlTemplates?.[parsed.type!]).find((candidate) => candidate !== undefined);
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
