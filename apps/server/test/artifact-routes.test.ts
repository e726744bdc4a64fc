import { ARTIFACT_STORE } from '@stratus/artifacts';
import { ARTIFACT_DOWNLOAD_SERVICE, SPI_VERSION, defineProvider } from '@stratus/plugin-api';
import { createServer, type Server } from 'node:http';
import { Readable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, parseConfig } from '../src/config/load-config.js';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolve } from '../src/di.js';
import { startServer, type RunningServer } from '../src/server/start-server.js';

const MANIFEST = Buffer.from('apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n');
const BIG = Buffer.alloc(200_000, 7);
const CHART = Buffer.from([0x1f, 0x8b, 8, 0, 1, 2, 3, 4, 5]);
const basic = (pair: string) => `Basic ${Buffer.from(pair).toString('base64')}`;

/** A package contributing an artifact type the way providers contribute agents. */
const memoProvider = defineProvider({
  id: 'memo-artifacts',
  apiVersion: SPI_VERSION,
  version: '1.0.0',
  register(context) {
    context.registerArtifactAccountType({
      configKey: 'memo',
      credentialsType: 'artifacts-memo',
      parse: (raw) => ({
        name: String(raw.name),
        types: ['memo/text'],
        download: async (artifact) => Readable.from([Buffer.from(`memo:${artifact.reference}`)]),
        listNames: async () => ['a', 'b'],
      }),
    });
  },
});

describe('artifact endpoints, as Orca and Gate call them', () => {
  let upstream: Server;
  let upstreamUrl: string;
  let server: RunningServer;

  beforeAll(async () => {
    upstream = createServer((req, res) => {
      if (req.headers.authorization !== basic('deploy:s3cret')) return void res.writeHead(401).end();
      if (req.url === '/manifests/web.yml') return void res.end(MANIFEST);
      if (req.url === '/big') return void res.end(BIG);
      if (req.url === '/charts/index.yaml')
        return void res.end(
          'apiVersion: v1\nentries:\n  web:\n  - name: web\n    version: 0.2.0\n    urls: [web-0.2.0.tgz]\n  - name: web\n    version: 0.1.0\n    urls: [web-0.1.0.tgz]\n',
        );
      if (req.url === '/charts/web-0.2.0.tgz') return void res.end(CHART);
      res.writeHead(404).end();
    });
    await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
    upstreamUrl = `http://127.0.0.1:${(upstream.address() as { port: number }).port}`;
    const raw = {
      server: { port: 0, address: '127.0.0.1' },
      admin: { tasks: { shutdownWaitSeconds: 1 } },
      security: { users: { alice: ['deployers'] } },
      artifacts: {
        maxDownloadBytes: 100_000,
        network: { allowedHosts: ['127.0.0.1'] },
        http: {
          enabled: true,
          accounts: [
            { name: 'web', username: 'deploy', password: 's3cret' },
            { name: 'web-wrong', username: 'deploy', password: 'not-it' },
            { name: 'restricted', username: 'deploy', password: 's3cret', permissions: { READ: ['deployers'], WRITE: ['deployers'] } },
          ],
        },
        helm: { enabled: true, accounts: [{ name: 'charts', repository: `${upstreamUrl}/charts`, username: 'deploy', password: 's3cret' }] },
        memo: { enabled: true, accounts: [{ name: 'memo' }] },
        s3: { enabled: false, accounts: [{ name: 'ignored-while-disabled' }] },
      },
    };
    server = await startServer({ config: parseConfig(raw), raw, logger: pino({ level: 'silent' }), providers: [memoProvider] });
  });
  afterAll(async () => {
    await server?.shutdown('test done');
    await new Promise((r) => upstream?.close(r));
  });

  const put = (body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${server.url}/artifacts/fetch/`, { method: 'PUT', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  /** The artifact JSON Orca's OortService.fetchArtifact sends (kork's Artifact, nulls included). */
  const orcaArtifact = (fields: Record<string, unknown>) => ({
    type: null,
    customKind: false,
    name: null,
    version: null,
    location: null,
    reference: null,
    metadata: {},
    artifactAccount: null,
    provenance: null,
    uuid: null,
    ...fields,
  });

  it('GET /artifacts/credentials lists name, types and type of readable accounts, never credentials', async () => {
    const anonymous = await fetch(`${server.url}/artifacts/credentials`);
    expect(anonymous.status).toBe(200);
    const text = await anonymous.text();
    expect(JSON.parse(text)).toEqual([
      { name: 'embedded-artifact', types: ['embedded/base64', 'remote/base64'], type: 'artifacts-embedded' },
      { name: 'web', types: ['http/file'], type: 'artifacts-http' },
      { name: 'web-wrong', types: ['http/file'], type: 'artifacts-http' },
      { name: 'charts', types: ['helm/chart', 'helm/index'], type: 'artifacts-helm' },
      { name: 'memo', types: ['memo/text'], type: 'artifacts-memo' },
    ]);
    expect(text).not.toContain('s3cret');
    const alice = (await (await fetch(`${server.url}/artifacts/credentials`, { headers: { 'x-spinnaker-user': 'alice' } })).json()) as { name: string }[];
    expect(alice.map((a) => a.name)).toContain('restricted');
  });

  it('PUT /artifacts/fetch/ streams the exact bytes as application/octet-stream (Orca: ManifestEvaluator, ConsumeArtifactTask)', async () => {
    const res = await put(orcaArtifact({ type: 'http/file', name: 'web.yml', reference: `${upstreamUrl}/manifests/web.yml`, artifactAccount: 'web' }));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/octet-stream');
    expect(Buffer.from(await res.arrayBuffer())).toEqual(MANIFEST);

    const embedded = await put(
      orcaArtifact({ type: 'embedded/base64', name: 'inline', reference: MANIFEST.toString('base64'), artifactAccount: 'embedded-artifact' }),
    );
    expect(Buffer.from(await embedded.arrayBuffer())).toEqual(MANIFEST);
    const chart = await put(orcaArtifact({ type: 'helm/chart', name: 'web', artifactAccount: 'charts' }));
    expect(Buffer.from(await chart.arrayBuffer())).toEqual(CHART);
    const memo = await put({ type: 'memo/text', reference: 'hello', artifactAccount: 'memo' });
    expect(await memo.text()).toBe('memo:hello');
  });

  it('answers clear errors naming the account and artifact: 404 unknown account or hidden one, 502 upstream refusal, 413 over the cap, 400 bad body', async () => {
    const unknown = await put(orcaArtifact({ type: 'http/file', reference: `${upstreamUrl}/manifests/web.yml`, artifactAccount: 'nope' }));
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { message: string }).message).toBe("Credentials 'nope' supporting artifact type 'http/file' cannot be found");
    const hidden = await put(orcaArtifact({ type: 'http/file', reference: `${upstreamUrl}/manifests/web.yml`, artifactAccount: 'restricted' }));
    expect(hidden.status).toBe(404);
    const allowed = await put(orcaArtifact({ type: 'http/file', reference: `${upstreamUrl}/manifests/web.yml`, artifactAccount: 'restricted' }), {
      'x-spinnaker-user': 'alice',
    });
    expect(Buffer.from(await allowed.arrayBuffer())).toEqual(MANIFEST);
    const refused = await put(orcaArtifact({ type: 'http/file', reference: `${upstreamUrl}/manifests/web.yml`, artifactAccount: 'web-wrong' }));
    expect(refused.status).toBe(502);
    const refusedBody = (await refused.json()) as { message: string };
    expect(refusedBody.message).toContain('refused the credentials of artifact account web-wrong');
    expect(refusedBody.message).toContain(`${upstreamUrl}/manifests/web.yml`);
    const big = await put(orcaArtifact({ type: 'http/file', reference: `${upstreamUrl}/big`, artifactAccount: 'web' }));
    expect(big.status).toBe(413);
    const noAccount = await put(orcaArtifact({ type: 'http/file', reference: `${upstreamUrl}/manifests/web.yml` }));
    expect(noAccount.status).toBe(400);
    expect(((await noAccount.json()) as { message: string }).message).toContain('artifactAccount is missing');
    const noType = await put(orcaArtifact({ reference: `${upstreamUrl}/manifests/web.yml`, artifactAccount: 'web' }));
    expect([noType.status, ((await noType.json()) as { message: string }).message]).toEqual([
      400,
      'The artifact to fetch with artifact account web has no type',
    ]);
    expect((await put(['not', 'an', 'artifact'])).status).toBe(400);
    const notJson = await fetch(`${server.url}/artifacts/fetch`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{' });
    expect(notJson.status).toBe(400);
  });

  it('GET /artifacts/account/{name}/names and /versions serve Deck pickers (helm), 404 for a type the account lacks', async () => {
    expect(await (await fetch(`${server.url}/artifacts/account/charts/names?type=helm/chart`)).json()).toEqual(['web']);
    expect(await (await fetch(`${server.url}/artifacts/account/charts/versions?type=helm/chart&artifactName=web`)).json()).toEqual(['0.2.0', '0.1.0']);
    expect(await (await fetch(`${server.url}/artifacts/account/memo/names?type=memo/text`)).json()).toEqual(['a', 'b']);
    expect((await fetch(`${server.url}/artifacts/account/charts/names?type=artifacts-helm`)).status).toBe(404);
    expect((await fetch(`${server.url}/artifacts/account/nope/names?type=helm/chart`)).status).toBe(404);
    expect((await fetch(`${server.url}/artifacts/account/web/names?type=http/file`)).status).toBe(400);
    const missingType = await fetch(`${server.url}/artifacts/account/charts/names`);
    expect(missingType.status).toBe(400);
    expect(((await missingType.json()) as { message: string }).message).toContain('type');
    expect((await fetch(`${server.url}/artifacts/account/restricted/names?type=http/file`)).status).toBe(404);
  });

  it('stores artifacts in the configured cache store and serves them by content address and as remote/base64', async () => {
    const stored = await resolve(server.container, ARTIFACT_STORE).store('myapp', {
      type: 'embedded/base64',
      name: 'm',
      reference: MANIFEST.toString('base64'),
    });
    const hash = stored.reference!.split('/').at(-1);
    const view = await fetch(`${server.url}/artifacts/content-address/myapp/${hash}`);
    expect(view.status).toBe(200);
    expect(await view.json()).toEqual({ reference: MANIFEST.toString('base64') });
    expect((await fetch(`${server.url}/artifacts/content-address/otherapp/${hash}`)).status).toBe(404);
    const remote = await put(orcaArtifact({ ...stored, artifactAccount: 'embedded-artifact' }));
    expect(Buffer.from(await remote.arrayBuffer())).toEqual(MANIFEST);
  });

  it('exposes the download service under ARTIFACT_DOWNLOAD_SERVICE for other packages', async () => {
    const downloads = resolve(server.container, ARTIFACT_DOWNLOAD_SERVICE);
    const chunks: Buffer[] = [];
    for await (const chunk of await downloads.download({ type: 'http/file', reference: `${upstreamUrl}/manifests/web.yml`, artifactAccount: 'web' }))
      chunks.push(Buffer.from(chunk));
    expect(Buffer.concat(chunks)).toEqual(MANIFEST);
  });
});

describe('artifact config', () => {
  it("reads Clouddriver's spellings: artifacts.git-repo and kebab-case settings", () => {
    const path = join(mkdtempSync(join(tmpdir(), 'stratus-artifact-config-')), 'stratus.yml');
    writeFileSync(
      path,
      [
        'artifacts:',
        '  max-download-bytes: 1234',
        '  git-repo:',
        '    enabled: true',
        '    accounts:',
        '    - name: repo',
        '      token-file: /dev/null',
        '',
      ].join('\n'),
    );
    const { config } = loadConfig({ path, env: {} });
    expect(config.artifacts.maxDownloadBytes).toBe(1234);
    expect(config.artifacts.gitRepo).toEqual({ enabled: true, accounts: [{ name: 'repo', tokenFile: '/dev/null' }] });
    expect(config.artifacts.network).toEqual({ allowedHosts: [], allowPrivateAddresses: false });
  });
});

describe('artifact types from packages', () => {
  it('refuses a package registering a config key that is taken, naming both', async () => {
    const clash = defineProvider({
      id: 'clash',
      apiVersion: SPI_VERSION,
      version: '1.0.0',
      register(context) {
        context.registerArtifactAccountType({
          configKey: 'http',
          credentialsType: 'artifacts-clash',
          parse: () => ({ name: 'x', types: ['x'], download: async () => Readable.from([]) }),
        });
      },
    });
    const raw = { server: { port: 0, address: '127.0.0.1' } };
    await expect(startServer({ config: parseConfig(raw), raw, logger: pino({ level: 'silent' }), providers: [clash] })).rejects.toThrow(
      /clash.*artifacts\.http is already registered by Stratus \(built in\)/,
    );
  });

  it('skips an account that fails to parse and still serves the others', async () => {
    const raw = { server: { port: 0, address: '127.0.0.1' }, artifacts: { helm: { enabled: true, accounts: [{ name: 'no-repo' }] }, http: { enabled: true } } };
    const server = await startServer({ config: parseConfig(raw), raw, logger: pino({ level: 'silent' }) });
    try {
      const names = ((await (await fetch(`${server.url}/artifacts/credentials`)).json()) as { name: string }[]).map((a) => a.name);
      expect(names).toEqual(['embedded-artifact', 'no-auth-http-account']);
    } finally {
      await server.shutdown('test done');
    }
  });
});

describe('platform artifact accounts', () => {
  it('lists docker-registry (docker/image) when a Docker registry provider is enabled, and refuses to download it', async () => {
    const raw = { server: { port: 0, address: '127.0.0.1' }, dockerRegistry: { enabled: true, accounts: [] } };
    const server = await startServer({ config: parseConfig(raw), raw, logger: pino({ level: 'silent' }) });
    try {
      expect(await (await fetch(`${server.url}/artifacts/credentials`)).json()).toEqual([
        { name: 'embedded-artifact', types: ['embedded/base64', 'remote/base64'], type: 'artifacts-embedded' },
        { name: 'docker-registry', types: ['docker/image'], type: 'artifacts-docker' },
      ]);
      const res = await fetch(`${server.url}/artifacts/fetch`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ type: 'docker/image', reference: 'nginx:1.27', artifactAccount: 'docker-registry' }),
      });
      expect(res.status).toBe(400);
      expect(((await res.json()) as { message: string }).message).toContain('retrieve images directly');
    } finally {
      await server.shutdown('test done');
    }
  });
});

describe('artifact accounts follow config reloads', () => {
  it('adds an account written to the config file on reload, and documents the endpoints in /openapi.json', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'stratus-artifact-reload-')), 'stratus.yml');
    const write = (accounts: string[]) =>
      writeFileSync(
        path,
        [
          'server: {port: 0, address: 127.0.0.1}',
          'dynamicConfig: {enabled: false}',
          'artifacts:',
          '  http:',
          '    enabled: true',
          '    accounts:',
          ...accounts.map((name) => `    - {name: ${name}, username: u, password: p}`),
          '',
        ].join('\n'),
      );
    write(['first']);
    const { config, raw } = loadConfig({ path, env: {} });
    const server = await startServer({ config, raw, configPath: path, logger: pino({ level: 'silent' }) });
    try {
      const names = async () => ((await (await fetch(`${server.url}/artifacts/credentials`)).json()) as { name: string }[]).map((a) => a.name);
      expect(await names()).toEqual(['embedded-artifact', 'first']);
      write(['first', 'second']);
      await server.reload();
      expect(await names()).toEqual(['embedded-artifact', 'first', 'second']);
      const openapi = (await (await fetch(`${server.url}/openapi.json`)).json()) as { paths: Record<string, unknown> };
      expect(Object.keys(openapi.paths)).toEqual(
        expect.arrayContaining([
          '/artifacts/credentials',
          '/artifacts/fetch',
          '/artifacts/account/{accountName}/names',
          '/artifacts/account/{accountName}/versions',
          '/artifacts/content-address/{application}/{hash}',
        ]),
      );
    } finally {
      await server.shutdown('test done');
    }
  });
});

describe('artifacts over the cap after the status was sent', () => {
  it('cuts the response, so the client sees a failed download rather than a truncated success', async () => {
    const huge = Buffer.alloc(3 * 1024 * 1024, 9);
    const upstream = createServer((_req, res) => void res.end(huge));
    await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(upstream.address() as { port: number }).port}/huge`;
    const raw = {
      server: { port: 0, address: '127.0.0.1' },
      artifacts: { maxDownloadBytes: 2 * 1024 * 1024, network: { allowedHosts: ['127.0.0.1'] }, http: { enabled: true } },
    };
    const server = await startServer({ config: parseConfig(raw), raw, logger: pino({ level: 'silent' }) });
    try {
      const res = await fetch(`${server.url}/artifacts/fetch`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ type: 'http/file', reference: url, artifactAccount: 'no-auth-http-account' }),
      });
      expect(res.status).toBe(200);
      await expect(res.arrayBuffer()).rejects.toThrow();
    } finally {
      await server.shutdown('test done');
      await new Promise((r) => upstream.close(r));
    }
  });
});
