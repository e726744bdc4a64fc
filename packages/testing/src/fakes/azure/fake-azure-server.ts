import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { makeSelfSignedCertificate } from '../kubernetes/self-signed-certificate.js';
import { FakeAzureCloud, type AzureResource, type FakeAzureCloudOptions } from './fake-azure-cloud.js';
import { FakeAzureError } from './fake-azure-error.js';

export interface FakeAzureServerOptions extends FakeAzureCloudOptions {
  /** When set, requests must carry `Authorization: Bearer <token>` (401 otherwise). */
  readonly token?: string;
  /** Items per list page; the rest follows through `nextLink`. Default 100. */
  readonly pageSize?: number;
}

/** One request the server saw. */
export interface RecordedAzureRequest {
  readonly method: string;
  readonly path: string;
}

const SUB = '/subscriptions/([^/]+)';
const RG = `${SUB}/resourcegroups/([^/]+)`;
const ROUTES = {
  groups: new RegExp(`^${SUB}/resourcegroups$`, 'i'),
  group: new RegExp(`^${RG}$`, 'i'),
  listAll: new RegExp(`^${SUB}/providers/([^/]+)/([^/]+)$`, 'i'),
  listInGroup: new RegExp(`^${RG}/providers/([^/]+)/([^/]+)$`, 'i'),
  resource: new RegExp(`^${RG}/providers/([^/]+)/([^/]+)/([^/]+)$`, 'i'),
  child: new RegExp(`^${RG}/providers/([^/]+)/([^/]+)/([^/]+)/([^/]+)(?:/([^/]+))?$`, 'i'),
  asyncOperation: /^\/fake-operations\/([^/]+)$/,
  operationResult: /^\/fake-operation-results\/([^/]+)$/,
};

/**
 * A fake Azure Resource Manager on 127.0.0.1 over HTTPS (a certificate made at start; trust it with
 * the client's `tlsOptions: { ca: server.ca }`), spoken to unchanged by `@azure/arm-compute` 23.x
 * and `@azure/arm-network` 36.x with `endpoint: server.endpoint`: resource groups; scale sets (their
 * VMs follow `sku.capacity`, `delete` removes instances), load balancers, application gateways,
 * network security groups, virtual networks (with subnets) and managed images by id; lists paged with `nextLink`;
 * PUT/PATCH answered with `Azure-AsyncOperation`, DELETE and actions with `Location`, finishing after
 * a poll or failing as {@link FakeAzureCloud.failNext} says. State: `server.cloud`.
 */
export class FakeAzureServer {
  readonly requests: RecordedAzureRequest[] = [];
  /**
   * Awaited before each request is answered (tests set it to hold a call back, e.g. to let an
   * operation overtake a caching agent's list). Unset: answered at once.
   */
  beforeAnswer?: ((request: RecordedAzureRequest) => Promise<void>) | undefined;
  private readonly sockets = new Set<Socket>();

  private constructor(
    private readonly server: Server,
    readonly cloud: FakeAzureCloud,
    /** The PEM certificate the server presents (self-signed for 127.0.0.1). */
    readonly ca: string,
    private readonly options: FakeAzureServerOptions,
  ) {}

  static async start(options: FakeAzureServerOptions = {}): Promise<FakeAzureServer> {
    const { key, cert } = makeSelfSignedCertificate();
    let fake: FakeAzureServer | undefined;
    const server = createServer({ key, cert }, (req, res) => void fake!.handle(req, res));
    fake = new FakeAzureServer(server, new FakeAzureCloud(options), cert, options);
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

  /** `https://127.0.0.1:PORT`, the account `endpoint` for the Azure provider. */
  get endpoint(): string {
    return `https://127.0.0.1:${this.port}`;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.endpoint);
    const path = url.pathname.replace(/\/+$/, '') || '/';
    const method = (req.method ?? 'GET').toUpperCase();
    this.requests.push({ method, path });
    try {
      await this.beforeAnswer?.({ method, path });
      if (this.options.token && req.headers.authorization !== `Bearer ${this.options.token}`) {
        throw new FakeAzureError(401, 'AuthenticationFailed', 'Authentication failed. The Authorization header is missing or invalid.');
      }
      const body = method === 'PUT' || method === 'PATCH' || method === 'POST' ? await readJson(req) : undefined;
      this.route(method, path, url, body, res);
    } catch (error) {
      const e = error instanceof FakeAzureError ? error : new FakeAzureError(500, 'InternalServerError', (error as Error).message);
      send(res, e.status, e.body);
    }
  }

  private route(method: string, path: string, url: URL, body: any, res: ServerResponse): void {
    const apiVersion = url.searchParams.get('api-version') ?? '';
    const cloud = this.cloud;
    let m: RegExpExecArray | null;

    if ((m = ROUTES.asyncOperation.exec(path))) {
      const op = cloud.poll(m[1]!);
      if (!op) throw new FakeAzureError(404, 'NotFound', `Operation ${m[1]} not found.`);
      this.markFailed(op);
      return send(res, 200, { id: op.id, name: op.id, status: op.status, ...(op.status === 'Failed' ? { error: op.error } : {}) });
    }
    if ((m = ROUTES.operationResult.exec(path))) {
      const op = cloud.poll(m[1]!);
      if (!op) throw new FakeAzureError(404, 'NotFound', `Operation ${m[1]} not found.`);
      if (op.status === 'InProgress')
        return send(res, 202, undefined, { Location: `${this.endpoint}/fake-operation-results/${op.id}?api-version=${apiVersion}` });
      if (op.status === 'Failed') throw new FakeAzureError(409, op.error!.code, op.error!.message);
      return send(res, 200, {});
    }
    if ((m = ROUTES.groups.exec(path))) {
      cloud.requireSubscription(m[1]!);
      if (method !== 'GET') throw methodNotAllowed(method, path);
      return this.page(res, url, cloud.resourceGroups(m[1]!));
    }
    if ((m = ROUTES.group.exec(path))) {
      const [, sub, name] = m as unknown as [string, string, string];
      if (method === 'PUT') return send(res, cloud.resourceGroup(sub, name) ? 200 : 201, cloud.putResourceGroup(sub, name, String(body?.location ?? 'eastus')));
      cloud.requireSubscription(sub);
      const group = cloud.resourceGroup(sub, name);
      if (!group) throw new FakeAzureError(404, 'ResourceGroupNotFound', `Resource group '${name}' could not be found.`);
      return send(res, 200, group);
    }
    if ((m = ROUTES.listAll.exec(path))) {
      cloud.requireSubscription(m[1]!);
      if (method !== 'GET') throw methodNotAllowed(method, path);
      return this.page(res, url, cloud.list(m[1]!, `${m[2]}/${m[3]}`));
    }
    if ((m = ROUTES.listInGroup.exec(path))) {
      cloud.requireSubscription(m[1]!);
      if (method !== 'GET') throw methodNotAllowed(method, path);
      return this.page(res, url, cloud.list(m[1]!, `${m[3]}/${m[4]}`, m[2]!));
    }
    if ((m = ROUTES.resource.exec(path))) {
      const [, sub, group, ns, type, name] = m as unknown as [string, string, string, string, string, string];
      return this.resource(method, sub, group, `${ns}/${type}`, name, body, apiVersion, res);
    }
    if ((m = ROUTES.child.exec(path))) {
      const [, sub, group, ns, type, name, child, childName] = m as unknown as [string, string, string, string, string, string, string, string | undefined];
      const parent = cloud.get(cloud.resourceId(sub, group, `${ns}/${type}`, name));
      if (!parent) throw resourceNotFound(`${type}/${name}`, group);
      return this.child(method, parent, child.toLowerCase(), childName, body, apiVersion, url, res);
    }
    throw new FakeAzureError(404, 'InvalidResourceType', `The resource path '${path}' is not served by this fake.`);
  }

  private resource(method: string, sub: string, group: string, type: string, name: string, body: any, apiVersion: string, res: ServerResponse): void {
    const cloud = this.cloud;
    const id = cloud.resourceId(sub, group, type, name);
    const existing = cloud.get(id);
    if (method === 'GET') {
      if (!existing) throw resourceNotFound(`${type}/${name}`, group);
      return send(res, 200, existing);
    }
    if (method === 'PUT') {
      if (!body || typeof body !== 'object') throw new FakeAzureError(400, 'InvalidRequestContent', 'The request content was invalid.');
      const location = body.location ?? existing?.location;
      if (!location) throw new FakeAzureError(400, 'LocationRequired', 'The location property is required for this definition.');
      if (existing) {
        // An update: the resource keeps its state until the operation succeeds.
        const op = cloud.startOperation(method, id, () => cloud.put(sub, group, type, { ...body, name, location }));
        return send(
          res,
          200,
          { ...body, id, name, location, properties: { ...(body.properties ?? {}), provisioningState: 'Updating' } },
          this.asyncHeader(op.id, apiVersion),
        );
      }
      const created = cloud.put(sub, group, type, { ...body, name, location }, 'Creating');
      const op = cloud.startOperation(method, id, () => cloud.patch(id, {}, 'Succeeded'));
      return send(res, 201, created, this.asyncHeader(op.id, apiVersion));
    }
    if (method === 'PATCH') {
      if (!existing) throw resourceNotFound(`${type}/${name}`, group);
      const op = cloud.startOperation(method, id, () => cloud.patch(id, body ?? {}));
      return send(res, 200, { ...existing, properties: { ...existing.properties, provisioningState: 'Updating' } }, this.asyncHeader(op.id, apiVersion));
    }
    if (method === 'DELETE') {
      if (!existing) return send(res, 204, undefined);
      const op = cloud.startOperation(method, id, () => cloud.remove(id));
      return send(res, 202, undefined, this.locationHeader(op.id, apiVersion));
    }
    throw methodNotAllowed(method, type);
  }

  private child(
    method: string,
    parent: AzureResource,
    child: string,
    childName: string | undefined,
    body: any,
    apiVersion: string,
    url: URL,
    res: ServerResponse,
  ): void {
    const cloud = this.cloud;
    if (child === 'virtualmachines' && method === 'GET') {
      const vms = cloud.scaleSetVms(parent.id);
      if (childName === undefined) return this.page(res, url, vms);
      const vm = vms.find((v) => v.instanceId === childName);
      if (!vm) throw resourceNotFound(`${parent.name}/virtualMachines/${childName}`, parent.id.split('/')[4]!);
      return send(res, 200, vm);
    }
    if (child === 'delete' && method === 'POST' && childName === undefined) {
      const ids: string[] = Array.isArray(body?.instanceIds) ? body.instanceIds : [];
      if (ids.length === 0) throw new FakeAzureError(400, 'InvalidParameter', 'instanceIds must name at least one instance.');
      const unknown = ids.filter((iid) => !cloud.scaleSetVms(parent.id).some((vm) => vm.instanceId === iid));
      if (unknown.length > 0) throw new FakeAzureError(400, 'InvalidParameter', `Instance ids ${unknown.join(', ')} are not in scale set ${parent.name}.`);
      const op = cloud.startOperation(method, parent.id, () => cloud.deleteVms(parent.id, ids));
      return send(res, 202, undefined, this.locationHeader(op.id, apiVersion));
    }
    if (child === 'subnets' && method === 'GET') {
      const subnets: any[] = parent.properties.subnets ?? [];
      if (childName === undefined) return this.page(res, url, subnets);
      const subnet = subnets.find((s) => String(s.name).toLowerCase() === childName.toLowerCase());
      if (!subnet) throw resourceNotFound(`${parent.name}/subnets/${childName}`, parent.id.split('/')[4]!);
      return send(res, 200, subnet);
    }
    throw new FakeAzureError(404, 'InvalidResourceType', `'${child}' of ${parent.type} is not served by this fake.`);
  }

  /** A failed create/update leaves the resource in provisioning state `Failed`, as ARM does. */
  private markFailed(op: { status: string; method: string; resourceId: string }): void {
    if (op.status !== 'Failed' || (op.method !== 'PUT' && op.method !== 'PATCH')) return;
    const resource = this.cloud.get(op.resourceId);
    if (resource) resource.properties.provisioningState = 'Failed';
  }

  private page(res: ServerResponse, url: URL, items: readonly unknown[]): void {
    const size = this.options.pageSize ?? 100;
    const start = Number(url.searchParams.get('$skiptoken') ?? 0) || 0;
    const value = items.slice(start, start + size);
    let nextLink: string | undefined;
    if (start + size < items.length) {
      const next = new URL(url.pathname, this.endpoint);
      for (const [k, v] of url.searchParams) if (k !== '$skiptoken') next.searchParams.set(k, v);
      next.searchParams.set('$skiptoken', String(start + size));
      nextLink = next.toString();
    }
    send(res, 200, { value, ...(nextLink ? { nextLink } : {}) });
  }

  private asyncHeader(id: string, apiVersion: string): Record<string, string> {
    return { 'Azure-AsyncOperation': `${this.endpoint}/fake-operations/${id}?api-version=${apiVersion}` };
  }

  private locationHeader(id: string, apiVersion: string): Record<string, string> {
    return { Location: `${this.endpoint}/fake-operation-results/${id}?api-version=${apiVersion}` };
  }
}

function resourceNotFound(what: string, group: string): FakeAzureError {
  return new FakeAzureError(404, 'ResourceNotFound', `The Resource '${what}' under resource group '${group}' was not found.`);
}

function methodNotAllowed(method: string, what: string): FakeAzureError {
  return new FakeAzureError(405, 'MethodNotAllowed', `${method} is not supported on ${what}.`);
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, {
    ...(text ? { 'content-type': 'application/json; charset=utf-8' } : {}),
    'x-ms-request-id': Math.random().toString(36).slice(2),
    ...headers,
  });
  res.end(text);
}

async function readJson(req: IncomingMessage): Promise<any> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new FakeAzureError(400, 'InvalidRequestContent', 'The request content was not valid JSON.');
  }
}
