/**
 * Parses a provider's cache keys (`<cloudProvider>:<type>:…`) into named fields, for search,
 * sharding and permission filtering. The parsed map carries at least `provider` and `type`, plus
 * `account`, `region`, `application`, `cluster`, `name` … where the key has them.
 */
export interface KeyParser {
  /** The cloud provider whose keys this parses (the first key segment). */
  readonly cloudProvider: string;
  /** The key's fields (`provider`, `type`, `account`, …), or `undefined` when the key is not this provider's. */
  parseKey(key: string): Record<string, string> | undefined;
  /** Types `/search` looks through, e.g. `['applications', 'clusters', 'serverGroups', 'instances']`. */
  readonly searchableTypes?: readonly string[];
  /** URL template per type for search results, with `{field}` placeholders. */
  readonly urlTemplates?: Readonly<Record<string, string>>;
}
