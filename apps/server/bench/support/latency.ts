import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';

const KEEP_ALIVE = new Agent({ keepAlive: true });

/** Latency figures of one endpoint, as the bench tables print them. */
export interface LatencyRow {
  readonly path: string;
  readonly runs: number;
  readonly status: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  readonly bodyKB: number;
}

/**
 * Sequential GETs (Deck polls one request at a time per tab): 2 warm-up requests, then `runs`
 * timed ones, each until the whole body has arrived. The client is `node:http` on a keep-alive agent:
 * it reads the bytes as sent (a compressed body is not inflated, so a row costs what the server and
 * the wire cost, not this process's inflating; `bodyKB` is the size on the wire). `headers` go with every request; a function
 * gives each request its own (e.g. a distinct user, so no response cache can answer it); `before`
 * runs ahead of each timed request, outside its time.
 */
export async function measureLatency(
  base: string,
  path: string,
  runs: number,
  headersOf: Record<string, string> | ((run: number) => Record<string, string>) = {},
  /** Untimed work before each timed request (e.g. a caching cycle), awaited. */
  before?: () => Promise<void>,
): Promise<LatencyRow> {
  let run = 0;
  const headersFor = () => (typeof headersOf === 'function' ? headersOf(run++) : headersOf);
  let bytes = 0;
  let status = 0;
  for (let i = 0; i < 2; i++) {
    ({ bytes, status } = await get(base + path, headersFor()));
  }
  if (status >= 400) throw new Error(`${path}: HTTP ${status}`);
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    await before?.();
    const start = performance.now();
    await get(base + path, headersFor());
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!;
  const round = (ms: number) => Math.round(ms * 10) / 10;
  return { path, runs, status, p50: round(at(0.5)), p99: round(at(0.99)), max: round(times.at(-1)!), bodyKB: Math.round(bytes / 1024) };
}

/** One GET to its last byte: status and body bytes as they came over the wire. */
function get(url: string, headers: Record<string, string>): Promise<{ status: number; bytes: number }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers, agent: KEEP_ALIVE }, (res) => {
      let bytes = 0;
      res.on('data', (chunk: Buffer) => (bytes += chunk.length));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, bytes }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}
