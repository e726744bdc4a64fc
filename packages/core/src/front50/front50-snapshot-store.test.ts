import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Front50Error } from './front50-client.js';
import { Front50SnapshotStore } from './front50-snapshot-store.js';

/** A loopback Front50 answering what each test puts in `answers` (path → status and body), recording requests. */
let server: Server;
let baseUrl: string;
const requests: { method: string; url: string; body: string }[] = [];
const answers = new Map<string, { status: number; body?: string }>();

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      requests.push({ method: req.method!, url: req.url!, body });
      const answer = answers.get(`${req.method} ${req.url}`) ?? { status: 404, body: '{"message":"Snapshot not found"}' };
      res.writeHead(answer.status, { 'content-type': 'application/json' }).end(answer.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

describe('Front50SnapshotStore', () => {
  it("posts a snapshot to /snapshots and reads a version by Front50's id and timestamp", async () => {
    const store = new Front50SnapshotStore({ baseUrl: `${baseUrl}/` });
    answers.set('POST /snapshots', { status: 200 });
    const snapshot = { application: 'shop', account: 'prod', infrastructure: { google_compute_firewall: { fw: { name: 'fw' } } }, configLang: 'TERRAFORM' };
    await store.save(snapshot);
    expect(requests.at(-1)).toMatchObject({ method: 'POST', url: '/snapshots' });
    expect(JSON.parse(requests.at(-1)!.body)).toEqual(snapshot);

    answers.set('GET /snapshots/shop-prod/1700000000000', { status: 200, body: JSON.stringify({ ...snapshot, id: 'shop-prod', timestamp: 1700000000000 }) });
    expect(await store.get('shop', 'prod', 1700000000000)).toMatchObject({ id: 'shop-prod', infrastructure: snapshot.infrastructure });
    expect(await store.get('shop', 'prod', 1)).toBeUndefined();
  });

  it('turns failures into Front50Errors naming the call and status', async () => {
    const store = new Front50SnapshotStore({ baseUrl });
    answers.set('POST /snapshots', { status: 500, body: '{"secret":"other application"}' });
    const failed = await store.save({ application: 'shop', account: 'prod', infrastructure: {}, configLang: 'TERRAFORM' }).catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(Front50Error);
    expect(failed).toMatchObject({ status: 500, message: `Front50 answered 500 for POST ${baseUrl}/snapshots` });

    answers.set('GET /snapshots/shop-prod/2', { status: 200, body: '{"application":"shop"}' });
    await expect(store.get('shop', 'prod', 2)).rejects.toThrow('malformed snapshot for shop in prod');
    answers.set('GET /snapshots/shop-prod/3', { status: 200, body: 'not json' });
    await expect(store.get('shop', 'prod', 3)).rejects.toThrow('not JSON');
    await expect(new Front50SnapshotStore({ baseUrl: 'http://127.0.0.1:1' }).get('shop', 'prod', 4)).rejects.toThrow('Front50 is unreachable');
  });
});
