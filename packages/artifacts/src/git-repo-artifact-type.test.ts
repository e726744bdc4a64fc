import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifactHarness, LOOPBACK_NETWORK } from './test-support/artifact-harness.js';
import { startGitHttpServer } from './test-support/git-http-server.js';
import type { LoopbackServer } from './test-support/loopback-server.js';

const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', args, {
    cwd,
    env: {
      PATH: process.env.PATH,
      HOME: cwd,
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_AUTHOR_NAME: 't',
      GIT_AUTHOR_EMAIL: 't@x',
      GIT_COMMITTER_NAME: 't',
      GIT_COMMITTER_EMAIL: 't@x',
      GIT_AUTHOR_DATE: '2026-01-01T00:00:00Z',
      GIT_COMMITTER_DATE: '2026-01-01T00:00:00Z',
    },
  });

describe('git/repo against a bare repository served by git http-backend on loopback', () => {
  let open: LoopbackServer;
  let guarded: LoopbackServer;
  let work: string;
  let firstCommit: string;
  const basic = `Basic ${Buffer.from('token:git-token').toString('base64')}`;

  beforeAll(async () => {
    const root = await mkdtemp(join(tmpdir(), 'stratus-git-root-'));
    work = await mkdtemp(join(tmpdir(), 'stratus-git-work-'));
    git(work, 'init', '-q', '-b', 'master');
    await mkdir(join(work, 'deploy'), { recursive: true });
    await writeFile(join(work, 'deploy', 'app.yml'), 'kind: Deployment\n');
    await writeFile(join(work, 'README.md'), '# app\n');
    git(work, 'add', '.');
    git(work, 'commit', '-q', '-m', 'one');
    firstCommit = git(work, 'rev-parse', 'HEAD').toString().trim();
    await writeFile(join(work, 'deploy', 'app.yml'), 'kind: Deployment\nreplicas: 3\n');
    git(work, 'commit', '-q', '-am', 'two');
    git(work, 'tag', 'v2');
    git(root, 'clone', '-q', '--bare', work, 'app.git');
    git(join(root, 'app.git'), 'config', 'uploadpack.allowReachableSHA1InWant', 'true');
    open = await startGitHttpServer(root);
    guarded = await startGitHttpServer(root, basic);
  });
  afterAll(async () => {
    await Promise.all([open?.close(), guarded?.close()]);
  });

  const block = () => ({
    network: LOOPBACK_NETWORK,
    gitRepo: { enabled: true, accounts: [{ name: 'git', token: 'git-token' }, { name: 'git-open' }, { name: 'git-bad', token: 'wrong' }] },
  });

  it('answers the same tarball as git archive --format=tgz of the ref, whole or a sub-path', async () => {
    const h = await artifactHarness(block());
    const expectedAll = git(work, 'archive', '--format=tgz', 'master');
    const expectedSub = git(work, 'archive', '--format=tgz', 'v2', 'deploy');
    const expectedFirst = git(work, 'archive', '--format=tgz', firstCommit, 'deploy');
    expect(await h.fetch({ type: 'git/repo', reference: `${guarded.url}/app.git`, artifactAccount: 'git' })).toEqual(expectedAll);
    expect(await h.fetch({ type: 'git/repo', reference: `${guarded.url}/app.git`, version: 'v2', location: 'deploy', artifactAccount: 'git' })).toEqual(
      expectedSub,
    );
    expect(
      await h.fetch({ type: 'git/repo', reference: `${open.url}/app.git`, version: firstCommit, metadata: { subPath: 'deploy' }, artifactAccount: 'git-open' }),
    ).toEqual(expectedFirst);
  });

  it('answers 502 for refused credentials, 404 for a missing ref or sub-path, 400 for unsafe input', async () => {
    const h = await artifactHarness(block());
    await expect(h.fetch({ type: 'git/repo', reference: `${guarded.url}/app.git`, artifactAccount: 'git-bad' })).rejects.toMatchObject({
      status: 502,
      message: expect.stringContaining('refused the credentials of artifact account git-bad'),
    });
    await expect(h.fetch({ type: 'git/repo', reference: `${open.url}/app.git`, version: 'no-such-branch', artifactAccount: 'git-open' })).rejects.toMatchObject(
      { status: 404 },
    );
    await expect(h.fetch({ type: 'git/repo', reference: `${open.url}/app.git`, location: 'nope', artifactAccount: 'git-open' })).rejects.toMatchObject({
      status: 404,
    });
    await expect(
      h.fetch({ type: 'git/repo', reference: `${open.url}/app.git`, version: '--upload-pack=touch', artifactAccount: 'git-open' }),
    ).rejects.toMatchObject({ status: 400 });
    await expect(h.fetch({ type: 'git/repo', reference: 'file:///etc', artifactAccount: 'git-open' })).rejects.toMatchObject({ status: 400 });
    await expect(h.fetch({ type: 'git/repo', reference: 'ext::sh -c touch% /tmp/pwned', artifactAccount: 'git-open' })).rejects.toMatchObject({ status: 400 });
    const closed = await artifactHarness({ gitRepo: { enabled: true, accounts: [{ name: 'git-open' }] } });
    await expect(closed.fetch({ type: 'git/repo', reference: `${open.url}/app.git`, artifactAccount: 'git-open' })).rejects.toMatchObject({ status: 403 });
  });
});
