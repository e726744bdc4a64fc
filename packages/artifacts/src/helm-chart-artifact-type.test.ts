import { ArtifactError } from '@stratus/plugin-api';
import { createReadStream } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, normalize } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifactHarness, collect, LOOPBACK_NETWORK } from './test-support/artifact-harness.js';
import { startLoopbackServer, type LoopbackServer } from './test-support/loopback-server.js';

const basic = (pair: string) => `Basic ${Buffer.from(pair).toString('base64')}`;

describe('helm/chart against a chart repository served from a temp dir over loopback HTTP', () => {
  let server: LoopbackServer;
  let dir: string;
  const charts: Record<string, Buffer> = {
    'web-1.2.0.tgz': Buffer.from('chart web 1.2.0 \u0000\u0001'),
    'web-1.10.0.tgz': Buffer.from('chart web 1.10.0 \u0000\u0002'),
    'web-1.10.0-rc.1.tgz': Buffer.from('chart web 1.10.0-rc.1'),
    'db-0.1.0.tgz': Buffer.from('chart db 0.1.0'),
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'stratus-helm-repo-'));
    for (const [file, bytes] of Object.entries(charts)) await writeFile(join(dir, file), bytes);
    await writeFile(
      join(dir, 'index.yaml'),
      [
        'apiVersion: v1',
        'entries:',
        '  web:',
        '  - name: web',
        '    version: 1.2.0',
        '    urls: [web-1.2.0.tgz]',
        '  - name: web',
        '    version: 1.10.0-rc.1',
        '    urls: [web-1.10.0-rc.1.tgz]',
        '  - name: web',
        '    version: 1.10.0',
        '    urls: [charts/../web-1.10.0.tgz]',
        '  db:',
        '  - name: db',
        '    version: 0.1.0',
        '    urls: [db-0.1.0.tgz]',
        'generated: "2026-01-01T00:00:00Z"',
        '',
      ].join('\n'),
    );
    server = await startLoopbackServer((req, res) => {
      if (req.headers.authorization !== basic('helm:pw')) return void res.writeHead(401).end();
      const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(/^\/repo\//, '');
      if (path.includes('..') || !(path === 'index.yaml' || path in charts)) return void res.writeHead(404).end();
      createReadStream(join(dir, path)).pipe(res);
    });
  });
  afterAll(() => server.close());

  const block = (password: string) => ({
    network: LOOPBACK_NETWORK,
    helm: { enabled: true, accounts: [{ name: 'charts', repository: `${server.url}/repo/`, username: 'helm', password }] },
  });

  it('lists names and versions from index.yaml', async () => {
    const h = await artifactHarness(block('pw'));
    const account = h.account('charts', 'helm/chart');
    const signal = new AbortController().signal;
    expect(await account.listNames!(signal)).toEqual(['web', 'db']);
    expect(await account.listVersions!('web', signal)).toEqual(['1.2.0', '1.10.0-rc.1', '1.10.0']);
    await expect(account.listVersions!('nope', signal)).rejects.toMatchObject({ status: 404 });
  });

  it('downloads the exact chart tarball of a version, the highest when none is given, and the index', async () => {
    const h = await artifactHarness(block('pw'));
    expect(await h.fetch({ type: 'helm/chart', name: 'web', version: '1.2.0', artifactAccount: 'charts' })).toEqual(charts['web-1.2.0.tgz']);
    expect(await h.fetch({ type: 'helm/chart', name: 'web', artifactAccount: 'charts' })).toEqual(charts['web-1.10.0.tgz']);
    expect((await h.fetch({ type: 'helm/index', artifactAccount: 'charts' })).toString()).toContain('entries:');
    await expect(h.fetch({ type: 'helm/chart', name: 'web', version: '9.9.9', artifactAccount: 'charts' })).rejects.toMatchObject({ status: 404 });
  });

  it('reports refused credentials as a 502 naming the account', async () => {
    const h = await artifactHarness(block('wrong'));
    const error = await h.fetch({ type: 'helm/chart', name: 'web', artifactAccount: 'charts' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ArtifactError);
    expect((error as ArtifactError).status).toBe(502);
    expect((error as ArtifactError).message).toContain('refused the credentials of artifact account charts');
    await expect(h.account('charts', 'helm/chart').listNames!(new AbortController().signal)).rejects.toMatchObject({ status: 502 });
    expect(await collect(await h.downloader.download({ type: 'embedded/base64', reference: 'aGk=', artifactAccount: 'embedded-artifact' }))).toEqual(
      Buffer.from('hi'),
    );
  });
});
