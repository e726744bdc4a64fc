import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { FakeApiError, gone } from './fake-api-error.js';
import { FakeRbac } from './fake-rbac.js';
import { FakeKubernetesCluster, type ClusterEvent, type FakeKubernetesClusterOptions, type KubeObject } from './fake-kubernetes-cluster.js';
import { parseFieldSelector, parseLabelSelector } from './label-selector.js';
import { apiVersionOf, type FakeResourceType } from './resource-types.js';
import { makeSelfSignedCertificate, type SelfSignedCertificate } from './self-signed-certificate.js';

export interface FakeKubernetesServerOptions extends FakeKubernetesClusterOptions {
  /** Reuse a certificate (making one costs ~100 ms of openssl). */
  readonly certificate?: SelfSignedCertificate;
  /** When set, requests must carry `Authorization: Bearer <token>` (401 otherwise). */
  readonly token?: string;
}

/** One request the server saw, for assertions such as "no watch was opened". */
export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly watch: boolean;
  readonly contentType?: string;
}

interface Route {
  readonly type: FakeResourceType;
  /** Undefined for cluster-scoped resources and cluster-wide lists. */
  readonly namespace?: string | undefined;
  /** Undefined for lists and watches. */
  readonly name?: string | undefined;
}

/**
 * A fake Kubernetes API server over HTTPS on 127.0.0.1 that `@kubernetes/client-node` talks to
 * unchanged: discovery, list (resourceVersion, limit/continue, labelSelector, fieldSelector), watch (resume by
 * resourceVersion, 410 Gone when expired), create/replace/patch/delete with 404/409 semantics, and
 * the Deployment → ReplicaSet → Pod controller of {@link FakeKubernetesCluster}.
 *
 * `server.cluster` changes resources "directly in the cluster"; `server.kubeconfig()` gives a
 * kubeconfig object for `KubeConfig.loadFromOptions` (or `kubeconfigYaml()` for a file/contents).
 */
export class FakeKubernetesServer {
  readonly requests: RecordedRequest[] = [];
  /** Deny rules of the service account the clients use (403 Forbidden), changeable at runtime. */
  readonly rbac = new FakeRbac();
  /** TCP connections accepted so far (to see whether clients reuse connections). */
  connectionCount = 0;
  private readonly sockets = new Set<Socket>();
  /** Open watch streams and the function that detaches each from the cluster. */
  private readonly watches = new Map<ServerResponse, () => void>();

  private constructor(
    private readonly server: Server,
    readonly cluster: FakeKubernetesCluster,
    readonly certificate: SelfSignedCertificate,
    private readonly token: string | undefined,
  ) {}

  static async start(options: FakeKubernetesServerOptions = {}): Promise<FakeKubernetesServer> {
    const certificate = options.certificate ?? makeSelfSignedCertificate();
    const cluster = new FakeKubernetesCluster(options);
    let fake: FakeKubernetesServer | undefined;
    const server = createServer({ key: certificate.key, cert: certificate.cert }, (req, res) => fake!.handle(req, res));
    fake = new FakeKubernetesServer(server, cluster, certificate, options.token);
    server.on('connection', (socket: Socket) => {
      fake!.connectionCount++;
      fake!.sockets.add(socket);
      socket.on('close', () => fake!.sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    return fake;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  get url(): string {
    return `https://127.0.0.1:${this.port}`;
  }

  /** Watch streams currently open. */
  get openWatchCount(): number {
    return this.watches.size;
  }

  /** A kubeconfig (as `KubeConfig.loadFromOptions` takes it) trusting this server's certificate. */
  kubeconfig(contextName = 'fake'): Record<string, unknown> {
    return {
      clusters: [{ name: contextName, server: this.url, caData: Buffer.from(this.certificate.cert).toString('base64') }],
      users: [{ name: contextName, token: this.token ?? 'fake-token' }],
      contexts: [{ name: contextName, cluster: contextName, user: contextName }],
      currentContext: contextName,
    };
  }

  /** The same kubeconfig as a YAML document (JSON is valid YAML), for `kubeconfigContents`. */
  kubeconfigYaml(contextName = 'fake'): string {
    const config = this.kubeconfig(contextName) as { clusters: any[]; users: any[]; contexts: any[]; currentContext: string };
    return JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: config.clusters.map((c) => ({ name: c.name, cluster: { server: c.server, 'certificate-authority-data': c.caData } })),
      users: config.users.map((u) => ({ name: u.name, user: { token: u.token } })),
      contexts: config.contexts.map((c) => ({ name: c.name, context: { cluster: c.cluster, user: c.user } })),
      'current-context': config.currentContext,
    });
  }

  /** Ends every open watch stream (clients see a server-side close and must re-watch). */
  closeWatches(): void {
    for (const [res, detach] of [...this.watches]) {
      detach();
      res.end();
    }
  }

  async close(): Promise<void> {
    this.closeWatches();
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  // ---- HTTP ----

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'https://127.0.0.1');
    const watch = url.searchParams.get('watch') === '1' || url.searchParams.get('watch') === 'true';
    const contentType = req.headers['content-type'];
    this.requests.push({ method: req.method ?? 'GET', path: url.pathname + url.search, watch, ...(contentType ? { contentType } : {}) });
    try {
      if (this.token !== undefined && req.headers.authorization !== `Bearer ${this.token}`) {
        throw new FakeApiError(401, 'Unauthorized', 'Unauthorized');
      }
      const body = await readBody(req);
      const discovery = this.discovery(url.pathname);
      if (discovery) return send(res, 200, discovery);
      const podLog = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/log\/?$/.exec(url.pathname);
      if (podLog && (req.method ?? 'GET') === 'GET')
        return this.sendPodLog(res, decodeURIComponent(podLog[1]!), decodeURIComponent(podLog[2]!), url.searchParams);
      const route = this.route(url.pathname);
      if (!route) throw new FakeApiError(404, 'NotFound', 'the server could not find the requested resource');
      const method = req.method ?? 'GET';
      const { type, namespace, name } = route;
      this.rbac.check({ verb: verbOf(method, name, watch), group: type.group, resource: type.plural, namespace });
      if (method === 'GET' && name === undefined) {
        if (watch) return this.watch(res, route, url.searchParams);
        return send(res, 200, this.list(route, url.searchParams));
      }
      if (method === 'GET') return send(res, 200, this.requireObject(type, namespace, name!));
      if (method === 'POST' && name === undefined) return send(res, 201, this.cluster.create(type, namespace, parseJson(body) as KubeObject));
      if (method === 'PUT' && name !== undefined) return send(res, 200, this.cluster.replace(type, namespace, name, parseJson(body) as KubeObject));
      if (method === 'PATCH' && name !== undefined) {
        return send(res, 200, this.cluster.patch(type, namespace, name, String(req.headers['content-type'] ?? ''), parseJson(body)));
      }
      if (method === 'DELETE' && name !== undefined) {
        const options = body.length > 0 ? (parseJson(body) as { propagationPolicy?: string; orphanDependents?: boolean }) : {};
        const orphan = url.searchParams.get('orphanDependents') === 'true' || options.orphanDependents === true;
        const policy = url.searchParams.get('propagationPolicy') ?? options.propagationPolicy ?? (orphan ? 'Orphan' : undefined);
        return send(res, 200, this.cluster.delete(type, namespace, name, policy));
      }
      throw new FakeApiError(405, 'MethodNotAllowed', `${method} is not supported on this path`);
    } catch (error) {
      const apiError = error instanceof FakeApiError ? error : new FakeApiError(500, 'InternalError', String((error as Error)?.message ?? error));
      if (!res.headersSent) send(res, apiError.code, apiError.toStatus());
      else res.end();
    }
  }

  private discovery(path: string): Record<string, unknown> | undefined {
    const trimmed = path.replace(/\/+$/, '');
    const types = this.cluster.types;
    if (trimmed === '/version') {
      return { major: '1', minor: '30', gitVersion: 'v1.30.0-stratus-fake', platform: 'linux/amd64', goVersion: 'go1.22' };
    }
    if (trimmed === '/api') return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [] };
    if (trimmed === '/apis') {
      const groups = [...new Set(types.filter((t) => t.group !== '').map((t) => t.group))];
      return {
        kind: 'APIGroupList',
        apiVersion: 'v1',
        groups: groups.map((name) => {
          // Served versions, newest first by Kubernetes' ordering (v1 > v1beta2 > v1beta1 > v1alpha1).
          const versions = [...new Set(types.filter((t) => t.group === name).map((t) => t.version))].sort(compareVersions);
          const entries = versions.map((version) => ({ groupVersion: `${name}/${version}`, version }));
          return { name, versions: entries, preferredVersion: entries[0] };
        }),
      };
    }
    const match = /^\/(?:api\/(v1)|apis\/([^/]+)\/([^/]+))$/.exec(trimmed);
    if (!match) return undefined;
    const group = match[2] ?? '';
    const version = match[1] ?? match[3]!;
    const inGroup = types.filter((t) => t.group === group && t.version === version);
    if (inGroup.length === 0) return undefined;
    return {
      kind: 'APIResourceList',
      apiVersion: 'v1',
      groupVersion: apiVersionOf({ group, version }),
      resources: inGroup.map((t) => ({
        name: t.plural,
        singularName: t.kind.toLowerCase(),
        namespaced: t.namespaced,
        kind: t.kind,
        shortNames: t.shortNames ?? [],
        verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
      })),
    };
  }

  /** `/api/v1/[namespaces/{ns}/]{plural}[/{name}]` or the same under `/apis/{group}/{version}`. */
  private route(path: string): Route | undefined {
    const match = /^\/(?:api\/(v1)|apis\/([^/]+)\/([^/]+))\/(.+?)\/?$/.exec(path);
    if (!match) return undefined;
    const group = match[2] ?? '';
    const version = match[1] ?? match[3]!;
    const parts = match[4]!.split('/').map(decodeURIComponent);
    let namespace: string | undefined;
    if (parts[0] === 'namespaces' && parts.length >= 3) {
      namespace = parts[1];
      parts.splice(0, 2);
    }
    if (parts.length > 2) return undefined; // subresources (status, scale, log …) are not served
    const type = this.cluster.typeByPath(group, version, parts[0]!);
    if (!type) return undefined;
    if (!type.namespaced && namespace !== undefined) return undefined;
    return { type, namespace, name: parts[1] };
  }

  /** `GET /api/v1/namespaces/{ns}/pods/{name}/log?container=`: the container's log as plain text. */
  private sendPodLog(res: ServerResponse, namespace: string, name: string, params: URLSearchParams): void {
    const podType = this.cluster.types.find((t) => t.kind === 'Pod')!;
    const text = this.cluster.podLogs.read(this.requireObject(podType, namespace, name), params.get('container'));
    res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': Buffer.byteLength(text) });
    res.end(text);
  }

  private requireObject(type: FakeResourceType, namespace: string | undefined, name: string): KubeObject {
    const found = this.cluster.get(type, namespace, name);
    if (!found) throw new FakeApiError(404, 'NotFound', `${type.plural}${type.group ? '.' + type.group : ''} "${name}" not found`);
    return found;
  }

  private list(route: Route, params: URLSearchParams): Record<string, unknown> {
    const fields = this.fieldSelector(params);
    const all = this.cluster.list(route.type, route.namespace, params.get('labelSelector') ?? undefined).filter(fields);
    const limit = Number(params.get('limit') ?? 0);
    const token = params.get('continue');
    let start = 0;
    let listRevision = this.cluster.resourceVersion;
    if (token) {
      let decoded: { rv: number; after: string };
      try {
        decoded = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
      } catch {
        throw new FakeApiError(400, 'BadRequest', 'invalid continue token');
      }
      // A continue token outlives nothing: once history moved past it, the list must restart.
      this.cluster.eventsSince(decoded.rv);
      listRevision = decoded.rv;
      start = all.findIndex((o) => keyOf(o) > decoded.after);
      if (start === -1) start = all.length;
    }
    const items = limit > 0 ? all.slice(start, start + limit) : all.slice(start);
    const more = limit > 0 && start + limit < all.length;
    const metadata: Record<string, unknown> = { resourceVersion: String(listRevision) };
    if (more) metadata.continue = Buffer.from(JSON.stringify({ rv: listRevision, after: keyOf(items[items.length - 1]!) })).toString('base64url');
    return { kind: `${route.type.kind}List`, apiVersion: apiVersionOf(route.type), metadata, items };
  }

  private fieldSelector(params: URLSearchParams): (object: KubeObject) => boolean {
    try {
      return parseFieldSelector(params.get('fieldSelector') ?? undefined);
    } catch (error) {
      throw new FakeApiError(400, 'BadRequest', (error as Error).message);
    }
  }

  private watch(res: ServerResponse, route: Route, params: URLSearchParams): void {
    const matches = parseLabelSelector(params.get('labelSelector') ?? undefined);
    const fields = this.fieldSelector(params);
    const wanted = (event: ClusterEvent) =>
      event.resourceType === route.type &&
      (route.namespace === undefined || event.object.metadata?.namespace === route.namespace) &&
      matches(event.object.metadata?.labels) &&
      fields(event.object);
    const rv = params.get('resourceVersion');
    res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' });
    res.flushHeaders();
    const write = (type: string, object: unknown) => {
      if (!res.writableEnded && !res.destroyed) res.write(JSON.stringify({ type, object }) + '\n');
    };
    let backlog: { type: string; object: KubeObject }[];
    try {
      backlog =
        rv === null || rv === '' || rv === '0'
          ? this.cluster
              .list(route.type, route.namespace, params.get('labelSelector') ?? undefined)
              .filter(fields)
              .map((object) => ({ type: 'ADDED', object }))
          : this.cluster
              .eventsSince(Number(rv))
              .filter(wanted)
              .map((e) => ({ type: e.type, object: e.object }));
    } catch (error) {
      const status = error instanceof FakeApiError ? error : gone(String(error));
      write('ERROR', status.toStatus());
      res.end();
      return;
    }
    for (const event of backlog) write(event.type, event.object);
    const unsubscribe = this.cluster.subscribe((event) => {
      if (wanted(event)) write(event.type, event.object);
    });
    const timeoutSeconds = Number(params.get('timeoutSeconds') ?? 0);
    const timer = timeoutSeconds > 0 ? setTimeout(() => res.end(), timeoutSeconds * 1000) : undefined;
    const cleanup = () => {
      clearTimeout(timer);
      unsubscribe();
      this.watches.delete(res);
    };
    this.watches.set(res, cleanup);
    res.on('close', cleanup);
    res.on('finish', cleanup);
  }
}

/** The RBAC verb of a request. */
function verbOf(method: string, name: string | undefined, watch: boolean): string {
  if (method === 'GET') return name !== undefined ? 'get' : watch ? 'watch' : 'list';
  return ({ POST: 'create', PUT: 'update', PATCH: 'patch', DELETE: 'delete' } as Record<string, string>)[method] ?? method.toLowerCase();
}

/** Kubernetes' version priority: GA before beta before alpha, higher numbers first. */
function compareVersions(a: string, b: string): number {
  const rank = (v: string) => {
    const m = /^v(\d+)(?:(beta|alpha)(\d+))?$/.exec(v);
    if (!m) return [0, 0, 0];
    return [m[2] === undefined ? 3 : m[2] === 'beta' ? 2 : 1, Number(m[1]), Number(m[3] ?? 0)];
  };
  const [x, y] = [rank(a), rank(b)];
  for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return y[i]! - x[i]!;
  return a < b ? -1 : 1;
}

function keyOf(object: KubeObject): string {
  return `${object.metadata?.namespace ?? ''}/${object.metadata?.name}`;
}

function send(res: ServerResponse, code: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(code, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw new FakeApiError(400, 'BadRequest', 'the request body is not valid JSON');
  }
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
