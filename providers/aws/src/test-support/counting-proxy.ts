import { createServer, type IncomingMessage, type Server } from 'node:http';

/** A loopback proxy in front of moto that records the action of every request reaching it. */
export interface CountingProxy {
  readonly url: string;
  /** Actions (`Action=` of query APIs, `X-Amz-Target`, or `METHOD path` for REST APIs) in arrival order. */
  readonly seen: string[];
  /** Called with each action as it arrives, before it is forwarded. */
  onRequest?: ((action: string) => void) | undefined;
  /** When it answers the action itself (status, content type, body) instead of forwarding it. */
  intercept?: ((action: string, req: IncomingMessage) => { status: number; contentType: string; body: string } | undefined) | undefined;
  close(): Promise<void>;
}

/** Starts the proxy; `delayMs` holds each request a little, as a slow cloud would. */
export async function startCountingProxy(target: string, delayMs = 0): Promise<CountingProxy> {
  let server: Server;
  const proxy: CountingProxy = {
    url: '',
    seen: [],
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', async () => {
      const body = Buffer.concat(chunks).toString();
      const action = new URLSearchParams(body).get('Action') ?? req.headers['x-amz-target']?.toString() ?? `${req.method} ${req.url?.split('?')[0]}`;
      proxy.seen.push(action);
      proxy.onRequest?.(action);
      const answer = proxy.intercept?.(action, req);
      if (answer) {
        res.writeHead(answer.status, { 'content-type': answer.contentType });
        res.end(answer.body);
        return;
      }
      if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
      try {
        const upstream = await fetch(`${target}${req.url}`, {
          method: req.method!,
          headers: req.headers as Record<string, string>,
          ...(chunks.length ? { body } : {}),
        });
        const headers = Object.fromEntries(
          [...upstream.headers].filter(([k]) => k !== 'content-encoding' && k !== 'transfer-encoding' && k !== 'content-length'),
        );
        res.writeHead(upstream.status, headers);
        res.end(Buffer.from(await upstream.arrayBuffer()));
      } catch {
        res.destroy();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  (proxy as { url: string }).url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return proxy;
}
