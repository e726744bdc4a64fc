import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { startStratusProcess, type StratusProcess } from '@stratus/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RegistryServer, registryUnavailable } from '../src/test-support/registry-server.js';
import { TokenServer } from '../src/test-support/token-server.js';

/** The shared Redis the test suites use; each run gets its own key prefix and deletes its keys after. */
const REDIS_URL = 'redis://127.0.0.1:6379/0';
const redisUp = () => spawnSync('redis-cli', ['-h', '127.0.0.1', 'ping'], { encoding: 'utf8' }).stdout?.trim() === 'PONG';

/**
 * The real server process with `dockerRegistry` enabled, against real registries seeded before it
 * starts, played the way Igor's DockerMonitor and Deck's image pickers call it: once with the
 * in-memory cache, once with the Redis cache (Clouddriver's usual store) holding the keys.
 */
describe.skipIf(registryUnavailable()).each([{ store: 'memory' }, { store: 'redis' }] as const)(
  'Docker Registry provider in the server ($store cache), as Igor and Deck call it',
  ({ store }) => {
    const keyPrefix = `stratus-docker-e2e-${randomUUID().slice(0, 8)}`;
    let open: RegistryServer;
    let basic: RegistryServer;
    let tokens: TokenServer;
    let bearer: RegistryServer;
    let server: StratusProcess;

    beforeAll(async () => {
      open = await RegistryServer.start();
      await open.pushImage('shop/web', '1.0.0', { created: '2024-01-01T00:00:00Z' });
      await open.pushImage('shop/web', '1.1.0', { created: '2024-02-01T00:00:00Z', labels: { commitId: 'abc', buildNumber: '7', branch: 'main' } });
      await open.pushImage('shop/api', '3.0.0', { created: '2024-01-15T00:00:00Z' });
      basic = await RegistryServer.start({ kind: 'htpasswd', users: { ci: 's3cret' } }, async () => `Basic ${Buffer.from('ci:s3cret').toString('base64')}`);
      await basic.pushImage('private/app', 'v1');
      tokens = await TokenServer.start({ users: { robot: 'hunter2' } });
      bearer = await RegistryServer.start(
        { kind: 'token', realm: tokens.realm, service: tokens.service, issuer: tokens.issuer, rootCertPem: tokens.certPem },
        async (scope) => `Bearer ${tokens.mint([scope])}`,
      );
      await bearer.pushImage('secure/api', '2.0.0');

      if (store === 'redis' && !redisUp()) throw new Error('Redis is not answering on 127.0.0.1:6379 (scripts/ensure-services.sh starts it)');
      server = await startStratusProcess({
        files: { 'registry-password': 'hunter2\n' },
        config: ({ dir }) => ({
          // Readiness details are for admins (issue 16); the test reads them as one.
          security: { adminRoles: ['admins'], users: { root: ['admins'] } },
          ...(store === 'redis'
            ? { redis: { enabled: true, connection: REDIS_URL, keyPrefix, scheduler: { enabled: false }, taskRepository: { enabled: false } } }
            : {}),
          dockerRegistry: {
            enabled: true,
            accounts: [
              { name: 'local', address: open.url, trackDigests: true, sortTagsByDate: true, inspectDigests: true, cacheIntervalSeconds: 2 },
              { name: 'private', address: basic.url, username: 'ci', password: 's3cret', cacheIntervalSeconds: 2 },
              {
                name: 'secure',
                address: bearer.url,
                username: 'robot',
                passwordFile: `${dir}/registry-password`,
                repositories: ['secure/api'],
                cacheIntervalSeconds: 2,
              },
              { name: 'wrong', address: basic.url, username: 'ci', password: 'not-it', cacheIntervalSeconds: 2 },
            ],
          },
        }),
      });
    });

    afterAll(async () => {
      await server?.stop();
      if (store === 'redis') spawnSync('sh', ['-c', `redis-cli -h 127.0.0.1 --scan --pattern '${keyPrefix}*' | xargs -r redis-cli -h 127.0.0.1 del`]);
      await Promise.all([open?.stop(), basic?.stop(), bearer?.stop()]);
      await tokens?.close();
    });

    const find = (query: string) => server.get<Record<string, unknown>[]>(`/dockerRegistry/images/find?${query}`);

    it("serves Igor's poll: docker accounts from /credentials, then find?account&includeDetails=true per account", async () => {
      const accounts = (await server.get<{ name: string; cloudProvider: string }[]>('/credentials')).body;
      const docker = accounts.filter((account) => account.cloudProvider === 'dockerRegistry').map((account) => account.name);
      expect(docker).toEqual(['local', 'private', 'secure', 'wrong']);
      const details = (await server.get(`/credentials/local`)).body;
      expect(details).toMatchObject({
        name: 'local',
        cloudProvider: 'dockerRegistry',
        type: 'dockerRegistry',
        registry: open.host,
        address: open.url,
        trackDigests: true,
        sortTagsByDate: true,
      });
      const secure = (await server.get(`/credentials/secure`)).body;
      expect(secure).toMatchObject({ repositories: ['secure/api'], trackDigests: false });
      expect(JSON.stringify([details, secure, (await server.get('/credentials?expand=true')).body])).not.toMatch(/s3cret|hunter2|not-it|"username"/);

      const images = await server.until(
        'local images',
        () => find('account=local&includeDetails=true'),
        (answer) => answer.body.length === 3,
      );
      expect(images.body.find((image) => image.tag === '1.1.0')).toEqual({
        repository: 'shop/web',
        tag: '1.1.0',
        account: 'local',
        registry: open.host,
        digest: expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
        commitId: 'abc',
        buildNumber: '7',
        branch: 'main',
        artifact: {
          name: 'shop/web',
          type: 'docker',
          version: '1.1.0',
          reference: `${open.host}/shop/web:1.1.0`,
          metadata: { registry: open.host, labels: { commitId: 'abc', buildNumber: '7', branch: 'main' } },
        },
      });
      const privateImages = await server.until(
        'private images',
        () => find('account=private&includeDetails=true'),
        (answer) => answer.body.length === 1,
      );
      expect(privateImages.body[0]).toMatchObject({ repository: 'private/app', tag: 'v1', account: 'private', registry: basic.host });
      const secureImages = await server.until(
        'secure images',
        () => find('account=secure&includeDetails=true'),
        (answer) => answer.body.length === 1,
      );
      expect(secureImages.body[0]).toMatchObject({ repository: 'secure/api', tag: '2.0.0', registry: bearer.host });
      expect((await find('account=wrong&includeDetails=true')).body).toEqual([]);
      if (store === 'redis') {
        // The answers above came out of Redis: the tagged-image keys are there under this run's prefix.
        const keys = spawnSync('redis-cli', ['-h', '127.0.0.1', '--scan', '--pattern', `${keyPrefix}*dockerRegistry:taggedImage:local:shop/web:1.1.0*`], {
          encoding: 'utf8',
        }).stdout.trim();
        expect(keys).not.toBe('');
      }
    });

    it("serves Deck's image picker and trigger tag list", async () => {
      const all = await server.until(
        'every image',
        () => find(''),
        (answer) => answer.body.length === 5,
      );
      expect(all.body.map((image) => `${image.account}/${image.repository}:${image.tag}`)).toEqual([
        'local/shop/api:3.0.0',
        'local/shop/web:1.0.0',
        'local/shop/web:1.1.0',
        'private/private/app:v1',
        'secure/secure/api:2.0.0',
      ]);
      expect((await server.get('/dockerRegistry/images/tags?account=local&repository=shop/web')).body).toEqual(['1.1.0', '1.0.0']);
      expect((await server.get('/dockerRegistry/images/tags?account=local')).status).toBe(400);
      expect((await find('q=shop/api')).body.map((image) => image.tag)).toEqual(['3.0.0']);
      const search = (await server.get('/search?q=shop/web&type=taggedImage')).body as { results: Record<string, string>[] }[];
      expect(search[0]!.results.map((result) => result.tag).sort()).toEqual(['1.0.0', '1.1.0']);
    });

    it('shows a pushed tag at once after POST /cache/dockerRegistry/taggedImage, and another within an interval', async () => {
      await open.pushImage('shop/api', '3.1.0', { created: '2024-05-01T00:00:00Z' });
      const refresh = await server.call('POST', '/cache/dockerRegistry/taggedImage', { account: 'local', repository: 'shop/api' });
      expect(refresh.status).toBe(202);
      expect(refresh.body.cachedIdentifiersByType.taggedImage).toContain('dockerRegistry:taggedImage:local:shop/api:3.1.0');
      expect((await server.get('/dockerRegistry/images/tags?account=local&repository=shop/api')).body).toContain('3.1.0');
      const pending = (await server.get('/cache/dockerRegistry/taggedImage')).body as { id: string }[];
      expect(pending.map((record) => record.id)).toContain('dockerRegistry:repository:local:shop/api');

      await open.pushImage('shop/api', '3.2.0', { created: '2024-06-01T00:00:00Z' });
      const later = await server.until(
        'the scheduled run to see 3.2.0',
        () => server.get<string[]>('/dockerRegistry/images/tags?account=local&repository=shop/api'),
        (answer) => answer.body.includes('3.2.0'),
        15_000,
      );
      expect(later.body[0]).toBe('3.2.0');
    });

    it('reports wrong credentials in readiness details without failing readiness', async () => {
      const readiness = await server.until(
        'the wrong account to be reported',
        () => server.get('/health/readiness', { 'x-spinnaker-user': 'root' }),
        (answer) => answer.body?.components?.['dockerRegistry.accounts']?.details?.accounts?.wrong?.status === 'DOWN',
      );
      expect(readiness.status).toBe(200);
      const accounts = readiness.body.components['dockerRegistry.accounts'].details.accounts;
      expect(accounts.wrong.error).toMatch(/rejected the credentials of ci \(401\)/);
      expect(accounts.local.status).toBe('UP');
      expect(accounts.secure.status).toBe('UP');
    });
  },
);
