/** An account's `rawResourcesEndpointConfig`: which kinds `GET /applications/{app}/rawResources` shows. */
export interface RawResourcesEndpointConfig {
  /** Kinds (as `configMap`, `crontab.stable.example.com`) shown; every other kind is hidden. */
  readonly kindPatterns: readonly RegExp[];
  /** Kinds hidden; every other kind is shown. */
  readonly omitKindPatterns: readonly RegExp[];
}

/**
 * Parses `rawResourcesEndpointConfig: {kindExpressions | omitKindExpressions}` (regular expressions
 * matched against the whole kind name, at most one of the two lists), naming the bad field.
 */
export function parseRawResourcesEndpointConfig(value: unknown): RawResourcesEndpointConfig {
  if (value === undefined || value === null) return { kindPatterns: [], omitKindPatterns: [] };
  if (typeof value !== 'object' || Array.isArray(value))
    throw new Error('rawResourcesEndpointConfig must be a map with kindExpressions or omitKindExpressions');
  const raw = value as Record<string, unknown>;
  for (const key of Object.keys(raw)) {
    if (key !== 'kindExpressions' && key !== 'omitKindExpressions')
      throw new Error(`rawResourcesEndpointConfig.${key} is not a field (kindExpressions, omitKindExpressions)`);
  }
  const patterns = (field: 'kindExpressions' | 'omitKindExpressions') => {
    const list = raw[field] ?? [];
    if (!Array.isArray(list)) throw new Error(`rawResourcesEndpointConfig.${field} must be a list of regular expressions`);
    return list.map((expression, i) => {
      try {
        if (typeof expression !== 'string') throw new Error('not a string');
        return new RegExp(`^(?:${expression})$`);
      } catch (error) {
        throw new Error(`rawResourcesEndpointConfig.${field}[${i}] is not a regular expression: ${(error as Error).message}`, { cause: error });
      }
    });
  };
  const kindPatterns = patterns('kindExpressions');
  const omitKindPatterns = patterns('omitKindExpressions');
  if (kindPatterns.length > 0 && omitKindPatterns.length > 0)
    throw new Error('rawResourcesEndpointConfig: at most one of kindExpressions and omitKindExpressions can be set');
  return { kindPatterns, omitKindPatterns };
}

/** Clouddriver's rule: a kind matching a kind pattern is shown, one matching an omit pattern is hidden, others are shown. */
export function rawResourceKindShown(config: RawResourcesEndpointConfig | undefined, kind: string): boolean {
  if (!config) return true;
  if (config.kindPatterns.length > 0) return config.kindPatterns.some((p) => p.test(kind));
  return !config.omitKindPatterns.some((p) => p.test(kind));
}
