import type { RequestOptions } from 'node:https';
import {
  createConfiguration,
  KubeConfig,
  KubernetesObjectApi,
  ServerConfiguration,
  Watch,
  type Configuration,
  type RequestContext,
  type ResponseContext,
} from '@kubernetes/client-node';
import { Agent } from 'undici';
import { KubernetesApiError } from './kubernetes-api-error.js';
import type { KubernetesKind } from './kubernetes-kind.js';

/** A Kubernetes object as plain JSON (never the client's typed model classes). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- Kubernetes manifests are arbitrary user JSON (any kind, any CRD)
export type Manifest = Record<string, any> & {
  apiVersion?: string;
  kind?: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- Kubernetes manifests are arbitrary user JSON (any kind, any CRD)
  metadata?: Record<string, any>;
};

export type PatchType = 'merge' | 'strategic' | 'json';

const PATCH_CONTENT_TYPES: Record<PatchType, string> = {
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  json: 'application/json-patch+json',
};

/** The response "type" that makes {@link RawObjectApi} hand back the body as text (pod logs). */
const TEXT_RESPONSE = 'text/plain';

/**
 * The official client's generic object API, answering raw JSON. The typed model classes drop
 * fields they do not know and turn timestamps into `Date`s; a manifest reader wants exactly what
 * the server sent, so `processResponse` parses the body and nothing more.
 */
class RawObjectApi extends KubernetesObjectApi {
  protected override async processResponse<T>(response: ResponseContext, type?: string): Promise<T> {
    const text = await response.body.text();
    if (response.httpStatusCode >= 200 && response.httpStatusCode <= 299) {
      if (type === TEXT_RESPONSE) return text as T;
      return (text === '' ? {} : JSON.parse(text)) as T;
    }
    throw Object.assign(new Error(`HTTP ${response.httpStatusCode}`), { code: response.httpStatusCode, body: text });
  }

  /** Sends one request through the client's transport (auth, TLS, middleware). */
  async send<T>(
    method: string,
    path: string,
    options: { query?: Record<string, string | undefined>; body?: unknown; contentType?: string; timeoutMs: number; text?: boolean },
  ): Promise<T> {
    const context: RequestContext = this.configuration.baseServer.makeRequestContext(path, method as never);
    context.setHeaderParam('Accept', options.text ? '*/*' : 'application/json');
    for (const [key, value] of Object.entries(options.query ?? {})) if (value !== undefined) context.setQueryParam(key, value);
    if (options.body !== undefined) {
      context.setHeaderParam('Content-Type', options.contentType ?? 'application/json');
      context.setBody(JSON.stringify(options.body));
    }
    context.setSignal(AbortSignal.timeout(options.timeoutMs));
    return (options.text ? this.requestPromise(context as never, TEXT_RESPONSE as never) : this.requestPromise(context as never)) as Promise<T>;
  }

  get config(): Configuration {
    return this.configuration;
  }
}

/**
 * What `KubeConfig.makeApiClient` builds, plus one middleware: the client (v2, over undici) makes a
 * fresh undici `Agent` for every request of a cluster with TLS settings (a new connection and TLS
 * handshake per call, and an agent nobody closes); this swaps in one keep-alive dispatcher per
 * cluster built from the same TLS options. Proxied clusters keep the client's own dispatchers.
 */
function configurationFor(kubeConfig: KubeConfig): Configuration {
  const cluster = kubeConfig.getCurrentCluster();
  if (!cluster) throw new Error('the kubeconfig has no current cluster');
  let shared: Promise<Agent> | undefined;
  const keepAliveDispatcher = () =>
    (shared ??= (async () => {
      const options: RequestOptions = {};
      await kubeConfig.applyToHTTPSOptions(options);
      return new Agent({
        // undici keeps connections alive by default; 16 per origin as the old https.Agent's maxSockets.
        connections: 16,
        // HTTP/1.1 only, as client 1.x spoke: undici 8 would negotiate HTTP/2 with the API server and put
        // requests and long watches on shared streams, a path no test here exercises (the fake speaks 1.1).
        allowH2: false,
        connect: {
          ca: options.ca,
          cert: options.cert,
          key: options.key,
          pfx: options.pfx,
          passphrase: options.passphrase,
          servername: options.servername,
          // The client's own choice (and client-go's): probes before cloud load balancers' 60 s idle cut.
          keepAlive: true,
          keepAliveInitialDelay: 30_000,
          ...(options.rejectUnauthorized !== undefined ? { rejectUnauthorized: options.rejectUnauthorized } : {}),
        },
      });
    })());
  return createConfiguration({
    baseServer: new ServerConfiguration(cluster.server, {}),
    authMethods: { default: kubeConfig },
    promiseMiddleware: cluster.proxyUrl
      ? []
      : [
          {
            pre: async (context: RequestContext) => {
              context.setDispatcher(await keepAliveDispatcher());
              return context;
            },
            post: async (response: ResponseContext) => response,
          },
        ],
  });
}

export interface ListResult {
  readonly items: Manifest[];
  readonly resourceVersion: string;
}

export interface KubernetesClientOptions {
  /** Per-request timeout (a listener that never answers would otherwise hang forever). Default 10 s. */
  readonly requestTimeoutMs?: number;
  /** Page size for lists (`limit`/`continue`). Default 500. */
  readonly pageSize?: number;
}

/**
 * The provider's narrow port to one cluster, over `@kubernetes/client-node`: list (all pages), get,
 * create, replace, patch, delete and watch, for the kinds the provider knows. Paths come from the
 * kind table, so no discovery round trips are needed.
 */
export class KubernetesClient {
  private readonly api: RawObjectApi;
  private readonly requestTimeoutMs: number;
  private readonly pageSize: number;

  constructor(
    readonly kubeConfig: KubeConfig,
    options: KubernetesClientOptions = {},
  ) {
    this.api = new RawObjectApi(configurationFor(kubeConfig));
    this.requestTimeoutMs = options.requestTimeoutMs ?? 10_000;
    this.pageSize = options.pageSize ?? 500;
  }

  /** Builds a client from kubeconfig contents (YAML or JSON) or a file, selecting a context. */
  static fromKubeconfig(source: { contents?: string; file?: string; context?: string }, options?: KubernetesClientOptions): KubernetesClient {
    const kc = new KubeConfig();
    if (source.contents) kc.loadFromString(source.contents);
    else if (source.file) kc.loadFromFile(source.file);
    else throw new Error('kubeconfigFile or kubeconfigContents is required');
    if (source.context) kc.setCurrentContext(source.context);
    return new KubernetesClient(kc, options);
  }

  collectionPath(kind: KubernetesKind, namespace?: string): string {
    const base = kind.group === '' ? `/api/${kind.apiVersion}` : `/apis/${kind.apiVersion}`;
    return kind.namespaced && namespace ? `${base}/namespaces/${encodeURIComponent(namespace)}/${kind.plural}` : `${base}/${kind.plural}`;
  }

  objectPath(kind: KubernetesKind, namespace: string | undefined, name: string): string {
    return `${this.collectionPath(kind, kind.namespaced ? namespace : undefined)}/${encodeURIComponent(name)}`;
  }

  /** Every object of a kind (in one namespace, or all), following `continue` tokens. */
  async list(kind: KubernetesKind, namespace?: string, labelSelector?: string, fieldSelector?: string): Promise<ListResult> {
    const items: Manifest[] = [];
    let continueToken: string | undefined;
    let resourceVersion = '';
    do {
      const page = await this.call<{ items?: Manifest[]; metadata?: { resourceVersion?: string; continue?: string } }>(
        `list ${kind.kind}`,
        'GET',
        this.collectionPath(kind, namespace),
        { query: { limit: String(this.pageSize), continue: continueToken, labelSelector, fieldSelector } },
      );
      for (const item of page.items ?? []) items.push({ apiVersion: kind.apiVersion, kind: kind.kind, ...item });
      resourceVersion = page.metadata?.resourceVersion ?? resourceVersion;
      continueToken = page.metadata?.continue || undefined;
    } while (continueToken);
    return { items, resourceVersion };
  }

  /** A discovery document (`/api`, `/apis`, `/apis/{group}/{version}`) as JSON. */
  discover<T>(path: string): Promise<T> {
    return this.call<T>(`discover ${path}`, 'GET', path);
  }

  /** One object, or `undefined` when it does not exist. */
  async get(kind: KubernetesKind, namespace: string | undefined, name: string): Promise<Manifest | undefined> {
    try {
      return await this.call<Manifest>(`get ${kind.kind} ${name}`, 'GET', this.objectPath(kind, namespace, name));
    } catch (error) {
      if (error instanceof KubernetesApiError && error.notFound) return undefined;
      throw error;
    }
  }

  create(kind: KubernetesKind, manifest: Manifest): Promise<Manifest> {
    return this.call(`create ${kind.kind} ${manifest.metadata?.name}`, 'POST', this.collectionPath(kind, manifest.metadata?.namespace), { body: manifest });
  }

  replace(kind: KubernetesKind, manifest: Manifest): Promise<Manifest> {
    return this.call(`replace ${kind.kind} ${manifest.metadata?.name}`, 'PUT', this.objectPath(kind, manifest.metadata?.namespace, manifest.metadata!.name), {
      body: manifest,
    });
  }

  patch(kind: KubernetesKind, namespace: string | undefined, name: string, patch: unknown, type: PatchType): Promise<Manifest> {
    return this.call(`patch ${kind.kind} ${name}`, 'PATCH', this.objectPath(kind, namespace, name), { body: patch, contentType: PATCH_CONTENT_TYPES[type] });
  }

  delete(
    kind: KubernetesKind,
    namespace: string | undefined,
    name: string,
    options: { propagationPolicy?: string; gracePeriodSeconds?: number } = {},
  ): Promise<unknown> {
    return this.call(`delete ${kind.kind} ${name}`, 'DELETE', this.objectPath(kind, namespace, name), {
      query: {
        propagationPolicy: options.propagationPolicy,
        gracePeriodSeconds: options.gracePeriodSeconds === undefined ? undefined : String(options.gracePeriodSeconds),
      },
    });
  }

  /**
   * A container's log as text (`GET …/pods/{name}/log?container=`), as `kubectl logs` reads it. The
   * cluster's 400 (no such container, not started) comes back as a {@link KubernetesApiError}.
   */
  podLogs(namespace: string, pod: string, container?: string): Promise<string> {
    const path = `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(pod)}/log`;
    return this.call<string>(`logs of pod ${pod}`, 'GET', path, { query: { container }, text: true });
  }

  /**
   * Opens a watch from `resourceVersion`. `onEvent` gets ADDED/MODIFIED/DELETED/BOOKMARK/ERROR;
   * `onDone` fires once with `null` (server closed), an abort error, or an error with `statusCode`.
   * Resolves to the controller that stops it.
   */
  async watch(
    kind: KubernetesKind,
    namespace: string | undefined,
    resourceVersion: string,
    onEvent: (type: string, object: Manifest) => void,
    onDone: (error: unknown) => void,
  ): Promise<AbortController> {
    // client-node 2 aborts a watch that has been silent for 30 s with a TimeoutError. Once the
    // stream had started that is a quiet stream, not a failure: it ends like a server-side close so
    // the caller resumes at once instead of backing off. Before the stream started it stays an error.
    let started = false;
    const controller = await new Watch(this.kubeConfig).watch(
      this.collectionPath(kind, namespace),
      { resourceVersion, allowWatchBookmarks: true },
      (type, object) => onEvent(type, object as Manifest),
      (error: unknown) => onDone(started && (error as Error | null)?.name === 'TimeoutError' ? null : error),
    );
    started = true;
    return controller;
  }

  private async call<T>(
    what: string,
    method: string,
    path: string,
    options: { query?: Record<string, string | undefined>; body?: unknown; contentType?: string; text?: boolean } = {},
  ): Promise<T> {
    try {
      return await this.api.send<T>(method, path, { ...options, timeoutMs: this.requestTimeoutMs });
    } catch (error) {
      throw KubernetesApiError.from(error, what);
    }
  }
}
