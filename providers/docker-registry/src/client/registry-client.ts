import { createHash } from 'node:crypto';
import { Agent, fetch, type Response } from 'undici';
import type { PasswordSource } from '../accounts/password-source.js';
import { parseWwwAuthenticate, type AuthChallenge } from './www-authenticate.js';

/** A non-2xx answer (or a refused exchange) from a registry or its token server. */
export class RegistryError extends Error {
  constructor(
    message: string,
    /** The HTTP status, when there was an answer. */
    readonly status?: number,
  ) {
    super(message);
    this.name = 'RegistryError';
  }
}

/** What the client needs from an account. */
export interface RegistryClientSettings {
  readonly address: string;
  readonly clientTimeoutMillis: number;
  readonly paginateSize: number;
  readonly insecureRegistry: boolean;
  readonly auth: PasswordSource;
}

/** Tuning knobs, mostly for tests. */
export interface RegistryClientOptions {
  /** Requests in flight at once per registry (default 8): one big account must not flood its registry. */
  readonly maxConcurrentRequests?: number;
  /** Retries of a 429/503 answer before giving up (default 3). */
  readonly maxRetries?: number;
  /** Longest wait between retries, whatever `Retry-After` says (default 30 s). */
  readonly maxBackoffMs?: number;
  /** How to wait (tests make it instant). */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** What the image config says about one tag. */
export interface ImageDetails {
  /** The manifest digest (`sha256:…`), the one `docker pull repo@digest` takes. */
  readonly digest?: string;
  /** The image's creation time, epoch ms (from the config blob, or a schema-1 history entry). */
  readonly createdMs?: number;
  /** The image's labels (`config.Labels`). */
  readonly labels?: Readonly<Record<string, string>>;
}

const MANIFEST_TYPES = [
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.v1+prettyjws',
].join(', ');

const USER_AGENT = 'Stratus-DockerRegistry/0.1 (Spinnaker Clouddriver compatible)';
const DOCKER_HUB_HOSTS = new Set(['index.docker.io', 'docker.io', 'registry-1.docker.io', 'registry.hub.docker.com']);
const TOKEN_REUSE_MARGIN_MS = 5_000;

const defaultSleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });

/**
 * A Docker Registry HTTP API v2 client: catalog and tag lists with `Link` pagination, manifest
 * digests, image configs; basic auth, and the token flow (a 401 with `WWW-Authenticate: Bearer
 * realm=…,service=…,scope=…` sends the client to the realm for a token, with basic credentials
 * when the account has them: Docker Hub, GHCR, Harbor, GitLab, ECR-style registries). Tokens are
 * reused per scope until they expire. 429 and 503 answers are retried after `Retry-After` (capped).
 * Requests never leave the configured registry's origin except to the token realm it names.
 */
export class RegistryClient {
  private readonly origin: string;
  private readonly dispatcher: Agent;
  private readonly tokens = new Map<string, { header: string; expiresAt: number }>();
  private readonly maxConcurrent: number;
  private readonly maxRetries: number;
  private readonly maxBackoffMs: number;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    private readonly settings: RegistryClientSettings,
    options: RegistryClientOptions = {},
  ) {
    this.origin = new URL(settings.address).origin;
    this.maxConcurrent = options.maxConcurrentRequests ?? 8;
    this.maxRetries = options.maxRetries ?? 3;
    this.maxBackoffMs = options.maxBackoffMs ?? 30_000;
    this.sleep = options.sleep ?? defaultSleep;
    this.dispatcher = new Agent({
      connections: this.maxConcurrent,
      ...(settings.insecureRegistry ? { connect: { rejectUnauthorized: false } } : {}),
    });
  }

  /** Closes the connection pool. */
  async close(): Promise<void> {
    await this.dispatcher.close();
  }

  /** The repository name the API takes: Docker Hub's official images live under `library/`. */
  apiRepository(repository: string): string {
    return DOCKER_HUB_HOSTS.has(new URL(this.origin).hostname) && !repository.includes('/') ? `library/${repository}` : repository;
  }

  /** `GET /v2/`: resolves when the registry answers and accepts the account's credentials. */
  async checkV2(signal?: AbortSignal): Promise<void> {
    await this.request('GET', '/v2/', undefined, { signal });
  }

  /** Every repository of `/v2/_catalog`, following `Link: <…>; rel="next"` pages. */
  async catalog(signal?: AbortSignal): Promise<string[]> {
    const repositories: string[] = [];
    let path: string | undefined = `/v2/_catalog?n=${this.settings.paginateSize}`;
    while (path) {
      const response = await this.request('GET', path, 'registry:catalog:*', { signal }).catch((error: unknown) => {
        if (error instanceof RegistryError && error.status === 404) {
          throw new RegistryError(`${this.origin} does not serve /v2/_catalog: list the account's repositories`, 404);
        }
        throw error;
      });
      const body = (await response.json()) as { repositories?: string[] | null };
      repositories.push(...(body.repositories ?? []));
      path = this.nextPage(response);
    }
    return repositories;
  }

  /** Every tag of a repository (`/v2/<name>/tags/list`, paginated); `undefined` when the repository does not exist. */
  async tags(repository: string, signal?: AbortSignal): Promise<string[] | undefined> {
    const name = this.apiRepository(repository);
    const tags: string[] = [];
    let path: string | undefined = `/v2/${name}/tags/list?n=${this.settings.paginateSize}`;
    while (path) {
      let response: Response;
      try {
        response = await this.request('GET', path, `repository:${name}:pull`, { signal });
      } catch (error) {
        if (error instanceof RegistryError && error.status === 404) return undefined;
        throw error;
      }
      const body = (await response.json()) as { tags?: string[] | null };
      tags.push(...(body.tags ?? []).filter((tag) => typeof tag === 'string' && tag !== ''));
      path = this.nextPage(response);
    }
    return tags;
  }

  /**
   * The digest of a tag's manifest from a `HEAD` (cheap, and not counted by Docker Hub's pull
   * limit); `undefined` when the tag is gone.
   */
  async manifestDigest(repository: string, tag: string, signal?: AbortSignal): Promise<string | undefined> {
    const name = this.apiRepository(repository);
    try {
      const response = await this.request('HEAD', `/v2/${name}/manifests/${encodeURIComponent(tag)}`, `repository:${name}:pull`, {
        signal,
        accept: MANIFEST_TYPES,
      });
      const digest = response.headers.get('docker-content-digest');
      if (digest) return digest;
    } catch (error) {
      if (error instanceof RegistryError && error.status === 404) return undefined;
      throw error;
    }
    // Some registries send no digest header on HEAD: hash the manifest as served.
    const manifest = await this.manifest(name, tag, signal);
    return manifest?.digest;
  }

  /**
   * The digest, creation date and labels of a tag: the manifest, then its config blob. For a
   * manifest list (multi-arch image) the linux/amd64 entry (else the first) describes the image.
   * `undefined` when the tag is gone.
   */
  async imageDetails(repository: string, tag: string, signal?: AbortSignal): Promise<ImageDetails | undefined> {
    const name = this.apiRepository(repository);
    const top = await this.manifest(name, tag, signal);
    if (!top) return undefined;
    let body = top.body;
    if (Array.isArray(body.manifests)) {
      const entries = body.manifests as { digest?: string; platform?: { os?: string; architecture?: string } }[];
      const chosen = entries.find((entry) => entry.platform?.os === 'linux' && entry.platform.architecture === 'amd64') ?? entries[0];
      const inner = chosen?.digest ? await this.manifest(name, chosen.digest, signal) : undefined;
      if (!inner) return { digest: top.digest };
      body = inner.body;
    }
    const configDigest = (body.config as { digest?: string } | undefined)?.digest;
    if (configDigest) {
      const response = await this.request('GET', `/v2/${name}/blobs/${configDigest}`, `repository:${name}:pull`, { signal });
      const config = (await response.json()) as { created?: string; config?: { Labels?: Record<string, string> | null } };
      return { digest: top.digest, ...createdOf(config.created), ...(config.config?.Labels ? { labels: config.config.Labels } : {}) };
    }
    // Schema 1: the newest history entry carries the v1 image JSON.
    const history = body.history as { v1Compatibility?: string }[] | undefined;
    if (history?.[0]?.v1Compatibility) {
      try {
        const v1 = JSON.parse(history[0].v1Compatibility) as { created?: string; config?: { Labels?: Record<string, string> | null } };
        return { digest: top.digest, ...createdOf(v1.created), ...(v1.config?.Labels ? { labels: v1.config.Labels } : {}) };
      } catch {
        // unreadable history: no date
      }
    }
    return { digest: top.digest };
  }

  private async manifest(name: string, reference: string, signal?: AbortSignal): Promise<{ digest: string; body: Record<string, unknown> } | undefined> {
    let response: Response;
    try {
      response = await this.request('GET', `/v2/${name}/manifests/${encodeURIComponent(reference)}`, `repository:${name}:pull`, {
        signal,
        accept: MANIFEST_TYPES,
      });
    } catch (error) {
      if (error instanceof RegistryError && error.status === 404) return undefined;
      throw error;
    }
    const bytes = Buffer.from(await response.arrayBuffer());
    const digest = response.headers.get('docker-content-digest') ?? `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
    try {
      return { digest, body: JSON.parse(bytes.toString('utf8')) as Record<string, unknown> };
    } catch {
      throw new RegistryError(`${this.origin}/v2/${name}/manifests/${reference} is not JSON`);
    }
  }

  /**
   * The path of the next page from a `Link: <…>; rel="next"` header. Only its path and query are
   * kept and asked of this registry (as Clouddriver does): registries behind a proxy often name an
   * internal host there, and a page link must never send the client elsewhere.
   */
  private nextPage(response: Response): string | undefined {
    const link = response.headers.get('link');
    if (!link) return undefined;
    const next = link.split(',').find((part) => /;\s*rel="?next"?/i.test(part));
    const target = next ? /<([^>]+)>/.exec(next)?.[1] : undefined;
    if (!target) return undefined;
    const url = new URL(target, `${this.origin}/`);
    return `${url.pathname}${url.search}`;
  }

  /**
   * One request with the auth dance and rate-limit back-off. `scope` is what a token for this
   * request needs (`repository:<name>:pull`), used when the challenge names none.
   */
  private async request(
    method: 'GET' | 'HEAD',
    path: string,
    scope: string | undefined,
    options: { signal?: AbortSignal | undefined; accept?: string },
  ): Promise<Response> {
    const tokenKey = scope ?? '';
    let retried = false;
    for (let attempt = 0; ; attempt++) {
      const cached = this.tokens.get(tokenKey);
      // A valid token for the scope, else basic credentials (as Clouddriver sends them) when the account has some.
      const authorization = cached && cached.expiresAt > Date.now() ? cached.header : await this.settings.auth.basicAuthHeader();
      const response = await this.send(method, `${this.origin}${path}`, authorization, options);
      if (response.ok) return response;
      await response.body?.cancel().catch(() => undefined);
      const where = `${method} ${this.origin}${path}`;

      if ((response.status === 401 || response.status === 400) && !retried) {
        const challenges = parseWwwAuthenticate(response.headers.get('www-authenticate') ?? '');
        const bearer = challenges.find((challenge) => challenge.scheme === 'bearer');
        if (bearer) {
          this.tokens.set(tokenKey, await this.fetchToken(bearer, scope, options.signal));
          retried = true;
          continue;
        }
        if (challenges.some((challenge) => challenge.scheme === 'basic')) {
          if (!this.settings.auth.hasCredentials) throw new RegistryError(`${where} needs credentials (basic auth): set username and password`, 401);
          throw new RegistryError(`${where} rejected the credentials of ${this.settings.auth.username} (401)`, 401);
        }
      }
      if (response.status === 401) {
        this.tokens.delete(tokenKey);
        throw new RegistryError(`${where} answered 401: the registry refused the credentials or token`, 401);
      }
      if ((response.status === 429 || response.status === 503) && attempt < this.maxRetries) {
        await this.sleep(this.backoffMs(response, attempt), options.signal);
        continue;
      }
      if (response.status === 429) throw new RegistryError(`${where} is rate limited (429) after ${attempt} retries`, 429);
      throw new RegistryError(`${where} answered ${response.status}`, response.status);
    }
  }

  private backoffMs(response: Response, attempt: number): number {
    const header = response.headers.get('retry-after');
    let ms = 1_000 * 2 ** attempt;
    if (header && /^\d+$/.test(header.trim())) ms = Number(header.trim()) * 1000;
    else if (header && !Number.isNaN(Date.parse(header))) ms = Date.parse(header) - Date.now();
    return Math.min(Math.max(ms, 0), this.maxBackoffMs);
  }

  /** Asks the challenge's realm for a token (`?service=&scope=`), with basic credentials when the account has them. */
  private async fetchToken(
    challenge: AuthChallenge,
    fallbackScope: string | undefined,
    signal: AbortSignal | undefined,
  ): Promise<{ header: string; expiresAt: number }> {
    const realm = challenge.params.realm;
    if (!realm) throw new RegistryError(`${this.origin} sent a Bearer challenge without a realm`);
    let url: URL;
    try {
      url = new URL(realm);
    } catch {
      throw new RegistryError(`${this.origin} sent a Bearer challenge with an invalid realm ${JSON.stringify(realm)}`);
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new RegistryError(`token realm ${realm} is not http(s)`);
    const scope = challenge.params.scope ?? fallbackScope;
    if (challenge.params.service) url.searchParams.set('service', challenge.params.service);
    if (scope) url.searchParams.set('scope', scope);
    // Credentials go to the realm only over TLS, unless the registry itself is plain HTTP or marked insecure.
    const mayCarryCredentials = url.protocol === 'https:' || this.origin.startsWith('http:') || this.settings.insecureRegistry;
    const authorization = this.settings.auth.hasCredentials && mayCarryCredentials ? await this.settings.auth.basicAuthHeader() : undefined;
    const response = await this.send('GET', url.toString(), authorization, { signal });
    if (!response.ok) {
      await response.body?.cancel().catch(() => undefined);
      const who = authorization ? `for ${this.settings.auth.username}` : 'anonymously';
      throw new RegistryError(
        `token server ${url.origin}${url.pathname} refused a token ${who} (${response.status})`,
        response.status === 401 || response.status === 403 ? 401 : response.status,
      );
    }
    const body = (await response.json()) as { token?: string; access_token?: string; bearer_token?: string; expires_in?: number };
    const token = body.bearer_token ?? body.token ?? body.access_token;
    if (!token) throw new RegistryError(`token server ${url.origin}${url.pathname} answered without a token`);
    // The spec's default lifetime is 60 s; renew a little early.
    const lifetimeMs = (typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in : 60) * 1000;
    return { header: `Bearer ${token}`, expiresAt: Date.now() + lifetimeMs - TOKEN_REUSE_MARGIN_MS };
  }

  private async send(
    method: string,
    url: string,
    authorization: string | undefined,
    options: { signal?: AbortSignal | undefined; accept?: string },
  ): Promise<Response> {
    await this.acquire();
    const timeout = AbortSignal.timeout(this.settings.clientTimeoutMillis);
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
    try {
      return await fetch(url, {
        method,
        dispatcher: this.dispatcher,
        signal,
        headers: {
          'user-agent': USER_AGENT,
          'docker-distribution-api-version': 'registry/2.0',
          ...(options.accept ? { accept: options.accept } : {}),
          ...(authorization ? { authorization } : {}),
        },
      });
    } catch (error) {
      if (timeout.aborted) throw new RegistryError(`${method} ${url.replace(/\?.*$/, '')} timed out after ${this.settings.clientTimeoutMillis} ms`);
      if (options.signal?.aborted) throw error;
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      throw new RegistryError(`${method} ${url.replace(/\?.*$/, '')} failed: ${cause?.code ?? cause?.message ?? (error as Error).message}`);
    } finally {
      this.release();
    }
  }

  private async acquire(): Promise<void> {
    if (this.active < this.maxConcurrent) {
      this.active += 1;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.active -= 1;
  }
}

function createdOf(created: string | undefined): { createdMs?: number } {
  const ms = created ? Date.parse(created) : Number.NaN;
  return Number.isNaN(ms) ? {} : { createdMs: ms };
}
