/**
 * What Stratus reads from Front50, Spinnaker's metadata service (Clouddriver's `Front50Service`):
 * projects for `GET /projects/{project}/clusters`, and application metadata. Front50's answers
 * are passed on as they are (its `Project` and `Application` JSON); see docs/front50.md.
 */
export interface Front50Client {
  /** `GET /v2/projects/{project}` (by name, case-insensitively, else by id); undefined on a 404. */
  getProject(nameOrId: string): Promise<Front50Project | undefined>;
  /** `GET /v2/applications/{name}`; undefined on a 404. */
  getApplication(name: string): Promise<Record<string, unknown> | undefined>;
  /**
   * `GET /v2/applications?name=…&pageSize=…&<attribute>=…`: applications whose attributes contain
   * the given values (Front50 matches ignoring case), at most `pageSize`.
   */
  searchApplications(name: string, pageSize: number, filters?: Readonly<Record<string, string>>): Promise<Record<string, unknown>[]>;
}

/** Front50's `Project` JSON, the fields Stratus reads. */
export interface Front50Project {
  readonly id?: string;
  readonly name: string;
  readonly email?: string;
  readonly config?: {
    readonly applications?: readonly string[] | null;
    readonly clusters?: readonly Front50ProjectCluster[] | null;
    readonly pipelineConfigs?: readonly Record<string, unknown>[] | null;
  } | null;
  readonly [key: string]: unknown;
}

/** One cluster of a project: an account, a stack and a detail (`*` = any), optionally its own applications. */
export interface Front50ProjectCluster {
  readonly account: string;
  readonly stack?: string | null;
  readonly detail?: string | null;
  readonly applications?: readonly string[] | null;
}

/** Front50 answered something other than the JSON asked for, or could not be reached. */
export class Front50Error extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'Front50Error';
  }
}

export interface HttpFront50ClientOptions {
  /** Front50's base URL (`services.front50.baseUrl`), e.g. `http://front50:8080`. */
  readonly baseUrl: string;
  /** Per-request timeout (default 10 s). */
  readonly timeoutMs?: number;
  /** For tests and proxies; `globalThis.fetch` by default. */
  readonly fetch?: typeof fetch;
}

/**
 * {@link Front50Client} over HTTP. Only `baseUrl` is ever contacted: names from requests are
 * path-encoded into it, never used as URLs. A 404 is "not found"; any other failure is a
 * {@link Front50Error} naming the URL and status (never the response body, which may hold
 * another application's metadata).
 */
export class HttpFront50Client implements Front50Client {
  private readonly baseUrl: string;
  private readonly timeoutMs: number;
  private readonly fetchImpl: typeof fetch;

  constructor(options: HttpFront50ClientOptions) {
    const url = new URL(options.baseUrl);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`services.front50.baseUrl: expected an http(s) URL, got ${url.protocol}`);
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.fetchImpl = options.fetch ?? globalThis.fetch;
  }

  async getProject(nameOrId: string): Promise<Front50Project | undefined> {
    const project = await this.getJson(`/v2/projects/${encodeURIComponent(nameOrId)}`);
    if (project === undefined) return undefined;
    if (!isRecord(project) || typeof project.name !== 'string') throw new Front50Error(`Front50 returned a malformed project for ${nameOrId}`);
    return project as Front50Project;
  }

  async getApplication(name: string): Promise<Record<string, unknown> | undefined> {
    const application = await this.getJson(`/v2/applications/${encodeURIComponent(name)}`);
    if (application === undefined) return undefined;
    if (!isRecord(application)) throw new Front50Error(`Front50 returned a malformed application for ${name}`);
    return application;
  }

  async searchApplications(name: string, pageSize: number, filters: Readonly<Record<string, string>> = {}): Promise<Record<string, unknown>[]> {
    const params = new URLSearchParams({ ...filters, name, pageSize: String(pageSize) });
    const applications = await this.getJson(`/v2/applications?${params}`);
    if (!Array.isArray(applications)) throw new Front50Error('Front50 returned a malformed application list');
    return applications.filter(isRecord);
  }

  private async getJson(path: string): Promise<unknown> {
    const url = `${this.baseUrl}${path}`;
    let response: Response;
    try {
      response = await this.fetchImpl(url, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(this.timeoutMs) });
    } catch (error) {
      throw new Front50Error(`Front50 is unreachable at ${url}: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (response.status === 404) {
      await response.body?.cancel();
      return undefined;
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new Front50Error(`Front50 answered ${response.status} for GET ${url}`, response.status);
    }
    try {
      return await response.json();
    } catch {
      throw new Front50Error(`Front50 answered GET ${url} with a body that is not JSON`, response.status);
    }
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
