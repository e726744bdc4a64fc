import { ARTIFACT_STORE } from '@stratus/artifacts';
import { createRedisClient, deleteKeysMatching } from '@stratus/redis';
import { randomBytes } from 'node:crypto';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../src/config/load-config.js';
import { resolve } from '../src/di.js';
import { startServer, type RunningServer } from '../src/server/start-server.js';

const REDIS_URL = process.env.STRATUS_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379/0';
const prefix = `stratus-test-artifact-store-${randomBytes(4).toString('hex')}`;

describe('the artifact store on the configured Redis cache', () => {
  const running: RunningServer[] = [];
  afterAll(async () => {
    for (const server of running) await server.shutdown('test done');
    const admin = createRedisClient({ url: REDIS_URL });
    await deleteKeysMatching(admin, `${prefix}:*`);
    admin.disconnect();
  });

  it('serves on one replica what another stored', async () => {
    const raw = {
      server: { port: 0, address: '127.0.0.1' },
      caching: { writeEnabled: false },
      redis: { enabled: true, connection: REDIS_URL, keyPrefix: prefix },
    };
    for (let i = 0; i < 2; i++) running.push(await startServer({ config: parseConfig(raw), raw, logger: pino({ level: 'silent' }) }));
    const [writer, reader] = running as [RunningServer, RunningServer];
    const content = Buffer.from('kind: ConfigMap\n');
    const stored = await resolve(writer.container, ARTIFACT_STORE).store('shop', { type: 'embedded/base64', reference: content.toString('base64') });
    const hash = stored.reference!.split('/').at(-1);
    const view = await fetch(`${reader.url}/artifacts/content-address/shop/${hash}`);
    expect(view.status).toBe(200);
    expect(await view.json()).toEqual({ reference: content.toString('base64') });
    const fetched = await fetch(`${reader.url}/artifacts/fetch`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...stored, artifactAccount: 'embedded-artifact' }),
    });
    expect(Buffer.from(await fetched.arrayBuffer())).toEqual(content);
  });
});
