import { randomBytes } from 'node:crypto';
import { createRedisClient, deleteKeysMatching } from '@stratus/redis';
import { createTestDatabase, type TestDatabase } from '@stratus/sql/testing';
import { pino } from 'pino';
import request from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../src/config/load-config.js';
import { startServer, type RunningServer } from '../src/server/start-server.js';
import { toyProvider } from './toy-provider.js';

/**
 * Entity tags end to end on a started server, once per store: Orca's and Deck's calls in their
 * order (features check, `POST /ops` or `POST /{cloudProvider}/ops`, poll the task, read `/tags`),
 * permissions by account, and — on Redis and PostgreSQL — a second replica reading what the first
 * wrote.
 */

const silent = pino({ level: 'silent' });
const REDIS_URL = process.env.STRATUS_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379/0';
const redisPrefix = `stratus-test-entity-tags-${randomBytes(4).toString('hex')}`;
const databases: TestDatabase[] = [];

afterAll(async () => {
  const admin = createRedisClient({ url: REDIS_URL });
  await deleteKeysMatching(admin, `${redisPrefix}:*`);
  admin.disconnect();
  for (const database of databases) await database.drop();
});

const base = {
  server: { port: 0, address: '127.0.0.1' },
  admin: { tasks: { shutdownWaitSeconds: 1 } },
  caching: { writeEnabled: false },
  security: { users: { olga: ['ops'], eve: [] } },
  toy: {
    region: 'eu-1',
    accounts: [
      { name: 'prod', permissions: { READ: ['ops'], WRITE: ['ops'] } },
      { name: 'dev', region: 'us-1' },
    ],
  },
};

const stores: { name: string; raw: () => Promise<Record<string, unknown>> }[] = [
  { name: 'memory', raw: async () => base },
  { name: 'redis', raw: async () => ({ ...base, redis: { enabled: true, connection: REDIS_URL, keyPrefix: redisPrefix, scheduler: { enabled: false } } }) },
  {
    name: 'postgres',
    raw: async () => {
      const database = await createTestDatabase('postgres');
      databases.push(database);
      return {
        ...base,
        sql: { enabled: true, connectionPools: { default: { url: database.url, maxPoolSize: 2 } }, tableNamespace: 'tags', cache: { enabled: true } },
      };
    },
  },
];

const SG_ID = 'toy:servergroup:shop-main-v001:prod:eu-1';

async function start(raw: Record<string, unknown>): Promise<RunningServer> {
  return startServer({ config: parseConfig(raw), raw, logger: silent, providers: [toyProvider()] });
}

async function runTask(server: RunningServer, path: string, body: object, user: string) {
  const posted = await request(server.url).post(path).set('X-SPINNAKER-USER', user).send(body);
  if (posted.status !== 200) return posted;
  const deadline = Date.now() + 10_000;
  for (;;) {
    // Orca polls as the user who started the stage (its requests carry X-SPINNAKER-USER).
    const task = await request(server.url).get(`/task/${posted.body.id}`).set('X-SPINNAKER-USER', user);
    if (task.body.status?.completed) return task;
    if (Date.now() > deadline) throw new Error(`task ${posted.body.id} did not complete: ${JSON.stringify(task.body)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe.each(stores)('entity tags on the $name store', ({ name, raw }) => {
  it("serves Orca's and Deck's entity tag calls", async () => {
    const config = await raw();
    const server = await start(config);
    let replica: RunningServer | undefined;
    try {
      const get = (path: string, user = 'olga') => request(server.url).get(path).set('X-SPINNAKER-USER', user);

      // Orca: FeaturesService.areEntityTagsAvailable() looks for upsertEntityTags.
      const stages = (await get('/features/stages')).body.map((stage: { name: string }) => stage.name);
      expect(stages).toEqual(expect.arrayContaining(['upsertEntityTags', 'bulkUpsertEntityTags', 'deleteEntityTags']));

      // Orca's AddServerGroupEntityTagsTask after a deploy: through the cloud provider's /ops.
      const deployed = await runTask(
        server,
        '/toy/ops',
        [
          {
            upsertEntityTags: {
              isPartial: false,
              tags: [{ name: 'spinnaker:metadata', namespace: 'spinnaker', value: { executionId: 'e-1', stageId: 's-1' }, valueType: 'object' }],
              entityRef: { entityType: 'servergroup', entityId: 'shop-main-v001', account: 'prod', region: 'eu-1', cloudProvider: 'toy' },
            },
          },
        ],
        'olga',
      );
      expect(deployed.body.status.failed).toBe(false);

      // Deck's alert, as Orca's UpsertEntityTagsTask posts the stage context to the legacy /ops.
      const alerted = await runTask(
        server,
        '/ops',
        [
          {
            upsertEntityTags: {
              type: 'upsertEntityTags',
              name: 'Upsert entity tags',
              isPartial: true,
              tags: [{ name: 'spinnaker_ui_alert:disk', value: { message: 'Disk is full', type: 'alert' }, valueType: 'object', timestamp: 1_700_000_000_000 }],
              entityRef: { entityType: 'SERVERGROUP', entityId: 'shop-main-v001', account: 'prod', region: 'eu-1', cloudProvider: 'toy' },
            },
          },
        ],
        'olga',
      );
      expect(alerted.body.status.failed).toBe(false);
      expect(alerted.body.history.map((step: { status: string }) => step.status)).toEqual(expect.arrayContaining([`Updated ${SG_ID}`]));

      // Deck: every tag of the application, then joined onto server groups by entityId/account/region.
      const all = await get('/tags?maxResults=5000&application=shop');
      expect(all.status).toBe(200);
      expect(all.body).toHaveLength(1);
      const [tags] = all.body;
      expect(tags.id).toBe(SG_ID);
      expect(tags.idPattern).toBe('{{cloudProvider}}:{{entityType}}:{{entityId}}:{{account}}:{{region}}');
      expect(tags.entityRef).toEqual({
        entityType: 'servergroup',
        entityId: 'shop-main-v001',
        account: 'prod',
        region: 'eu-1',
        cloudProvider: 'toy',
        application: 'shop',
      });
      expect(tags.tags.map((tag: { name: string }) => tag.name).sort()).toEqual(['spinnaker:metadata', 'spinnaker_ui_alert:disk']);
      expect(tags.tags.find((tag: { name: string }) => tag.name === 'spinnaker_ui_alert:disk')).toEqual({
        name: 'spinnaker_ui_alert:disk',
        namespace: 'default',
        value: { message: 'Disk is full', type: 'alert' },
        valueType: 'object',
      });
      const alertMetadata = tags.tagsMetadata.find((entry: { name: string }) => entry.name === 'spinnaker_ui_alert:disk');
      expect(alertMetadata).toEqual({
        name: 'spinnaker_ui_alert:disk',
        created: 1_700_000_000_000,
        createdBy: 'olga',
        lastModified: 1_700_000_000_000,
        lastModifiedBy: 'olga',
      });
      expect(tags.lastModifiedBy).toBe('olga');
      const serverGroup = { name: 'shop-main-v001', account: 'prod', region: 'eu-1' };
      const joined = all.body.find(
        (entry: { entityRef: Record<string, string> }) =>
          entry.entityRef.entityId === serverGroup.name && entry.entityRef.account === serverGroup.account && entry.entityRef.region === serverGroup.region,
      );
      expect(joined.tags.filter((tag: { name: string }) => tag.name.startsWith('spinnaker_ui_alert:'))).toHaveLength(1);

      // Filters.
      const ids = async (query: string) => (await get(`/tags?${query}`)).body.map((entry: { id: string }) => entry.id);
      expect(await ids('entityType=servergroup&entityId=other,shop-main-v001')).toEqual([SG_ID]);
      expect(await ids('entityType=server*')).toEqual([SG_ID]);
      // Orca's PreviousImageRollbackSupport and pinned-capacity lookups.
      expect(await ids('cloudProvider=toy&entityType=serverGroup&entityId=shop-main-v001&account=prod&region=eu-1')).toEqual([SG_ID]);
      expect(await ids('tag:spinnaker:metadata=*&entityId=shop-main-v001&account=prod&region=eu-1')).toEqual([SG_ID]);
      expect(await ids('tag:spinnaker_ui_alert:disk=*')).toEqual([SG_ID]);
      expect(await ids('tag:spinnaker_ui_alert:disk=*&tag:nope=*')).toEqual([]);
      expect(await ids('namespace=spinnaker')).toEqual([SG_ID]);
      expect(await ids('namespace=spinnaker&tag:spinnaker_ui_alert:disk=*')).toEqual([]);
      expect(await ids(`idPrefix=${encodeURIComponent('toy:servergroup:*')}`)).toEqual([SG_ID]);
      expect(await ids('account=dev')).toEqual([]);
      expect(await ids('cloudProvider=aws')).toEqual([]);
      expect((await get(`/tags/${encodeURIComponent(SG_ID)}`)).body.id).toBe(SG_ID);
      expect((await get('/tags?maxResults=0')).status).toBe(400);

      // An application tag (Deck's buildApplicationRef) has no account: everyone sees it.
      const appTag = await runTask(
        server,
        '/ops',
        [
          {
            upsertEntityTags: {
              tags: [{ name: 'spinnaker_ui_notice:moving', value: { message: 'Moving' }, valueType: 'object' }],
              entityRef: { cloudProvider: '*', entityType: 'application', entityId: 'shop' },
            },
          },
        ],
        'eve',
      );
      expect(appTag.body.status.failed).toBe(false);

      // eve cannot READ or WRITE prod.
      expect(
        await ids('application=shop')
          .then(() => get('/tags?application=shop', 'eve'))
          .then((r) => r.body.map((e: { id: string }) => e.id)),
      ).toEqual(['*:application:shop:*:*']);
      const hidden = await get(`/tags/${encodeURIComponent(SG_ID)}`, 'eve');
      expect(hidden.status).toBe(404);
      expect(hidden.body.message).toBe(`No EntityTags found w/ id = '${SG_ID}'`);
      const denied = await request(server.url)
        .post('/ops')
        .set('X-SPINNAKER-USER', 'eve')
        .send([
          {
            upsertEntityTags: {
              tags: [{ name: 'x', value: 1 }],
              entityRef: { entityType: 'servergroup', entityId: 'shop-main-v001', account: 'prod', region: 'eu-1', cloudProvider: 'toy' },
            },
          },
        ]);
      expect(denied.status).toBe(403);
      const deniedDelete = await request(server.url)
        .post('/ops')
        .set('X-SPINNAKER-USER', 'eve')
        .send([{ deleteEntityTags: { id: SG_ID, deleteAll: true } }]);
      expect(deniedDelete.status).toBe(403);

      // Bad input is a 400 naming the field, before any task.
      const bad = await request(server.url)
        .post('/ops')
        .set('X-SPINNAKER-USER', 'olga')
        .send([
          {
            bulkUpsertEntityTags: {
              entityTags: [
                { tags: [], entityRef: { cloudProvider: 'toy', entityType: 'cluster', entityId: 'shop-main' } },
                { tags: [], entityRef: { cloudProvider: 'toy' } },
              ],
            },
          },
        ]);
      expect(bad.status).toBe(400);
      expect(bad.body.errors.join(' ')).toContain('entityTags[1].entityRef.entityType');
      expect(bad.body.errors.join(' ')).toContain('entityTags[1].entityRef.entityId');
      const unknownAccount = await request(server.url)
        .post('/ops')
        .set('X-SPINNAKER-USER', 'olga')
        .send([
          {
            upsertEntityTags: {
              tags: [{ name: 'x', value: 1 }],
              entityRef: { cloudProvider: 'toy', entityType: 'cluster', entityId: 'shop-main', account: 'nope' },
            },
          },
        ]);
      expect(unknownAccount.status).toBe(400);

      // A replica on the same store reads what this one wrote (a memory store is its own).
      replica = await start(config);
      const fromReplica = await request(replica.url)
        .get(`/tags/${encodeURIComponent(SG_ID)}`)
        .set('X-SPINNAKER-USER', 'olga');
      if (name === 'memory') {
        expect(fromReplica.status).toBe(404);
        await replica.shutdown();
        replica = undefined;
      } else {
        expect(fromReplica.status).toBe(200);
        expect(fromReplica.body.tags).toHaveLength(2);
        // The replica's list (kept decoded between writes) follows writes made elsewhere.
        expect((await request(replica.url).get('/tags?application=shop').set('X-SPINNAKER-USER', 'olga')).body.map((e: { id: string }) => e.id)).toContain(
          SG_ID,
        );
      }

      // Orca's DeleteEntityTagsTask: one tag, then everything.
      const removed = await runTask(server, '/ops', [{ deleteEntityTags: { id: SG_ID, tags: ['spinnaker_ui_alert:disk'] } }], 'olga');
      expect(removed.body.status.failed).toBe(false);
      const left = (await get(`/tags/${encodeURIComponent(SG_ID)}`)).body;
      expect(left.tags.map((tag: { name: string }) => tag.name)).toEqual(['spinnaker:metadata']);
      expect(left.tagsMetadata.map((entry: { name: string }) => entry.name)).toEqual(['spinnaker:metadata']);
      await runTask(server, '/ops', [{ deleteEntityTags: { id: SG_ID, deleteAll: true } }], 'olga');
      expect((await get(`/tags/${encodeURIComponent(SG_ID)}`)).status).toBe(404);
      if (replica)
        expect(
          (
            await request(replica.url)
              .get(`/tags/${encodeURIComponent(SG_ID)}`)
              .set('X-SPINNAKER-USER', 'olga')
          ).status,
        ).toBe(404);
      if (replica) {
        const listed = await request(replica.url).get('/tags?application=shop').set('X-SPINNAKER-USER', 'olga');
        expect(listed.body.map((e: { id: string }) => e.id)).toEqual(['*:application:shop:*:*']);
      }
      expect((await get('/tags?application=shop')).body.map((e: { id: string }) => e.id)).toEqual(['*:application:shop:*:*']);
    } finally {
      await replica?.shutdown();
      await server.shutdown();
    }
  }, 60_000);
});
