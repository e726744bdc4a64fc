import { createServer, type Socket } from 'node:net';
import { freePort } from '@stratus/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { createRedisClient } from '../src/index.js';
import { RespBatch } from '../src/connection/resp-batch.js';
import { RespReplyError, RespPipeline, respOptionsOf } from '../src/connection/resp-pipeline.js';
import { dropPrefix, eventually, TEST_REDIS_URL, testPrefix } from './redis-test-support.js';

describe('RespPipeline', () => {
  const prefix = testPrefix('resp');
  const url = new URL(TEST_REDIS_URL);
  url.pathname = '/3'; // a non-default db: the writer must SELECT it like ioredis does
  const redis = createRedisClient({ url: url.toString(), connectionName: 'stratus-test-resp' });
  const writers: RespPipeline[] = [];
  const writer = (name = `${prefix}-writer`) => {
    const created = new RespPipeline(respOptionsOf(redis, name));
    writers.push(created);
    return created;
  };

  afterAll(async () => {
    for (const w of writers) w.close();
    await dropPrefix(redis, prefix);
  });

  it('writes a batch in one payload into the same db as the ioredis client', async () => {
    const pipeline = writer();
    const batch = RespBatch.of(['HSET', `${prefix}:h`, 'a', 'ünïcödé ✓', 'b', '2'], ['SADD', `${prefix}:s`, 'x', 'y']);
    await pipeline.send(batch.payload, batch.count);
    expect(await redis.hgetall(`${prefix}:h`)).toEqual({ a: 'ünïcödé ✓', b: '2' });
    expect((await redis.smembers(`${prefix}:s`)).sort()).toEqual(['x', 'y']);
    // Several batches may be in flight at once.
    await Promise.all(Array.from({ length: 20 }, (_, i) => pipeline.send(RespBatch.of(['SADD', `${prefix}:many`, String(i)]).payload, 1)));
    expect(await redis.scard(`${prefix}:many`)).toBe(20);
  });

  it('decodes replies for request: arrays, nulls, integers, and values far larger than one socket read', async () => {
    const pipeline = writer(`${prefix}-reader`);
    const big = 'é'.repeat(1_500_000); // 3 MB of UTF-8, split over many chunks
    await redis.hset(`${prefix}:item`, 'a', '{"x":1}', 'r:rel', '["k"]');
    await redis.set(`${prefix}:big`, big);
    await redis.zadd(`${prefix}:z`, 5, 'm');
    const batch = RespBatch.of(
      ['HGETALL', `${prefix}:item`],
      ['HGETALL', `${prefix}:missing`],
      ['GET', `${prefix}:big`],
      ['GET', `${prefix}:missing`],
      ['ZMSCORE', `${prefix}:z`, 'm', 'nope'],
      ['SADD', `${prefix}:count`, 'a', 'b'],
      ['PING'],
    );
    expect(batch.count).toBe(7);
    const replies = await pipeline.request(batch.payload, 7);
    expect(replies[0]).toEqual(['a', '{"x":1}', 'r:rel', '["k"]']);
    expect(replies[1]).toEqual([]);
    expect(replies[2]).toBe(big);
    expect(replies[3]).toBeNull();
    expect(replies[4]).toEqual(['5', null]);
    expect(replies[5]).toBe(2);
    expect(replies[6]).toBe('PONG');
    // Many requests in flight keep their order.
    const many = await Promise.all(Array.from({ length: 30 }, (_, i) => pipeline.request(RespBatch.of(['ECHO', `n${i}`]).payload, 1)));
    expect(many.map((r) => r[0])).toEqual(Array.from({ length: 30 }, (_, i) => `n${i}`));
    await expect(pipeline.request(RespBatch.of(['HGETALL', `${prefix}:big`]).payload, 1)).rejects.toThrow(/WRONGTYPE/);
  });

  it('rejects a batch with the first error reply, still applies its other commands, and stays usable', async () => {
    const pipeline = writer();
    await redis.set(`${prefix}:string`, 'v');
    const batch = RespBatch.of(['SADD', `${prefix}:ok1`, 'a'], ['HSET', `${prefix}:string`, 'f', 'v'], ['SADD', `${prefix}:ok2`, 'b']);
    const failure = await pipeline.send(batch.payload, 3).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(RespReplyError);
    expect((failure as Error).message).toMatch(/WRONGTYPE/);
    expect(await redis.sismember(`${prefix}:ok1`, 'a')).toBe(1);
    expect(await redis.sismember(`${prefix}:ok2`, 'b')).toBe(1);
    await pipeline.send(RespBatch.of(['SADD', `${prefix}:after`, 'c']).payload, 1);
    expect(await redis.sismember(`${prefix}:after`, 'c')).toBe(1);
  });

  it('reconnects on the next batch after its connection was killed', async () => {
    const name = `${prefix}-killed`;
    const pipeline = writer(name);
    await pipeline.send(RespBatch.of(['SADD', `${prefix}:k`, '1']).payload, 1);
    const line = String(await redis.client('LIST'))
      .split('\n')
      .find((entry) => entry.includes(` name=${name} `));
    const id = /\bid=(\d+)/.exec(line ?? '')?.[1];
    expect(id).toBeDefined();
    await redis.client('KILL', 'ID', id!);
    await eventually(async () => !String(await redis.client('LIST')).includes(`name=${name} `), 5000, 'writer connection gone');
    // The first send may still race the close; the one after it must reconnect and succeed.
    await pipeline
      .send(RespBatch.of(['SADD', `${prefix}:k`, '2']).payload, 1)
      .catch(() => pipeline.send(RespBatch.of(['SADD', `${prefix}:k`, '2']).payload, 1));
    expect(await redis.scard(`${prefix}:k`)).toBe(2);
  });

  it('fails batches in flight when the server stops answering, instead of hanging', async () => {
    // A server that accepts connections and never replies.
    const sockets: Socket[] = [];
    const silent = createServer((socket) => sockets.push(socket));
    const port = await freePort();
    await new Promise<void>((resolve) => silent.listen(port, '127.0.0.1', resolve));
    try {
      const pipeline = new RespPipeline({ host: '127.0.0.1', port, db: 0, connectTimeoutMs: 1000, commandTimeoutMs: 300 });
      const started = Date.now();
      await expect(pipeline.send(RespBatch.of(['SADD', 'k', 'v']).payload, 1)).rejects.toThrow(/no reply from Redis within 300 ms/);
      expect(Date.now() - started).toBeLessThan(5000);
      pipeline.close();
      await expect(pipeline.send(RespBatch.of(['SADD', 'k', 'v']).payload, 1)).rejects.toThrow(/closed/);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it('fails with a connection error when nothing listens', async () => {
    const port = await freePort();
    const pipeline = new RespPipeline({ host: '127.0.0.1', port, db: 0, connectTimeoutMs: 1000, commandTimeoutMs: 1000 });
    await expect(pipeline.send(RespBatch.of(['SADD', 'k', 'v']).payload, 1)).rejects.toThrow(/ECONNREFUSED/);
  });
});
