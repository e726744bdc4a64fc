import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { createRedisClient, deleteKeysMatching } from '../src/index.js';

/** The Redis every test uses; override with STRATUS_TEST_REDIS_URL. */
export const TEST_REDIS_URL = process.env.STRATUS_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379/0';

/** A key prefix unique to one test file run, so parallel runs never see each other's keys. */
export function testPrefix(label: string): string {
  return `stratus-test-${label}-${randomBytes(4).toString('hex')}`;
}

export function testClient(name = 'stratus-test'): Redis {
  return createRedisClient({ url: TEST_REDIS_URL, connectionName: name });
}

/** Deletes the prefix's keys and closes the client. */
export async function dropPrefix(redis: Redis, prefix: string): Promise<void> {
  await deleteKeysMatching(redis, `${prefix}:*`);
  await redis.quit();
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` every 20 ms until it holds; fails naming `what` after `timeoutMs`. */
export async function eventually(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`);
    await sleep(20);
  }
}
