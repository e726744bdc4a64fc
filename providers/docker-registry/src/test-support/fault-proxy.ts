import { createServer, request as httpRequest, type Server } from 'node:http';

/**
 * A loopback pass-through in front of a real registry that can break chosen requests (answer a
 * status instead of forwarding) and rewrite `Link` headers, to test how the provider copes with a
 * registry that fails part of the time or names another host in its page links. Counts requests.
 */
export class FaultProxy {
  requests = 0;
  private faults: { path: RegExp; status: number }[] = [];
  /** When set, `Link: </v2/…>` becomes `Link: <http://<host>/v2/…>`. */
  linkHost: string | undefined;

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(target: string): Promise<FaultProxy> {
    const upstream = new URL(target);
    let self: FaultProxy | undefined;
    const server = createServer((req, res) => {
      self!.requests += 1;
      const fault = self!.faults.find((candidate) => candidate.path.test(req.url ?? ''));
      if (fault) {
        res.writeHead(fault.status, { 'content-type': 'application/json' }).end('{"errors":[{"code":"UNAVAILABLE"}]}');
        return;
      }
      const forward = httpRequest({ host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers }, (answer) => {
        const headers = { ...answer.headers };
        if (self!.linkHost && typeof headers.link === 'string') headers.link = headers.link.replace('</', `<http://${self!.linkHost}/`);
        res.writeHead(answer.statusCode ?? 502, headers);
        answer.pipe(res);
      });
      req.pipe(forward);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    self = new FaultProxy(server, `http://127.0.0.1:${(server.address() as { port: number }).port}`);
    return self;
  }

  /** Answers `status` to requests whose path matches, until {@link heal}. */
  fail(path: RegExp, status = 500): void {
    this.faults.push({ path, status });
  }

  heal(): void {
    this.faults = [];
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
