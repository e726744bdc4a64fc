/**
 * The one injectable transport seam a provider offers for the HTTP it makes to its cloud: where
 * requests go, what carries them and which certificate authorities are trusted. Tests point a
 * provider at a loopback fake through it; operators point it at a proxy, a private endpoint or a
 * sovereign cloud. Every field is optional: absent means the SDK's own default.
 *
 * How each built-in provider maps it today (see docs/provider-author-guide.md, "Transport"):
 * - AWS: per account `endpoint` → `baseURL` (the SDK's `endpoint`); the SDK's own HTTP handler.
 * - GCE: per account `endpoint` → `baseURL` (the client's `apiEndpoint`, protocol and port); an
 *   injected auth client carries the requests.
 * - Azure: per account `endpoint` → `baseURL`; the provider option `ca` → `ca` (`tlsOptions.ca`).
 * - Kubernetes: the kubeconfig's server → `baseURL`, its CA data → `ca`.
 */
export interface ProviderTransport {
  /** The API's base URL (scheme, host, port, optional path) instead of the cloud's public one. */
  readonly baseURL?: string | undefined;
  /** The `fetch` the provider's requests go through, for clients that take one. */
  readonly fetch?: typeof globalThis.fetch | undefined;
  /** An HTTP(S) agent (`node:http`/`node:https` `Agent`, or an undici dispatcher) for clients built on Node's HTTP. */
  readonly agent?: unknown;
  /** Extra trusted CA certificates (PEM), for private endpoints and loopback fakes with their own CA. */
  readonly ca?: string | readonly string[] | undefined;
}

/** Joins a relative API path onto a transport's base URL (exactly one `/` between them). */
export function transportUrl(transport: ProviderTransport, defaultBaseURL: string, path: string): string {
  const base = (transport.baseURL ?? defaultBaseURL).replace(/\/+$/, '');
  return `${base}/${path.replace(/^\/+/, '')}`;
}

/**
 * A transport merged from layers (provider defaults, then account settings): later layers win
 * field by field; `undefined` never overrides.
 */
export function mergeTransport(...layers: ReadonlyArray<ProviderTransport | undefined>): ProviderTransport {
  const out: { -readonly [K in keyof ProviderTransport]?: ProviderTransport[K] } = {};
  for (const layer of layers) {
    if (!layer) continue;
    for (const [key, value] of Object.entries(layer) as [keyof ProviderTransport, unknown][]) {
      if (value !== undefined) (out as Record<string, unknown>)[key] = value;
    }
  }
  return out;
}
