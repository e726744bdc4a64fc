import { ArtifactError } from '@stratus/plugin-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifactHarness, collect, LOOPBACK_NETWORK } from './test-support/artifact-harness.js';
import { startLoopbackServer, type LoopbackServer } from './test-support/loopback-server.js';

const FILE = Buffer.from('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-http\n');
const BINARY = Buffer.from(Array.from({ length: 70_000 }, (_, i) => (i * 7) % 256));
const basic = (pair: string) => `Basic ${Buffer.from(pair).toString('base64')}`;

async function rejection(promise: Promise<unknown>): Promise<ArtifactError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ArtifactError);
  return error as ArtifactError;
}

describe('http/file', () => {
  let server: LoopbackServer;
  beforeAll(async () => {
    server = await startLoopbackServer((req, res) => {
      if (req.url === '/manifest.yml') return void res.end(FILE);
      if (req.url === '/binary') return void res.end(BINARY);
      if (req.url === '/private.yml') {
        if (req.headers.authorization !== basic('deploy:s3cret')) return void res.writeHead(401).end();
        return void res.end(FILE);
      }
      if (req.url === '/redirect-internal') return void res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' }).end();
      if (req.url === '/redirect-local') return void res.writeHead(302, { location: '/manifest.yml' }).end();
      if (req.url === '/huge') {
        res.writeHead(200);
        for (let i = 0; i < 40; i++) res.write(Buffer.alloc(1024, 1));
        return void res.end();
      }
      res.writeHead(404).end();
    });
  });
  afterAll(() => server.close());

  it('fetches the exact bytes with the no-auth account Clouddriver adds, and with basic auth', async () => {
    const h = await artifactHarness({ network: LOOPBACK_NETWORK, http: { enabled: true } });
    expect(h.repository.all().map(({ account }) => account.name)).toEqual(['embedded-artifact', 'no-auth-http-account']);
    expect(await h.fetch({ type: 'http/file', reference: `${server.url}/manifest.yml`, artifactAccount: 'no-auth-http-account' })).toEqual(FILE);
    expect(await h.fetch({ type: 'http/file', reference: `${server.url}/binary`, artifactAccount: 'no-auth-http-account' })).toEqual(BINARY);

    const authed = await artifactHarness({
      network: LOOPBACK_NETWORK,
      http: { enabled: true, accounts: [{ name: 'web', username: 'deploy', password: 's3cret' }] },
    });
    expect(authed.repository.all().map(({ account }) => account.name)).toEqual(['embedded-artifact', 'web']);
    expect(await authed.fetch({ type: 'http/file', reference: `${server.url}/private.yml`, artifactAccount: 'web' })).toEqual(FILE);
    expect(await authed.fetch({ type: 'http/file', reference: `${server.url}/redirect-local`, artifactAccount: 'web' })).toEqual(FILE);
  });

  it('answers clear errors: refused credentials 502, missing file 404, unknown account 404, no account 400, bad URL 400', async () => {
    const h = await artifactHarness({ network: LOOPBACK_NETWORK, http: { enabled: true, accounts: [{ name: 'web', username: 'deploy', password: 'wrong' }] } });
    const refused = await rejection(h.fetch({ type: 'http/file', reference: `${server.url}/private.yml`, artifactAccount: 'web' }));
    expect(refused.status).toBe(502);
    expect(refused.message).toContain('refused the credentials of artifact account web');
    expect(refused.message).not.toContain('wrong');
    const missing = await rejection(h.fetch({ type: 'http/file', reference: `${server.url}/nope.yml`, artifactAccount: 'web' }));
    expect(missing.status).toBe(404);
    expect(missing.message).toContain(`${server.url}/nope.yml`);
    const unknown = await rejection(h.fetch({ type: 'http/file', reference: `${server.url}/manifest.yml`, artifactAccount: 'nobody' }));
    expect([unknown.status, unknown.message]).toEqual([404, "Credentials 'nobody' supporting artifact type 'http/file' cannot be found"]);
    const mismatch = await rejection(h.fetch({ type: 's3/object', reference: 's3://b/k', artifactAccount: 'web' }));
    expect(mismatch.status).toBe(404);
    expect(mismatch.message).toContain("'web' does not handle artifact type 's3/object'");
    expect((await rejection(h.fetch({ type: 'http/file', reference: `${server.url}/manifest.yml` }))).status).toBe(400);
    expect((await rejection(h.fetch({ type: 'http/file', reference: 'not a url', artifactAccount: 'web' }))).status).toBe(400);
  });

  it('honours the network policy: loopback and metadata addresses need the operator, redirects are checked again', async () => {
    const closed = await artifactHarness({ http: { enabled: true } });
    const loopback = await rejection(closed.fetch({ type: 'http/file', reference: `${server.url}/manifest.yml`, artifactAccount: 'no-auth-http-account' }));
    expect(loopback.status).toBe(403);
    expect(loopback.message).toContain('127.0.0.1');
    const other = await artifactHarness({ network: { allowedHosts: ['artifacts.example.com'] }, http: { enabled: true } });
    expect(
      (await rejection(other.fetch({ type: 'http/file', reference: `${server.url}/manifest.yml`, artifactAccount: 'no-auth-http-account' }))).message,
    ).toContain('not in artifacts.network.allowedHosts');
    const scheme = await rejection(closed.fetch({ type: 'http/file', reference: 'file:///etc/passwd', artifactAccount: 'no-auth-http-account' }));
    expect([scheme.status, scheme.message.includes('file:')]).toEqual([403, true]);

    const open = await artifactHarness({ network: LOOPBACK_NETWORK, http: { enabled: true } });
    const redirected = await rejection(
      open.fetch({ type: 'http/file', reference: `${server.url}/redirect-internal`, artifactAccount: 'no-auth-http-account' }),
    );
    expect(redirected.status).toBe(403);
    expect(redirected.message).toContain('169.254.169.254');
  });

  it('caps the size of a download', async () => {
    const h = await artifactHarness({ network: LOOPBACK_NETWORK, maxDownloadBytes: 10_000, http: { enabled: true } });
    const content = await h.downloader.download({ type: 'http/file', reference: `${server.url}/huge`, artifactAccount: 'no-auth-http-account' });
    const error = await rejection(collect(content));
    expect(error.status).toBe(413);
    expect(error.message).toContain('artifacts.maxDownloadBytes (10000 bytes)');
  });
});

describe('github/file, gitlab/file, bitbucket/file against loopback fakes of their contents APIs', () => {
  let server: LoopbackServer;
  beforeAll(async () => {
    server = await startLoopbackServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      // GitHub: GET /repos/{owner}/{repo}/contents/{path}?ref= → metadata with download_url, or raw with the raw media type.
      if (url.pathname === '/repos/acme/app/contents/deploy/app.yml') {
        if (req.headers.authorization !== 'token gh-token')
          return void res.writeHead(401, { 'content-type': 'application/json' }).end('{"message":"Bad credentials"}');
        if (url.searchParams.get('ref') !== 'release') return void res.writeHead(404).end('{"message":"No commit found for the ref"}');
        if (req.headers.accept === 'application/vnd.github.v3.raw') return void res.end(FILE);
        res.setHeader('content-type', 'application/json');
        return void res.end(JSON.stringify({ name: 'app.yml', path: 'deploy/app.yml', download_url: `${server.url}/raw/acme/app/release/deploy/app.yml` }));
      }
      if (url.pathname === '/raw/acme/app/release/deploy/app.yml') return void res.end(FILE);
      // GitLab: GET /api/v4/projects/{id}/repository/files/{path}/raw?ref= with Private-Token.
      if (url.pathname === '/api/v4/projects/42/repository/files/deploy%2Fapp.yml/raw') {
        if (req.headers['private-token'] !== 'gl-token') return void res.writeHead(401).end('{"message":"401 Unauthorized"}');
        if (url.searchParams.get('ref') !== 'master') return void res.writeHead(404).end('{"message":"404 File Not Found"}');
        return void res.end(FILE);
      }
      // Bitbucket: GET /2.0/repositories/{workspace}/{repo}/src/{commit}/{path} with a bearer token.
      if (url.pathname === '/2.0/repositories/acme/app/src/main/deploy/app.yml') {
        if (req.headers.authorization !== 'Bearer bb-token') return void res.writeHead(401).end();
        return void res.end(FILE);
      }
      res.writeHead(404).end();
    });
  });
  afterAll(() => server.close());

  it('github/file follows the contents metadata to download_url, or reads raw with useContentAPI', async () => {
    const h = await artifactHarness({
      network: LOOPBACK_NETWORK,
      github: {
        enabled: true,
        accounts: [
          { name: 'gh', token: 'gh-token' },
          { name: 'gh-raw', token: 'gh-token', useContentAPI: true },
          { name: 'gh-bad', token: 'nope' },
        ],
      },
    });
    const artifact = { type: 'github/file', reference: `${server.url}/repos/acme/app/contents/deploy/app.yml`, version: 'release' };
    expect(await h.fetch({ ...artifact, artifactAccount: 'gh' })).toEqual(FILE);
    expect(await h.fetch({ ...artifact, artifactAccount: 'gh-raw' })).toEqual(FILE);
    const raw = server.requests.filter((r) => r.url.startsWith('/raw/'));
    expect(raw.at(-1)?.headers.authorization).toBe('token gh-token');
    const refused = await rejection(h.fetch({ ...artifact, artifactAccount: 'gh-bad' }));
    expect([refused.status, refused.message.includes('refused the credentials of artifact account gh-bad')]).toEqual([502, true]);
    expect((await rejection(h.fetch({ ...artifact, version: 'other', artifactAccount: 'gh' }))).status).toBe(404);
  });

  it('gitlab/file sends Private-Token and ref (default master)', async () => {
    const h = await artifactHarness({
      network: LOOPBACK_NETWORK,
      gitlab: {
        enabled: true,
        accounts: [
          { name: 'gl', token: 'gl-token' },
          { name: 'gl-bad', token: 'x' },
        ],
      },
    });
    const artifact = { type: 'gitlab/file', reference: `${server.url}/api/v4/projects/42/repository/files/deploy%2Fapp.yml/raw` };
    expect(await h.fetch({ ...artifact, artifactAccount: 'gl' })).toEqual(FILE);
    expect((await rejection(h.fetch({ ...artifact, artifactAccount: 'gl-bad' }))).status).toBe(502);
    expect((await rejection(h.fetch({ ...artifact, version: 'feature', artifactAccount: 'gl' }))).status).toBe(404);
  });

  it('bitbucket/file sends the token as a bearer token', async () => {
    const h = await artifactHarness({
      network: LOOPBACK_NETWORK,
      bitbucket: {
        enabled: true,
        accounts: [
          { name: 'bb', token: 'bb-token' },
          { name: 'bb-bad', username: 'u', password: 'p' },
        ],
      },
    });
    const artifact = { type: 'bitbucket/file', reference: `${server.url}/2.0/repositories/acme/app/src/main/deploy/app.yml` };
    expect(await h.fetch({ ...artifact, artifactAccount: 'bb' })).toEqual(FILE);
    expect((await rejection(h.fetch({ ...artifact, artifactAccount: 'bb-bad' }))).status).toBe(502);
  });
});

describe('embedded/base64 and stored artifacts', () => {
  it('decodes the reference on the always-present embedded-artifact account', async () => {
    const h = await artifactHarness({});
    expect(h.repository.all().map(({ account, definition }) => [account.name, definition.credentialsType])).toEqual([
      ['embedded-artifact', 'artifacts-embedded'],
    ]);
    expect(await h.fetch({ type: 'embedded/base64', reference: FILE.toString('base64'), artifactAccount: 'embedded-artifact' })).toEqual(FILE);
    expect((await rejection(h.fetch({ type: 'embedded/base64', reference: '%%%', artifactAccount: 'embedded-artifact' }))).status).toBe(400);
  });

  it('stores an embedded artifact under ref://app/sha256 and fetches it back as remote/base64', async () => {
    const h = await artifactHarness({});
    const stored = await h.store.store('myapp', { type: 'embedded/base64', name: 'manifest', reference: FILE.toString('base64') });
    expect(stored.type).toBe('remote/base64');
    expect(stored.reference).toMatch(/^ref:\/\/myapp\/[0-9a-f]{64}$/);
    expect(await h.fetch({ ...stored, artifactAccount: 'embedded-artifact' })).toEqual(FILE);
    const hash = stored.reference!.split('/').at(-1)!;
    expect(await h.store.get('myapp', hash)).toBe(FILE.toString('base64'));
    expect(await h.store.get('otherapp', hash)).toBeUndefined();
    expect((await rejection(h.fetch({ type: 'remote/base64', reference: `ref://myapp/${'0'.repeat(64)}`, artifactAccount: 'embedded-artifact' }))).status).toBe(
      404,
    );
  });
});
