import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProviderTestHost, freePort } from '@stratus/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  AccountStatus,
  Keys,
  PasswordSource,
  RegistryClient,
  TaggedImageCachingAgent,
  createDockerRegistryProvider,
  parseDockerRegistryAccount,
} from '../src/index.js';
import { RegistryServer, registryUnavailable, type PushedImage } from '../src/test-support/registry-server.js';
import { FaultProxy } from '../src/test-support/fault-proxy.js';
import { TokenServer } from '../src/test-support/token-server.js';

const provider = createDockerRegistryProvider({ client: { sleep: async () => undefined } });
const unavailable = registryUnavailable();

describe('Docker Registry accounts', () => {
  const good = { name: 'hub', address: 'https://index.docker.io/v2/', repositories: ['library/nginx'] };

  it("reads Clouddriver's keys with its defaults", () => {
    const account = parseDockerRegistryAccount(good);
    expect(account).toMatchObject({
      name: 'hub',
      cloudProvider: 'dockerRegistry',
      address: 'https://index.docker.io',
      registry: 'index.docker.io',
      repositories: ['library/nginx'],
      cacheIntervalSeconds: 30,
      clientTimeoutMillis: 60_000,
      paginateSize: 100,
      cacheThreads: 1,
      trackDigests: false,
      sortTagsByDate: false,
      insecureRegistry: false,
    });
    expect(parseDockerRegistryAccount({ name: 'r', address: '127.0.0.1:5000' }).address).toBe('https://127.0.0.1:5000');
  });

  it('rejects bad fields by name', () => {
    expect(() => parseDockerRegistryAccount({ ...good, address: undefined })).toThrow(/address is required/);
    expect(() => parseDockerRegistryAccount({ name: 'hub', address: 'https://index.docker.io' })).toThrow(/repositories is required for Docker Hub/);
    expect(() => parseDockerRegistryAccount({ ...good, address: 'ftp://x' })).toThrow(/address/);
    expect(() => parseDockerRegistryAccount({ ...good, address: 'https://me:pw@registry.example.com' })).toThrow(/address must not contain credentials/);
    expect(() => parseDockerRegistryAccount({ ...good, repositoriesRegex: 'a.*' })).toThrow(
      /repositoriesRegex may not be specified together with repositories/,
    );
    expect(() => parseDockerRegistryAccount({ name: 'x', address: 'http://h', repositoriesRegex: '(' })).toThrow(
      /repositoriesRegex is not a regular expression/,
    );
    expect(() => parseDockerRegistryAccount({ ...good, repositories: ['Upper/Case'] })).toThrow(/repositories/);
    expect(() => parseDockerRegistryAccount({ ...good, username: 'u', password: 'p', passwordFile: '/f' })).toThrow(
      /at most one of password, passwordFile and passwordCommand/,
    );
    expect(() => parseDockerRegistryAccount({ ...good, password: 'p' })).toThrow(/username is required/);
    expect(() => parseDockerRegistryAccount({ ...good, trackDigests: 'yes' })).toThrow(/trackDigests must be true or false/);
    expect(() => parseDockerRegistryAccount({ ...good, paginateSize: -1 })).toThrow(/paginateSize/);
    expect(() => parseDockerRegistryAccount({ ...good, name: 'has space' })).toThrow(/name/);
  });

  it('refuses passwordCommand unless the operator allowed commands in the provider block', async () => {
    const withCommand = { ...good, username: 'u', passwordCommand: 'echo secret' };
    expect(() => parseDockerRegistryAccount(withCommand)).toThrow(/allowPasswordCommand/);
    // An account definition cannot allow itself.
    expect(() => parseDockerRegistryAccount({ ...withCommand, allowPasswordCommand: true })).toThrow(/allowPasswordCommand/);
    expect(parseDockerRegistryAccount(withCommand, {}, { allowPasswordCommand: true }).name).toBe('hub');
    // Through the provider: the switch is read from its config block only.
    const refused = await ProviderTestHost.create(provider, {});
    expect(() => refused.addAccount({ ...withCommand, allowPasswordCommand: true })).toThrow(/allowPasswordCommand/);
    const allowed = await ProviderTestHost.create(provider, { allowPasswordCommand: true });
    expect(allowed.addAccount(withCommand).name).toBe('hub');
    // The provider checks its own block (the server's config schema no longer knows this key).
    expect(provider.parseConfig!({ trackDigests: true })).toEqual({ trackDigests: true, allowPasswordCommand: false });
    await expect(ProviderTestHost.create(provider, { allowPasswordCommand: 'yes' })).rejects.toThrow('allowPasswordCommand: expected true or false, got "yes"');
    // An account stored through /credentials (an API caller) may neither run commands nor read files.
    expect(() => allowed.addAccount(withCommand, 'storage')).toThrow(/passwordCommand is only allowed for accounts in the config file/);
    expect(() => allowed.addAccount({ ...good, username: 'u', passwordFile: '/etc/passwd' }, 'storage')).toThrow(
      /passwordFile is only allowed for accounts in the config file/,
    );
    expect(allowed.addAccount({ ...good, name: 'stored', username: 'u', password: 'p' }, 'storage').name).toBe('stored');
  });

  it('resolves passwordCommand and passwordFile, and never shows credentials in JSON', async () => {
    const command = parseDockerRegistryAccount({ ...good, username: 'u', passwordCommand: 'printf "pa:ss\\n"' }, {}, { allowPasswordCommand: true });
    expect(await command.auth.basicAuthHeader()).toBe(`Basic ${Buffer.from('u:pa:ss').toString('base64')}`);
    const failing = parseDockerRegistryAccount({ ...good, username: 'u', passwordCommand: 'echo leaked >&2; exit 3' }, {}, { allowPasswordCommand: true });
    await expect(failing.auth.basicAuthHeader()).rejects.toThrow(/passwordCommand failed \(exit 3\)/);
    const dir = mkdtempSync(join(tmpdir(), 'stratus-docker-pw-'));
    writeFileSync(join(dir, 'pw'), 'from-file\n');
    const file = parseDockerRegistryAccount({ ...good, username: 'u', passwordFile: join(dir, 'pw') });
    expect(await file.auth.basicAuthHeader()).toBe(`Basic ${Buffer.from('u:from-file').toString('base64')}`);
    rmSync(dir, { recursive: true, force: true });
    const withPassword = parseDockerRegistryAccount({ ...good, username: 'u', password: 'topsecret' });
    expect(JSON.stringify(withPassword)).not.toMatch(/topsecret|"u"/);
  });
});

describe('429 back-off', () => {
  it('waits Retry-After and retries, then names the rate limit when it persists', async () => {
    let calls = 0;
    let limitForever = false;
    const server = createServer((req, res) => {
      calls += 1;
      if (limitForever || calls <= 2) res.writeHead(429, { 'retry-after': '7' }).end();
      else res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ name: 'app', tags: ['1'] }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    const waits: number[] = [];
    const client = new RegistryClient(
      { address: url, clientTimeoutMillis: 2_000, paginateSize: 10, insecureRegistry: false, auth: new PasswordSource({}) },
      { sleep: async (ms) => void waits.push(ms), maxBackoffMs: 5_000 },
    );
    expect(await client.tags('app')).toEqual(['1']);
    expect(waits).toEqual([5_000, 5_000]);
    limitForever = true;
    await expect(client.tags('app')).rejects.toThrow(/rate limited \(429\) after 3 retries/);
    await client.close();
    server.close();
  });
});

describe.skipIf(unavailable)('Docker Registry caching against the real registry', () => {
  let registry: RegistryServer;
  const pushed = new Map<string, PushedImage>();

  beforeAll(async () => {
    registry = await RegistryServer.start();
    pushed.set('shop/web:1.0.0', await registry.pushImage('shop/web', '1.0.0', { created: '2024-01-01T00:00:00Z' }));
    pushed.set(
      'shop/web:1.1.0',
      await registry.pushImage('shop/web', '1.1.0', { created: '2024-03-01T00:00:00Z', labels: { commitId: 'c0ffee', branch: 'main' } }),
    );
    pushed.set('shop/web:0.9.0', await registry.pushImage('shop/web', '0.9.0', { created: '2023-06-01T00:00:00Z' }));
    pushed.set('shop/api:2.0.0', await registry.pushImage('shop/api', '2.0.0', { created: '2024-02-01T00:00:00Z' }));
    for (const name of ['tools/lint', 'tools/fmt', 'other/thing']) await registry.pushImage(name, 'latest');
  });
  afterAll(() => registry?.stop());

  const hostFor = (account: Record<string, unknown>, config: Record<string, unknown> = {}) =>
    ProviderTestHost.create(provider, { ...config, accounts: [{ name: 'local', address: registry.url, ...account }] });

  it('caches every tag of the catalog with digest and creation date, and serves tags newest first', async () => {
    const host = await hostFor({ trackDigests: true, sortTagsByDate: true, paginateSize: 2 });
    await host.runAgents();
    const web = await host.cache.get('taggedImage', Keys.taggedImage('local', 'shop/web', '1.1.0'));
    expect(web?.attributes).toEqual({
      name: 'shop/web:1.1.0',
      account: 'local',
      digest: pushed.get('shop/web:1.1.0')!.digest,
      date: { epochSecond: Date.parse('2024-03-01T00:00:00Z') / 1000, nano: 0 },
    });
    expect((await host.cache.getIdentifiers('taggedImage')).length).toBe(7);
    expect(await host.cache.get('imageId', Keys.imageId(`${registry.host}/shop/web:1.1.0`))).toMatchObject({
      attributes: { tagKey: Keys.taggedImage('local', 'shop/web', '1.1.0'), account: 'local' },
    });
    const tags = await host.callRoute('get', '/dockerRegistry/images/tags', { query: { account: 'local', repository: 'shop/web' } });
    expect(tags.body).toEqual(['1.1.0', '1.0.0', '0.9.0']);
  });

  it('answers find as Clouddriver does, with details, q, repository and count', async () => {
    const host = await hostFor({ trackDigests: true, inspectDigests: true });
    await host.runAgents();
    const found = (
      await host.callRoute('get', '/dockerRegistry/images/find', { query: { account: 'local', includeDetails: 'true', repository: 'shop/web', tag: '1.1.0' } })
    ).body as Record<string, unknown>[];
    expect(found).toEqual([
      {
        repository: 'shop/web',
        tag: '1.1.0',
        account: 'local',
        registry: registry.host,
        digest: pushed.get('shop/web:1.1.0')!.digest,
        commitId: 'c0ffee',
        buildNumber: null,
        branch: 'main',
        artifact: {
          name: 'shop/web',
          type: 'docker',
          version: '1.1.0',
          reference: `${registry.host}/shop/web:1.1.0`,
          metadata: { registry: registry.host, labels: { commitId: 'c0ffee', branch: 'main' } },
        },
      },
    ]);
    const byQuery = (await host.callRoute('get', '/dockerRegistry/images/find', { query: { q: 'shop/api' } })).body as Record<string, unknown>[];
    expect(byQuery.map((image) => `${image.repository}:${image.tag}`)).toEqual(['shop/api:2.0.0']);
    expect(byQuery[0]).toMatchObject({ digest: pushed.get('shop/api:2.0.0')!.digest, artifact: { metadata: { labels: {} } } });
    const everything = (await host.callRoute('get', '/dockerRegistry/images/find', { query: {} })).body as Record<string, unknown>[];
    expect(everything.length).toBeGreaterThanOrEqual(7);
    const counted = (await host.callRoute('get', '/dockerRegistry/images/find', { query: { account: 'local', count: '2', includeDetails: 'yes' } }))
      .body as Record<string, unknown>[];
    expect(counted[0]).toHaveProperty('commitId');
    await expect(host.callRoute('get', '/dockerRegistry/images/find', { query: { includeDetails: 'maybe' } })).rejects.toThrow(
      /includeDetails must be true or false/,
    );
    expect(counted).toHaveLength(2);
    await expect(host.callRoute('get', '/dockerRegistry/images/find', { query: { count: 'many' } })).rejects.toThrow(/count must be a positive integer/);
    await expect(host.callRoute('get', '/dockerRegistry/images/tags', { query: { account: 'local' } })).rejects.toThrow(/repository is required/);
    const denied = { canReadAccount: () => false, canWriteAccount: () => false };
    expect((await host.callRoute('get', '/dockerRegistry/images/find', { query: {}, caller: denied })).body).toEqual([]);
    await expect(host.callRoute('get', '/dockerRegistry/images/tags', { query: { account: 'local', repository: 'shop/web' }, caller: denied })).rejects.toThrow(
      /Access denied/,
    );
    expect((await host.callRoute('get', '/dockerRegistry/images/tags', { query: { account: 'nobody', repository: 'shop/web' } })).body).toEqual([]);
  });

  it('without trackDigests answers from keys alone (no digest), and filters the catalog with repositoriesRegex', async () => {
    const host = await hostFor({ repositoriesRegex: 'tools/.*' });
    await host.runAgents();
    const found = (await host.callRoute('get', '/dockerRegistry/images/find', { query: { account: 'local' } })).body as Record<string, unknown>[];
    expect(found).toEqual([
      {
        repository: 'tools/fmt',
        tag: 'latest',
        account: 'local',
        registry: registry.host,
        artifact: expect.objectContaining({ reference: `${registry.host}/tools/fmt:latest` }),
      },
      {
        repository: 'tools/lint',
        tag: 'latest',
        account: 'local',
        registry: registry.host,
        artifact: expect.objectContaining({ reference: `${registry.host}/tools/lint:latest` }),
      },
    ]);
  });

  it('re-reads only changed tags: an unchanged digest costs one HEAD, not a manifest and config fetch', async () => {
    const account = parseDockerRegistryAccount({ name: 'local', address: registry.url, repositories: ['shop/web'], trackDigests: true, sortTagsByDate: true });
    const client = new RegistryClient(account);
    const agent = new TaggedImageCachingAgent(account, client, 0, 1, new AccountStatus());
    const host = await ProviderTestHost.create(provider, {});
    const cache = host.providerCache('dockerRegistry');
    const details = vi.spyOn(client, 'imageDetails');
    const run = async () => {
      const result = await agent.loadData(cache, { signal: new AbortController().signal });
      await cache.putCacheResult(agent.agentType, ['taggedImage', 'imageId'], result);
      return result;
    };
    await run();
    expect(details).toHaveBeenCalledTimes(3);
    details.mockClear();
    await run();
    expect(details).not.toHaveBeenCalled();
    // A tag moved to a new image is re-read.
    pushed.set('shop/web:1.0.0', await registry.pushImage('shop/web', '1.0.0', { created: '2024-04-01T00:00:00Z' }));
    const result = await run();
    expect(details.mock.calls.map((call) => call[1])).toEqual(['1.0.0']);
    expect(result.cacheResults.taggedImage!.find((item) => item.id.endsWith(':1.0.0'))?.attributes).toMatchObject({
      digest: pushed.get('shop/web:1.0.0')!.digest,
      date: { epochSecond: Date.parse('2024-04-01T00:00:00Z') / 1000 },
    });
    await client.close();
  });

  it('shards repositories across cacheThreads agents as Clouddriver does', async () => {
    const host = await hostFor({ cacheThreads: 2 });
    expect(host.cachingAgents().map((agent) => agent.agentType)).toEqual([
      'local/DockerRegistryImageCachingAgent[1/2]',
      'local/DockerRegistryImageCachingAgent[2/2]',
    ]);
    const agents = host.cachingAgents() as TaggedImageCachingAgent[];
    const shards = await Promise.all(agents.map((agent) => agent.repositories(new AbortController().signal)));
    expect(shards[0]!.filter((repository) => shards[1]!.includes(repository))).toEqual([]);
    expect([...shards[0]!, ...shards[1]!].sort()).toEqual(['other/thing', 'shop/api', 'shop/web', 'tools/fmt', 'tools/lint']);
    await host.runAgents();
    expect((await host.cache.getIdentifiers('taggedImage')).length).toBe(7);
  });

  it('shows a pushed tag at once after an on-demand refresh, and drops a deleted one', async () => {
    const host = await hostFor({ repositories: ['shop/api'], trackDigests: true });
    await host.runAgents();
    const tags = async () => (await host.callRoute('get', '/dockerRegistry/images/tags', { query: { account: 'local', repository: 'shop/api' } })).body;
    expect(await tags()).toEqual(['2.0.0']);

    const newer = await registry.pushImage('shop/api', '2.1.0');
    const outcome = await host.onDemand('taggedImage', 'dockerRegistry', { account: 'local', repository: 'shop/api' });
    expect(outcome.status).toBe('PENDING');
    expect(outcome.cachedIdentifiersByType.taggedImage?.sort()).toEqual([
      Keys.taggedImage('local', 'shop/api', '2.0.0'),
      Keys.taggedImage('local', 'shop/api', '2.1.0'),
    ]);
    expect(await tags()).toEqual(['2.0.0', '2.1.0']);
    const pending = await host.pendingOnDemand('taggedImage', 'dockerRegistry');
    expect(pending).toEqual([
      expect.objectContaining({ id: Keys.repository('local', 'shop/api'), processedCount: 0, details: { account: 'local', repository: 'shop/api' } }),
    ]);
    await host.runAgents();
    expect((await host.pendingOnDemand('taggedImage', 'dockerRegistry'))[0]?.processedCount).toBe(1);
    expect(await tags()).toEqual(['2.0.0', '2.1.0']);

    await registry.deleteManifest('shop/api', newer.digest);
    await host.onDemand('taggedImage', 'dockerRegistry', { account: 'local', repository: 'shop/api' });
    expect(await tags()).toEqual(['2.0.0']);
    expect(await host.cache.get('imageId', Keys.imageId(`${registry.host}/shop/api:2.1.0`))).toBeUndefined();
    // Other accounts' and other repositories' requests are not this agent's.
    expect(await host.onDemand('taggedImage', 'dockerRegistry', { account: 'elsewhere', repository: 'shop/api' })).toEqual({
      status: 'SUCCESSFUL',
      cachedIdentifiersByType: {},
    });
    expect(await host.onDemand('taggedImage', 'dockerRegistry', { account: 'local', repository: 'shop/web' })).toEqual({
      status: 'SUCCESSFUL',
      cachedIdentifiersByType: {},
    });
  });

  it('drops a deleted tag on the next scheduled run', async () => {
    const host = await hostFor({ repositories: ['other/thing'] });
    const doomed = await registry.pushImage('other/thing', 'doomed');
    await host.runAgents();
    expect(await host.cache.get('taggedImage', Keys.taggedImage('local', 'other/thing', 'doomed'))).toBeDefined();
    await registry.deleteManifest('other/thing', doomed.digest);
    await host.runAgents();
    expect(await host.cache.get('taggedImage', Keys.taggedImage('local', 'other/thing', 'doomed'))).toBeUndefined();
    expect(await host.cache.get('taggedImage', Keys.taggedImage('local', 'other/thing', 'latest'))).toBeDefined();
  });

  it('keeps the tags of a repository whose tag list fails, and reports the account as degraded', async () => {
    const proxy = await FaultProxy.start(registry.url);
    try {
      const host = await ProviderTestHost.create(provider, { accounts: [{ name: 'flaky', address: proxy.url, repositories: ['shop/api', 'tools/lint'] }] });
      await host.runAgents();
      const tags = async () => (await host.cache.getIdentifiers('taggedImage')).map((id) => id.split(':').slice(3).join(':')).sort();
      const before = await tags();
      expect(before).toContain('shop/api:2.0.0');
      proxy.fail(/^\/v2\/shop\/api\/tags\/list/, 503);
      await host.runAgents();
      expect(await tags()).toEqual(before);
      const details = (await host.healthDetails.get('accounts')!()) as { accounts: Record<string, Record<string, unknown>> };
      expect(details.accounts.flaky).toMatchObject({ status: 'DEGRADED', failedRepositories: ['shop/api'], error: expect.stringMatching(/answered 503/) });
      // Every repository failing fails the run: the scheduler keeps the cache as it was.
      proxy.fail(/tags\/list/, 500);
      await expect(host.runAgents()).rejects.toThrow(/answered 500/);
      expect(await tags()).toEqual(before);
      proxy.heal();
      await host.runAgents();
      expect(((await host.healthDetails.get('accounts')!()) as { accounts: Record<string, Record<string, unknown>> }).accounts.flaky!.status).toBe('UP');
    } finally {
      await proxy.close();
    }
  });

  it('forgets a removed account: no images, no readiness entry', async () => {
    const host = await hostFor({ repositories: ['shop/api'] });
    await host.runAgents();
    const health = async () => ((await host.healthDetails.get('accounts')!()) as { accounts: Record<string, unknown> }).accounts;
    expect(Object.keys(await health())).toEqual(['local']);
    await host.removeAccount('local');
    expect(await health()).toEqual({});
    expect((await host.callRoute('get', '/dockerRegistry/images/find', { query: {} })).body).toEqual([]);
    expect((await host.callRoute('get', '/dockerRegistry/images/tags', { query: { account: 'local', repository: 'shop/api' } })).body).toEqual([]);
  });

  it('follows catalog pages on the registry itself even when the Link header names another host', async () => {
    const proxy = await FaultProxy.start(registry.url);
    try {
      proxy.linkHost = 'internal-registry.invalid:5000';
      const client = new RegistryClient({
        address: proxy.url,
        clientTimeoutMillis: 5_000,
        paginateSize: 2,
        insecureRegistry: false,
        auth: new PasswordSource({}),
      });
      expect((await client.catalog()).sort()).toEqual(['other/thing', 'shop/api', 'shop/web', 'tools/fmt', 'tools/lint']);
      await client.close();
    } finally {
      await proxy.close();
    }
  });

  it('keeps one unreachable registry from disturbing another, and shows the error in readiness details', async () => {
    const closedPort = await freePort();
    const host = await ProviderTestHost.create(provider, {
      accounts: [
        { name: 'local', address: registry.url, repositories: ['shop/api'] },
        { name: 'gone', address: `http://127.0.0.1:${closedPort}`, repositories: ['x/y'], clientTimeoutMillis: 2_000 },
      ],
    });
    await expect(host.runAgentsWithScheduler()).rejects.toThrow(/gone\/DockerRegistryImageCachingAgent\[1\/1\].*ECONNREFUSED/);
    expect(await host.cache.get('taggedImage', Keys.taggedImage('local', 'shop/api', '2.0.0'))).toBeDefined();
    const details = (await host.healthDetails.get('accounts')!()) as { accounts: Record<string, Record<string, unknown>> };
    expect(details.accounts.local).toMatchObject({ status: 'UP', repositories: 1, tags: 1 });
    expect(details.accounts.gone).toMatchObject({ status: 'DOWN', error: expect.stringMatching(/ECONNREFUSED/) });
  });
});

describe.skipIf(unavailable)('Docker Registry auth against the real registry', () => {
  let basic: RegistryServer;
  let tokens: TokenServer;
  let bearer: RegistryServer;

  beforeAll(async () => {
    basic = await RegistryServer.start({ kind: 'htpasswd', users: { ci: 's3cret' } }, async () => `Basic ${Buffer.from('ci:s3cret').toString('base64')}`);
    await basic.pushImage('private/app', 'v1');
    tokens = await TokenServer.start({ users: { robot: 'hunter2' } });
    bearer = await RegistryServer.start(
      { kind: 'token', realm: tokens.realm, service: tokens.service, issuer: tokens.issuer, rootCertPem: tokens.certPem },
      async (scope) => `Bearer ${tokens.mint([scope])}`,
    );
    await bearer.pushImage('secure/api', '3.0.0');
  });
  afterAll(async () => {
    await Promise.all([basic?.stop(), bearer?.stop()]);
    await tokens?.close();
  });

  it('caches through basic auth and the bearer token flow; wrong credentials are a clear error in readiness details', async () => {
    const host = await ProviderTestHost.create(provider, {
      accounts: [
        { name: 'basic', address: basic.url, username: 'ci', password: 's3cret', trackDigests: true },
        { name: 'bearer', address: bearer.url, username: 'robot', password: 'hunter2', trackDigests: true, sortTagsByDate: true },
        { name: 'basic-wrong', address: basic.url, username: 'ci', password: 'wrong' },
        { name: 'bearer-wrong', address: bearer.url, username: 'robot', password: 'wrong', repositories: ['secure/api'] },
      ],
    });
    await expect(host.runAgentsWithScheduler()).rejects.toThrow(/basic-wrong/);
    const find = async (account: string) =>
      (await host.callRoute('get', '/dockerRegistry/images/find', { query: { account } })).body as Record<string, unknown>[];
    expect((await find('basic')).map((image) => `${image.repository}:${image.tag}`)).toEqual(['private/app:v1']);
    expect((await find('bearer')).map((image) => `${image.repository}:${image.tag}`)).toEqual(['secure/api:3.0.0']);
    expect((await find('bearer'))[0]!.digest).toMatch(/^sha256:/);
    expect(await find('basic-wrong')).toEqual([]);
    const details = (await host.healthDetails.get('accounts')!()) as { accounts: Record<string, Record<string, unknown>> };
    expect(details.accounts.basic!.status).toBe('UP');
    expect(details.accounts.bearer!.status).toBe('UP');
    expect(details.accounts['basic-wrong']).toMatchObject({ status: 'DOWN', error: expect.stringMatching(/rejected the credentials of ci \(401\)/) });
    expect(details.accounts['bearer-wrong']).toMatchObject({ status: 'DOWN', error: expect.stringMatching(/refused a token for robot \(401\)/) });
    expect(JSON.stringify(details)).not.toMatch(/s3cret|hunter2/);
  });
});
