import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { NimbusGroup, NimbusInstance } from '../src/nimbus-client.js';

/** What a test seeds: a group without instances gets `desired` running ones. */
export interface SeedGroup {
  readonly name: string;
  readonly region: string;
  readonly image?: string;
  readonly min?: number;
  readonly max?: number;
  readonly desired: number;
  readonly disabled?: boolean;
}

/**
 * The Nimbus API on 127.0.0.1, in memory: `GET /v1/regions/{region}/groups`, `GET|DELETE
 * /v1/regions/{region}/groups/{name}`, `POST …/{name}/resize`. Requests need `Bearer <token>`.
 * Resizing starts or stops instances at once, so tests see the new size on the next describe.
 */
export class FakeNimbusApi {
  /** Every request as `METHOD path`, for assertions on what the provider called. */
  readonly requests: string[] = [];
  private readonly groups = new Map<string, NimbusGroup>();
  private nextInstance = 1;

  private constructor(
    private readonly server: Server,
    readonly token: string,
  ) {}

  static async start(token = 'nimbus-test-token'): Promise<FakeNimbusApi> {
    let api: FakeNimbusApi | undefined;
    const server = createServer((request, response) => void api!.handle(request, response));
    api = new FakeNimbusApi(server, token);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return api;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  seed(group: SeedGroup): NimbusGroup {
    const stored: NimbusGroup = {
      name: group.name,
      region: group.region,
      image: group.image ?? 'nimbus-image-1',
      min: group.min ?? 0,
      max: group.max ?? Math.max(group.desired, 10),
      desired: group.desired,
      disabled: group.disabled ?? false,
      createdAt: 1_700_000_000_000 + this.groups.size,
      instances: this.instancesFor(group.region, group.desired, []),
    };
    this.groups.set(`${group.region}/${group.name}`, stored);
    return stored;
  }

  group(region: string, name: string): NimbusGroup | undefined {
    return this.groups.get(`${region}/${name}`);
  }

  remove(region: string, name: string): void {
    this.groups.delete(`${region}/${name}`);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private instancesFor(region: string, size: number, current: readonly NimbusInstance[]): NimbusInstance[] {
    const kept = current.slice(0, size);
    while (kept.length < size) {
      kept.push({ id: `nim-${String(this.nextInstance++).padStart(4, '0')}`, state: 'RUNNING', zone: `${region}a`, launchedAt: 1_700_000_100_000 });
    }
    return kept;
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const method = request.method ?? 'GET';
    const path = new URL(request.url ?? '/', 'http://nimbus').pathname;
    this.requests.push(`${method} ${path}`);
    const send = (status: number, body?: unknown) => {
      response.writeHead(status, body === undefined ? {} : { 'content-type': 'application/json' });
      response.end(body === undefined ? undefined : JSON.stringify(body));
    };
    if (request.headers.authorization !== `Bearer ${this.token}`) return send(401, { message: 'bad or missing token' });
    let raw = '';
    for await (const chunk of request) raw += chunk;

    const list = /^\/v1\/regions\/([^/]+)\/groups$/.exec(path);
    if (list && method === 'GET') {
      const region = decodeURIComponent(list[1]!);
      return send(200, { groups: [...this.groups.values()].filter((group) => group.region === region) });
    }
    const one = /^\/v1\/regions\/([^/]+)\/groups\/([^/]+?)(\/resize)?$/.exec(path);
    if (!one) return send(404, { message: `no route ${method} ${path}` });
    const key = `${decodeURIComponent(one[1]!)}/${decodeURIComponent(one[2]!)}`;
    const group = this.groups.get(key);
    if (!group) return send(404, { message: `group ${key} not found` });
    if (one[3] && method === 'POST') {
      const { min, max, desired } = JSON.parse(raw || '{}') as { min?: number; max?: number; desired?: number };
      if (![min, max, desired].every((v) => Number.isInteger(v) && v! >= 0) || !(min! <= desired! && desired! <= max!)) {
        return send(400, { message: 'min <= desired <= max, all non-negative integers' });
      }
      const resized = { ...group, min: min!, max: max!, desired: desired!, instances: this.instancesFor(group.region, desired!, group.instances) };
      this.groups.set(key, resized);
      return send(200, resized);
    }
    if (one[3]) return send(405, { message: 'resize is POST' });
    if (method === 'GET') return send(200, group);
    if (method === 'DELETE') {
      this.groups.delete(key);
      return send(204);
    }
    return send(405, { message: `${method} not allowed` });
  }
}
