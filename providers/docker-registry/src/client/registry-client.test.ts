import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PasswordSource, RegistryClient, RegistryError, parseWwwAuthenticate } from '../index.js';
import { RegistryServer, registryUnavailable } from '../test-support/registry-server.js';
import { TokenServer } from '../test-support/token-server.js';

const unavailable = registryUnavailable();
const settings = (address: string, auth: PasswordSource = new PasswordSource({}), paginateSize = 100) => ({
  address,
  clientTimeoutMillis: 5_000,
  paginateSize,
  insecureRegistry: false,
  auth,
});

describe('WWW-Authenticate parsing', () => {
  it('reads Bearer realm, service and scope, quoted and bare', () => {
    expect(parseWwwAuthenticate('Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/nginx:pull"')).toEqual([
      { scheme: 'bearer', params: { realm: 'https://auth.docker.io/token', service: 'registry.docker.io', scope: 'repository:library/nginx:pull' } },
    ]);
    expect(parseWwwAuthenticate('Basic realm="Registry Realm"')).toEqual([{ scheme: 'basic', params: { realm: 'Registry Realm' } }]);
    expect(parseWwwAuthenticate('Bearer realm=https://x/token,error="invalid_token"')[0]!.params).toEqual({ realm: 'https://x/token', error: 'invalid_token' });
  });
});

describe('Docker Hub names', () => {
  it('puts official images under library/ for the API, and leaves other registries alone', async () => {
    const hub = new RegistryClient(settings('https://index.docker.io'));
    expect(hub.apiRepository('nginx')).toBe('library/nginx');
    expect(hub.apiRepository('myorg/app')).toBe('myorg/app');
    const other = new RegistryClient(settings('https://registry.example.com'));
    expect(other.apiRepository('nginx')).toBe('nginx');
    await Promise.all([hub.close(), other.close()]);
  });
});

describe.skipIf(unavailable)('RegistryClient against the real distribution registry', () => {
  let open: RegistryServer;
  let basic: RegistryServer;
  let tokens: TokenServer;
  let bearer: RegistryServer;

  beforeAll(async () => {
    open = await RegistryServer.start();
    for (const name of ['alpha', 'beta', 'team/gamma', 'team/delta', 'epsilon']) await open.pushImage(name, '1.0.0');
    await open.pushImage('alpha', '1.1.0', { created: '2024-05-01T10:00:00Z', labels: { commitId: 'abc123', buildNumber: '42' } });

    basic = await RegistryServer.start({ kind: 'htpasswd', users: { ci: 's3cret' } }, async () => `Basic ${Buffer.from('ci:s3cret').toString('base64')}`);
    await basic.pushImage('private/app', 'v1');

    tokens = await TokenServer.start({ users: { robot: 'hunter2' } });
    bearer = await RegistryServer.start(
      { kind: 'token', realm: tokens.realm, service: tokens.service, issuer: tokens.issuer, rootCertPem: tokens.certPem },
      async (scope) => `Bearer ${tokens.mint([scope])}`,
    );
    await bearer.pushImage('secure/api', '2.0.0', { created: '2023-01-02T03:04:05Z' });
  });

  afterAll(async () => {
    await Promise.all([open?.stop(), basic?.stop(), bearer?.stop()]);
    await tokens?.close();
  });

  it('pages through the catalog and tag lists with Link headers', async () => {
    const client = new RegistryClient(settings(open.url, undefined, 2));
    expect((await client.catalog()).sort()).toEqual(['alpha', 'beta', 'epsilon', 'team/delta', 'team/gamma']);
    expect((await client.tags('alpha'))?.sort()).toEqual(['1.0.0', '1.1.0']);
    expect(await client.tags('does-not-exist')).toBeUndefined();
    await client.close();
  });

  it('reads a digest with HEAD and the creation date and labels from the config blob', async () => {
    const client = new RegistryClient(settings(open.url));
    const pushed = await open.pushImage('beta', '2.0.0', { created: '2025-02-03T04:05:06Z' });
    expect(await client.manifestDigest('beta', '2.0.0')).toBe(pushed.digest);
    expect(await client.imageDetails('beta', '2.0.0')).toEqual({ digest: pushed.digest, createdMs: Date.parse('2025-02-03T04:05:06Z'), labels: {} });
    expect((await client.imageDetails('alpha', '1.1.0'))?.labels).toEqual({ commitId: 'abc123', buildNumber: '42' });
    expect(await client.manifestDigest('beta', 'nope')).toBeUndefined();
    await client.close();
  });

  it('authenticates with basic auth and names the user when the credentials are wrong', async () => {
    const good = new RegistryClient(settings(basic.url, new PasswordSource({ username: 'ci', password: 's3cret' })));
    expect(await good.tags('private/app')).toEqual(['v1']);
    const wrong = new RegistryClient(settings(basic.url, new PasswordSource({ username: 'ci', password: 'nope' })));
    await expect(wrong.tags('private/app')).rejects.toThrow(/rejected the credentials of ci \(401\)/);
    const anonymous = new RegistryClient(settings(basic.url));
    await expect(anonymous.catalog()).rejects.toThrow(/needs credentials/);
    await Promise.all([good.close(), wrong.close(), anonymous.close()]);
  });

  it('follows the Bearer challenge to the token realm with the service and scope, and reuses the token', async () => {
    const client = new RegistryClient(settings(bearer.url, new PasswordSource({ username: 'robot', password: 'hunter2' })));
    const before = tokens.requests.length;
    expect(await client.catalog()).toEqual(['secure/api']);
    expect(await client.tags('secure/api')).toEqual(['2.0.0']);
    expect((await client.imageDetails('secure/api', '2.0.0'))?.createdMs).toBe(Date.parse('2023-01-02T03:04:05Z'));
    expect(await client.tags('secure/api')).toEqual(['2.0.0']);
    const asked = tokens.requests.slice(before);
    expect(asked.map((request) => request.scope)).toEqual([['registry:catalog:*'], ['repository:secure/api:pull']]);
    expect(asked.every((request) => request.user === 'robot' && request.service === tokens.service)).toBe(true);

    const wrong = new RegistryClient(settings(bearer.url, new PasswordSource({ username: 'robot', password: 'bad' })));
    const error = await wrong.tags('secure/api').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RegistryError);
    expect((error as Error).message).toMatch(/token server .* refused a token for robot \(401\)/);
    // Anonymous: the token has no access, so the registry refuses it.
    const anonymous = new RegistryClient(settings(bearer.url));
    await expect(anonymous.tags('secure/api')).rejects.toThrow(/401/);
    await Promise.all([client.close(), wrong.close(), anonymous.close()]);
  });
});
