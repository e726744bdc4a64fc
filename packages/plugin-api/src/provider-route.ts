/**
 * HTTP routes a provider adds beside the generic read API (since SPI 1.1), for what only that cloud
 * has: Kubernetes manifests, AWS image lookup, networks, subnets, key pairs… The server mounts them
 * before its generic routes, documents them in `/openapi.json`, and handles errors; providers stay
 * free of any HTTP framework.
 */

/** What the caller may see and change, for permission filtering in a route. */
export interface RouteCaller {
  /** The calling user (`X-SPINNAKER-USER`), when known. */
  readonly user?: string | undefined;
  /** Whether the caller may see the account's resources. */
  canReadAccount(account: string): boolean;
  /** Whether the caller may change the account's resources. */
  canWriteAccount(account: string): boolean;
  /**
   * Application permissions (Fiat; an additive, optional member): whether the caller may use the
   * application that way. Absent when no application permissions are known: every application is
   * allowed and accounts decide. A route answering one item of an application the caller may not
   * READ answers as for a missing one; the server also drops items whose `moniker.app` or
   * `application` the caller may not READ from every GET route's answer.
   */
  canAccessApplication?(application: string, authorization: 'READ' | 'WRITE' | 'EXECUTE'): boolean;
}

/** The parsed request a {@link ProviderRoute} handles. */
export interface ProviderRouteRequest {
  /** Path parameters named by the `{placeholders}` of the route's path. */
  readonly params: Readonly<Record<string, string>>;
  /** Query parameters; repeated ones are arrays. */
  readonly query: Readonly<Record<string, string | readonly string[] | undefined>>;
  /** The parsed JSON body, if any. */
  readonly body: unknown;
  /** Who is calling, for permission filtering. */
  readonly caller: RouteCaller;
}

/** What a {@link ProviderRoute} answers; the body is sent as JSON. */
export interface ProviderRouteResponse {
  /** Defaults to 200. */
  readonly status?: number;
  /** The JSON body. */
  readonly body: unknown;
}

/** One provider-specific HTTP route (see {@link ProviderContext.registerRoutes}). */
export interface ProviderRoute {
  /** The HTTP method. */
  readonly method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** OpenAPI-style path with `{param}` placeholders, e.g. `/manifests/{account}/{location}/{name}`. */
  readonly path: string;
  /** One line for the API document. */
  readonly summary?: string;
  /** Answers the request; throw {@link RouteError} for 4xx answers. */
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
