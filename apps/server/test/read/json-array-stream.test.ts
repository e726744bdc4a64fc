import { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { ApplicationGenerations, OPEN_ACCESS } from '@stratus/core';
import express, { type Response } from 'express';
import { Writable } from 'node:stream';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { applicationViewCache } from '../../src/http/application-view-cache.js';
import { grantCallerAccess } from '../../src/http/caller-access-middleware.js';
import { defineRoute } from '../../src/http/define-route.js';
import { STREAM_ARRAYS_FROM, writeJsonArray } from '../../src/http/json-array-stream.js';

/** Issue 24: big lists are serialised item by item to the socket, unless the view cache keeps the body. */

const items = (n: number) => Array.from({ length: n }, (_, i) => ({ name: `shop-v${i}`, tags: { é: 'ü', i }, gone: undefined, list: [i, null] }));

function appWith(body: unknown[], viewCache?: ApplicationGenerations) {
  const app = express();
  app.use(grantCallerAccess(OPEN_ACCESS));
  if (viewCache) app.use(applicationViewCache({ generations: viewCache }));
  const router = express.Router();
  defineRoute(router, new OpenAPIRegistry(), {
    method: 'get',
    path: '/applications/{application}/serverGroups',
    summary: 'test',
    response: z.array(z.unknown()),
    handler: () => body,
  });
  app.use(router);
  return app;
}

describe('streamed JSON arrays', () => {
  it('sends a big list chunked, byte for byte what res.json sends (undefined members become null)', async () => {
    // Several 64 KiB chunks' worth.
    const body = [...items(STREAM_ARRAYS_FROM * 16), undefined];
    const res = await request(appWith(body))
      .get('/applications/shop/serverGroups')
      .buffer(true)
      .parse((r, cb) => {
        let text = '';
        r.setEncoding('utf8');
        r.on('data', (c: string) => (text += c));
        r.on('end', () => cb(null, text));
      });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.headers['transfer-encoding']).toBe('chunked');
    expect(res.headers['content-length']).toBeUndefined();
    expect(res.body).toBe(JSON.stringify(body));
  });

  it('sends small lists and every list the view cache keeps as one body (ETag, 304 still work)', async () => {
    const small = await request(appWith(items(3))).get('/applications/shop/serverGroups');
    expect(small.headers['content-length']).toBeDefined();
    expect(small.body).toEqual(JSON.parse(JSON.stringify(items(3))));

    const generations = new ApplicationGenerations();
    generations.tracking = true;
    const big = items(STREAM_ARRAYS_FROM * 16);
    const app = appWith(big, generations);
    const first = await request(app).get('/applications/shop/serverGroups').set('Accept-Encoding', 'identity');
    expect(first.headers.etag).toBeDefined();
    expect(first.headers['content-length']).toBe(String(Buffer.byteLength(JSON.stringify(big))));
    const again = await request(app).get('/applications/shop/serverGroups').set('If-None-Match', first.headers.etag!);
    expect(again.status).toBe(304);
  });

  it('serialises no further than the socket takes: it waits for drain (backpressure)', async () => {
    let serialised = 0;
    const list = Array.from({ length: 2_000 }, (_, i) => ({ toJSON: () => (serialised++, { i, pad: 'x'.repeat(1_000) }) }));
    const pending: (() => void)[] = [];
    const written: string[] = [];
    // A socket that accepts one chunk and then takes nothing until the test lets it.
    const socket = new Writable({
      highWaterMark: 1,
      write(chunk: Buffer, _encoding, callback) {
        written.push(chunk.toString());
        pending.push(callback);
      },
    });
    const res = Object.assign(socket, { status: () => res, setHeader: () => res }) as unknown as Response;
    const done = writeJsonArray(res, 200, list);
    for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
    const stalledAt = serialised;
    expect(stalledAt).toBeGreaterThan(0);
    expect(stalledAt).toBeLessThan(list.length / 10);
    while (serialised < list.length || pending.length > 0) {
      pending.shift()?.();
      await new Promise((resolve) => setImmediate(resolve));
    }
    await done;
    expect(JSON.parse(written.join(''))).toHaveLength(list.length);
  });
});
