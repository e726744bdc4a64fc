/**
 * HTTP routes a provider adds beside the generic read API (since SPI 1.1), for what only that cloud
 * has: Kubernetes manifests, AWS image lookup, networks, subnets, key pairs… The server mounts them
 * before its generic routes, documents them in `/openapi.json`, and handles errors; providers stay
 * free of any HTTP framework.
 */

/** What the caller may see and change, for permission filtering in a route. */
export interface RouteCaller {
  readonly user?: string;
  canReadAccount(account: string): boolean;
  canWriteAccount(account: string): boolean;
}

export interface ProviderRouteRequest {
  /** Path parameters named by the `{placeholders}` of the route's path. */
  readonly params: Readonly<Record<string, string>>;
  readonly query: Readonly<Record<string, string | readonly string[] | undefined>>;
  readonly body: unknown;
  readonly caller: RouteCaller;
}

export interface ProviderRouteResponse {
  /** Defaults to 200. */
  readonly status?: number;
  readonly body: unknown;
}

export interface ProviderRoute {
  readonly method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** OpenAPI-style path with `{param}` placeholders, e.g. `/manifests/{account}/{location}/{name}`. */
  readonly path: string;
  /** One line for the API document. */
  readonly summary?: string;
  handle(request: ProviderRouteRequest): Promise<ProviderRouteResponse>;
}

/**
 * Throw from a route handler to answer with a status and a message (e.g. 404 for a missing
 * resource, 400 for a bad parameter); anything else thrown becomes a 500.
 */
export class RouteError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'RouteError';
  }
}
