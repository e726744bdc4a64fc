import { AGENT_SCHEDULER } from '@stratus/core';
import { createTestDatabase, type TestDatabase } from '@stratus/sql/testing';
import { pino } from 'pino';
import request from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { memoryStorageAdapter } from '@stratus/core';
import { sqlStorageAdapter } from '@stratus/sql';
import { parseConfig } from '../src/config/load-config.js';
import { resolve } from '../src/di.js';
import { startServer, type RunningServer } from '../src/server/start-server.js';
import { toyProvider } from './toy-provider.js';

const silent = pino({ level: 'silent' });
const databases: TestDatabase[] = [];
const servers: RunningServer[] = [];
afterAll(async () => {
  for (const server of servers) await server.shutdown('test done');
  for (const database of databases) await database.drop();
});

async function until(what: string, check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('account storage shared through the SQL cache store', () => {
  it('an account stored through one replica starts its agents on the other, and a delete stops them there', async () => {
    const database = await createTestDatabase('postgres');
    databases.push(database);
    const replica = async () => {
      const raw = {
        server: { port: 0, address: '127.0.0.1' },
        admin: { tasks: { shutdownWaitSeconds: 1 } },
        account: { storage: { enabled: true, pollIntervalSeconds: 0.2 } },
        security: { accountManagerRoles: ['ops'], users: { olga: ['ops'] } },
        sql: { enabled: true, connectionPools: { default: { url: database.url, maxPoolSize: 2 } }, tableNamespace: 'acct', cache: { enabled: true } },
        toy: { region: 'eu-1' },
      };
      const server = await startServer({
        config: parseConfig(raw),
        raw,
        logger: silent,
        providers: [toyProvider()],
        adapters: [sqlStorageAdapter, memoryStorageAdapter],
      });
      servers.push(server);
      return server;
    };
    const a = await replica();
    const b = await replica();
    const agentsOf = (server: RunningServer) => resolve(server.container, AGENT_SCHEDULER).scheduledAgentTypes();

    const created = await request(a.url).post('/credentials').set('X-SPINNAKER-USER', 'olga').send({ name: 'shared', type: 'toy', region: 'us-9' });
    expect(created.status).toBe(200);
    expect(agentsOf(a)).toContain('shared/us-9/ToyAgent');
    await until('replica b to load the stored account', () => agentsOf(b).includes('shared/us-9/ToyAgent'));
    expect((await request(b.url).get('/credentials/shared')).body).toMatchObject({ name: 'shared', region: 'us-9' });

    expect((await request(b.url).delete('/credentials/shared').set('X-SPINNAKER-USER', 'olga')).status).toBe(200);
    await until('replica a to drop the deleted account', () => !agentsOf(a).includes('shared/us-9/ToyAgent'));
    expect((await request(a.url).get('/credentials/shared')).status).toBe(404);
  });
});
