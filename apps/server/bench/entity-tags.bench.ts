/**
 * Entity tag reads on each store: seeds N entity tags (one per server group, 100 applications) through
 * the service, then times `GET /tags?application=…` (Deck's read on every application load),
 * `GET /tags/{id}` and an upsert over HTTP on loopback. Prints a table; asserts nothing.
 *
 *   cd apps/server && pnpm exec tsx --tsconfig ../../tsconfig.base.json bench/entity-tags.bench.ts [count] [memory|redis|postgres]
 */
import 'reflect-metadata';
import { ENTITY_TAGS_SERVICE } from '@stratus/core';
import { createRedisClient, deleteKeysMatching } from '@stratus/redis';
import { createTestDatabase } from '@stratus/sql/testing';
import { performance } from 'node:perf_hooks';
import { pino } from 'pino';
import { parseConfig } from '../src/config/load-config.js';
import { resolve } from '../src/di.js';
import { startServer } from '../src/server/start-server.js';

const COUNT = Number(process.argv[2] ?? 10_000);
const STORE = process.argv[3] ?? 'memory';
const REDIS_URL = process.env.STRATUS_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379/0';
const prefix = `stratus-bench-tags-${process.pid}`;

async function main(): Promise<void> {
  const base = { server: { port: 0, address: '127.0.0.1' }, caching: { writeEnabled: false }, logging: { level: 'silent' } };
  let cleanup = async () => {};
  let raw: Record<string, unknown> = base;
  if (STORE === 'redis') {
    raw = { ...base, redis: { enabled: true, connection: REDIS_URL, keyPrefix: prefix, scheduler: { enabled: false } } };
    cleanup = async () => {
      const admin = createRedisClient({ url: REDIS_URL });
      await deleteKeysMatching(admin, `${prefix}:*`);
      admin.disconnect();
    };
  } else if (STORE === 'postgres') {
    const database = await createTestDatabase('postgres');
    raw = { ...base, sql: { enabled: true, connectionPools: { default: { url: database.url, maxPoolSize: 4 } }, cache: { enabled: true } } };
    cleanup = () => database.drop();
  }
  const server = await startServer({ config: parseConfig(raw), raw, logger: pino({ level: 'silent' }) });
  try {
    const service = resolve(server.container, ENTITY_TAGS_SERVICE);
    const seedStart = performance.now();
    for (let offset = 0; offset < COUNT; offset += 1_000) {
      const batch = Array.from({ length: Math.min(1_000, COUNT - offset) }, (_, i) => {
        const n = offset + i;
        return {
          tags: [
            { name: 'spinnaker:metadata', namespace: 'spinnaker', value: { executionId: `e-${n}`, stageId: 's' }, valueType: 'object' },
            { name: 'spinnaker_ui_notice:n', value: { message: 'hello' }, valueType: 'object' },
          ],
          entityRef: { cloudProvider: 'aws', entityType: 'servergroup', entityId: `app${n % 100}-main-v${String(n).padStart(3, '0')}`, region: 'us-east-1' },
        };
      });
      await service.upsert(batch, { isPartial: true, user: 'bench' });
    }
    const seedMs = performance.now() - seedStart;
    const time = async (label: string, path: string, runs = 30) => {
      const samples: number[] = [];
      for (let i = 0; i < runs; i++) {
        const start = performance.now();
        const response = await fetch(`${server.url}${path}`);
        await response.arrayBuffer();
        samples.push(performance.now() - start);
      }
      samples.sort((a, b) => a - b);
      console.log(`${label.padEnd(40)} p50 ${samples[Math.floor(runs / 2)]!.toFixed(1)} ms  p99 ${samples[runs - 1]!.toFixed(1)} ms`);
    };
    console.log(`store ${STORE}, ${COUNT} entity tags, seeded in ${(seedMs / 1000).toFixed(1)} s`);
    await time('GET /tags?application=app7 (1%)', '/tags?application=app7&maxResults=5000');
    await time('GET /tags/{id}', `/tags/${encodeURIComponent('aws:servergroup:app7-main-v007:*:us-east-1')}`);
    await time('GET /tags?entityType=servergroup (all)', '/tags?entityType=servergroup&maxResults=100000', 5);
  } finally {
    await server.shutdown();
    await cleanup();
  }
}

void main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
