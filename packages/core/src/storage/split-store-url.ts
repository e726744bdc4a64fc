/**
 * Splits a store URL (`redis://h:6379/0?prefix=stratus`, `postgres://…?tableNamespace=ns&sslmode=…`)
 * into the URL the driver gets and the query parameters that are Stratus's own (`names`): ours come
 * off, the driver's stay.
 */
export function splitStoreUrl(spec: string, names: readonly string[]): { url: string; params: Readonly<Record<string, string>> } {
  const queryAt = spec.indexOf('?');
  if (queryAt < 0) return { url: spec, params: {} };
  const query = new URLSearchParams(spec.slice(queryAt + 1));
  const params: Record<string, string> = {};
  for (const name of names) {
    const value = query.get(name);
    if (value !== null) params[name] = value;
    query.delete(name);
  }
  const rest = query.toString();
  return { url: spec.slice(0, queryAt) + (rest ? `?${rest}` : ''), params };
}
