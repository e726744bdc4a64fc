import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One stored snapshot, as Front50's `Snapshot` JSON. */
export type FakeSnapshot = Record<string, unknown> & { id: string; application: string; account: string; timestamp: number };

/**
 * A loopback Front50 serving its `SnapshotsController`: `POST /snapshots` (needs `application` and
 * `account`, keys the snapshot `<application>-<account>`, stamps `timestamp`), `GET
 * /snapshots/{id}` (the newest), `GET /snapshots/{id}/history?limit=` (newest first) and `GET
 * /snapshots/{id}/{timestamp}` (404 when no version has that timestamp). Records every request.
 */
export class FakeFront50Snapshots {
  readonly requests: string[] = [];
  /** Every saved version, oldest first. */
  readonly snapshots: FakeSnapshot[] = [];
  private lastStamp = 0;

  private constructor(
    private readonly server: Server,
    readonly baseUrl: string,
  ) {}

  static async start(): Promise<FakeFront50Snapshots> {
    let fake: FakeFront50Snapshots | undefined;
    const server = createServer((req, res) => void fake!.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    fake = new FakeFront50Snapshots(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    return fake;
  }

  /** The versions of `<application>-<account>`, newest first. */
  history(id: string): FakeSnapshot[] {
    return this.snapshots.filter((s) => s.id === id).reverse();
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.requests.push(`${req.method} ${req.url}`);
    const url = new URL(req.url ?? '/', this.baseUrl);
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    const json = (status: number, body: unknown): void => void res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    const notFound = (): void => json(404, { status: 404, error: 'Not Found', message: 'Snapshot not found' });
    if (parts[0] !== 'snapshots') return notFound();
    if (req.method === 'POST' && parts.length === 1) {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
      if (!body.application || !body.account) return json(422, { status: 422, message: 'A snapshot requires application and account fields' });
      // Strictly increasing stamps, so two saves in one millisecond stay distinguishable.
      this.lastStamp = Math.max(Date.now(), this.lastStamp + 1);
      const id = `${String(body.application)}-${String(body.account)}`;
      this.snapshots.push({
        ...body,
        id,
        application: String(body.application),
        account: String(body.account),
        timestamp: this.lastStamp,
        lastModified: this.lastStamp,
      });
      return void res.writeHead(200).end();
    }
    if (req.method !== 'GET' || parts.length < 2) return notFound();
    const versions = this.history(parts[1]!);
    if (parts.length === 2) return versions[0] ? json(200, versions[0]) : notFound();
    if (parts[2] === 'history') return json(200, versions.slice(0, Number(url.searchParams.get('limit') ?? 20)));
    const found = versions.find((s) => String(s.timestamp) === parts[2]);
    return found ? json(200, found) : notFound();
  }
}
