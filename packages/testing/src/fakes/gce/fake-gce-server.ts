import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { FakeGceCloud, type FakeGceCloudOptions, type GceResource, type GceScope } from './fake-gce-cloud.js';
import { FakeGceError, gceNotFound } from './fake-gce-error.js';

export interface FakeGceServerOptions extends FakeGceCloudOptions {
  /** When set, requests must carry `Authorization: Bearer <token>` (401 otherwise). */
  readonly token?: string;
  /** The most items one list page holds, whatever `maxResults` asks (to exercise paging). Default 500. */
  readonly maxPageSize?: number;
}

/** One request the server saw. */
export interface RecordedGceRequest {
  readonly method: string;
  readonly path: string;
}

const PREFIX = '/compute/v1/projects/';

/**
 * A fake compute/v1 REST server on 127.0.0.1 (plain HTTP) that `@google-cloud/compute` 6.x talks to
 * unchanged when a client is built with `{apiEndpoint: '127.0.0.1', port, protocol: 'http', authClient}`:
 * projects, zones and regions; list with `maxResults`/`pageToken`; aggregated lists; insert, patch,
 * update and delete; managed instance group actions; zone, region and global operations with `get`
 * and `wait`. State lives in {@link FakeGceCloud} (`server.cloud`), which tests change directly.
 */
export class FakeGceServer {
  readonly requests: RecordedGceRequest[] = [];
  private readonly sockets = new Set<Socket>();

  private constructor(
    private readonly server: Server,
    readonly cloud: FakeGceCloud,
    private readonly options: FakeGceServerOptions,
  ) {}

  static async start(options: FakeGceServerOptions = {}): Promise<FakeGceServer> {
    let fake: FakeGceServer | undefined;
    const server = createServer((req, res) => void fake!.handle(req, res));
    fake = new FakeGceServer(server, new FakeGceCloud(options), options);
    server.on('connection', (socket: Socket) => {
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

  /** `http://127.0.0.1:PORT`, the account `endpoint` for the GCE provider. */
  get endpoint(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  // ---- HTTP ----

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = req.method ?? 'GET';
    this.requests.push({ method, path: url.pathname + url.search });
    try {
      const body = await readBody(req);
      if (this.options.token !== undefined && req.headers.authorization !== `Bearer ${this.options.token}`) {
        throw new FakeGceError(401, 'authError', 'Request had invalid authentication credentials.');
      }
      send(res, 200, this.route(method, url, body));
    } catch (error) {
      const e = error instanceof FakeGceError ? error : new FakeGceError(500, 'backendError', String((error as Error)?.message ?? error));
      if (!res.headersSent) send(res, e.code, e.toBody());
      else res.end();
    }
  }

  private route(method: string, url: URL, rawBody: string): unknown {
    if (!url.pathname.startsWith(PREFIX)) throw new FakeGceError(404, 'notFound', `No route for ${url.pathname}`);
    const parts = url.pathname.slice(PREFIX.length).split('/').filter(Boolean).map(decodeURIComponent);
    const project = parts.shift()!;
    const cloud = this.cloud;
    if (!cloud.hasProject(project)) throw gceNotFound(`projects/${project}`);
    const q = url.searchParams;
    if (parts.length === 0 && method === 'GET')
      return { kind: 'compute#project', id: cloud.projectNumber(project), name: project, selfLink: cloud.link(project, '').replace(/\/$/, '') };
    // zones / regions themselves
    if ((parts[0] === 'zones' || parts[0] === 'regions') && parts.length <= 2 && method === 'GET') {
      if (parts.length === 2) return parts[0] === 'zones' ? cloud.zoneResource(project, parts[1]!) : cloud.regionResource(project, parts[1]!);
      const all =
        parts[0] === 'zones'
          ? Object.values(cloud.regions)
              .flat()
              .map((z) => cloud.zoneResource(project, z))
          : Object.keys(cloud.regions).map((r) => cloud.regionResource(project, r));
      return this.page(`compute#${parts[0] === 'zones' ? 'zone' : 'region'}List`, all, q);
    }
    if (parts[0] === 'aggregated' && parts.length === 2 && method === 'GET') return this.aggregated(project, parts[1]!, q);

    let scope: GceScope;
    if (parts[0] === 'global') {
      scope = 'global';
      parts.shift();
    } else if ((parts[0] === 'zones' || parts[0] === 'regions') && parts.length >= 3) {
      const [kind, where] = [parts.shift()!, parts.shift()!];
      if (kind === 'zones') cloud.zoneResource(project, where);
      else cloud.regionResource(project, where);
      scope = `${kind}/${where}`;
    } else {
      throw new FakeGceError(404, 'notFound', `No route for ${url.pathname}`);
    }
    const [collection, name, action] = parts as [string, string | undefined, string | undefined];
    if (collection === 'operations' && name) {
      if (method === 'GET' && !action) return cloud.pollOperation(project, scope, name, false);
      if (method === 'POST' && action === 'wait') return cloud.pollOperation(project, scope, name, true);
    }
    if (method === 'GET' && !name) return this.page(`compute#${collection.replace(/s$/, '')}List`, cloud.list(project, scope, collection), q);
    if (method === 'GET' && collection === 'instances' && name && action === 'serialPort') {
      return cloud.serialPortOutput(project, scope, name, Number(q.get('port') ?? 1), Number(q.get('start') ?? 0));
    }
    if (method === 'GET' && name && !action) {
      const found = cloud.get(project, scope, collection, name);
      if (!found) throw gceNotFound(`projects/${project}/${scope}/${collection}/${name}`);
      return found;
    }
    return cloud.mutate(project, scope, collection, name, action, method, parseBody(rawBody), q);
  }

  private pageBounds(total: number, q: URLSearchParams): { start: number; end: number } {
    const asked = Number(q.get('maxResults') ?? 500);
    const size = Math.max(1, Math.min(Number.isFinite(asked) && asked > 0 ? asked : 500, this.options.maxPageSize ?? 500));
    const token = q.get('pageToken');
    const start = token ? Number(Buffer.from(token, 'base64url').toString()) : 0;
    if (!Number.isInteger(start) || start < 0 || start > total) throw new FakeGceError(400, 'invalid', `Invalid value for field 'pageToken': '${token}'`);
    return { start, end: Math.min(total, start + size) };
  }

  private nextToken(end: number, total: number): Record<string, string> {
    return end < total ? { nextPageToken: Buffer.from(String(end)).toString('base64url') } : {};
  }

  private page(kind: string, all: readonly GceResource[], q: URLSearchParams): Record<string, unknown> {
    const filtered = applyFilter(all, q.get('filter'));
    const { start, end } = this.pageBounds(filtered.length, q);
    return { kind, id: 'fake', items: filtered.slice(start, end), ...this.nextToken(end, filtered.length) };
  }

  /** `{items: {'zones/x': {<collection>: [...]}, 'zones/y': {warning: …}}, nextPageToken}`. */
  private aggregated(project: string, collection: string, q: URLSearchParams): Record<string, unknown> {
    const all = this.cloud.aggregated(project, collection).filter(([, r]) => applyFilter([r], q.get('filter')).length > 0);
    const { start, end } = this.pageBounds(all.length, q);
    const items: Record<string, unknown> = {};
    for (const [scope, resource] of all.slice(start, end))
      ((items[scope] ??= { [collection]: [] }) as Record<string, GceResource[]>)[collection]!.push(resource);
    if (start === 0) {
      const scopes = [
        ...Object.values(this.cloud.regions)
          .flat()
          .map((z) => `zones/${z}`),
        ...Object.keys(this.cloud.regions).map((r) => `regions/${r}`),
      ];
      for (const scope of scopes) {
        if (!all.some(([s]) => s === scope))
          items[scope] = {
            warning: { code: 'NO_RESULTS_ON_PAGE', message: `There are no results for scope '${scope}' on this page.`, data: [{ key: 'scope', value: scope }] },
          };
      }
    }
    return {
      kind: `compute#${collection.replace(/s$/, '')}AggregatedList`,
      id: `projects/${project}/aggregated/${collection}`,
      items,
      ...this.nextToken(end, all.length),
    };
  }
}

/** The subset of the list `filter` syntax the provider uses: `name = "x"`, `name eq x`, `name != x`. */
function applyFilter(items: readonly GceResource[], filter: string | null): GceResource[] {
  if (!filter) return [...items];
  const match = /^\s*\(?\s*(\w+)\s*(=|!=|eq|ne)\s*"?([^")]*)"?\s*\)?\s*$/.exec(filter);
  if (!match) throw new FakeGceError(400, 'invalid', `Invalid list filter expression '${filter}'`);
  const [, field, op, value] = match as unknown as [string, string, string, string];
  const regex = op === 'eq' || op === 'ne' ? new RegExp(`^${value}$`) : undefined;
  return items.filter((item) => {
    const actual = String(item[field] ?? '');
    const equal = regex ? regex.test(actual) : actual === value;
    return op === '=' || op === 'eq' ? equal : !equal;
  });
}

function parseBody(raw: string): unknown {
  if (raw.trim() === '') return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    throw new FakeGceError(400, 'parseError', 'This API does not support parsing form-encoded input.');
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=UTF-8', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}
