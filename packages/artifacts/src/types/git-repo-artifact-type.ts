import { ArtifactError, type Artifact, type ArtifactAccountTypeDefinition } from '@stratus/plugin-api';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { accountName, optionalString, tokenOf } from '../account-fields.js';
import { describeArtifact } from '../artifact-description.js';

const SAFE_REF = /^[A-Za-z0-9_][A-Za-z0-9._/-]*$/;
const SAFE_PATH = /^[A-Za-z0-9_.][A-Za-z0-9._/ -]*$/;

/**
 * `git/repo` (`artifacts.gitRepo`, Clouddriver's `artifacts.git-repo`): a gzipped tarball of the
 * repository at `version` (a branch, tag or commit; default `master`), limited to the sub-path in
 * `location` (or `metadata.subPath`), made by the git binary like Clouddriver's
 * `git archive --format tgz`. Only http(s) URLs: the host is checked against the network policy and
 * git is pinned to the checked addresses, redirects off, credentials passed through the environment
 * (`token`/`tokenFile`, `username` + `password` or `username` + token), never on the command line.
 */
export const gitRepoArtifactType: ArtifactAccountTypeDefinition = {
  configKey: 'gitRepo',
  credentialsType: 'git/repo',
  parse(raw, context) {
    const name = accountName(raw);
    const username = optionalString(raw, 'username');
    const password = optionalString(raw, 'password');
    const token = tokenOf(raw, context);
    if (optionalString(raw, 'sshPrivateKeyFilePath')) {
      context.logger.warn({ account: name }, 'git/repo: sshPrivateKeyFilePath is not supported yet; the account fetches over http(s) only');
    }
    const pair = username && password ? `${username}:${password}` : username && token ? `${username}:${token}` : token ? `token:${token}` : undefined;
    const authorization = pair ? `Basic ${Buffer.from(pair).toString('base64')}` : undefined;
    return {
      name,
      types: ['git/repo'],
      async download(artifact, signal) {
        const url = repoUrl(artifact, name);
        const addresses = await context.checkUrl(url);
        const ref = artifact.version || 'master';
        if (!SAFE_REF.test(ref) || ref.includes('..'))
          throw new ArtifactError(400, `artifact account ${name}: bad git ref ${ref} in ${describeArtifact(artifact)}`);
        const subPath = artifact.location || (typeof artifact.metadata?.subPath === 'string' ? artifact.metadata.subPath : '');
        if (subPath && (!SAFE_PATH.test(subPath) || subPath.split('/').includes('..'))) {
          throw new ArtifactError(400, `artifact account ${name}: bad sub-path ${subPath} in ${describeArtifact(artifact)}`);
        }
        const port = url.port || (url.protocol === 'https:' ? '443' : '80');
        const host = url.hostname.replace(/^\[|\]$/g, '');
        const pin = addresses.map((address) => (address.includes(':') ? `[${address}]` : address)).join(',');
        const config: [string, string][] = [
          ['http.followRedirects', 'false'],
          ['http.curloptResolve', `${host}:${port}:${pin}`],
          ['protocol.allow', 'never'],
          ['protocol.http.allow', 'always'],
          ['protocol.https.allow', 'always'],
          ...(authorization ? ([['http.extraHeader', `Authorization: ${authorization}`]] as [string, string][]) : []),
        ];
        const workDir = await mkdtemp(join(tmpdir(), 'stratus-git-repo-'));
        const env = gitEnv(workDir, config);
        try {
          await run(['init', '-q', 'repo'], workDir, env, signal);
          const fetched = await run(['-C', 'repo', 'fetch', '-q', '--depth', '1', '--no-tags', url.toString(), ref], workDir, env, signal);
          if (fetched.code !== 0) throw fetchError(fetched.stderr, name, artifact);
        } catch (error) {
          await rm(workDir, { recursive: true, force: true });
          throw error;
        }
        return archive(workDir, env, subPath, signal, name, artifact);
      },
    };
  },
};

function repoUrl(artifact: Artifact, account: string): URL {
  let url: URL;
  try {
    url = new URL(artifact.reference ?? '');
  } catch {
    throw new ArtifactError(
      400,
      `artifact account ${account}: the reference of ${describeArtifact(artifact)} must be an http(s) git URL (ssh is not supported yet)`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ArtifactError(400, `artifact account ${account}: only http(s) git URLs are supported, got ${url.protocol} in ${describeArtifact(artifact)}`);
  }
  if (url.username || url.password)
    throw new ArtifactError(400, `artifact account ${account}: git URLs must not carry credentials; configure them on the account`);
  return url;
}

function gitEnv(workDir: string, config: readonly [string, string][]): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: workDir,
    GIT_TERMINAL_PROMPT: '0',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_ALLOW_PROTOCOL: 'http:https',
    GIT_CONFIG_COUNT: String(config.length),
  };
  config.forEach(([key, value], index) => {
    env[`GIT_CONFIG_KEY_${index}`] = key;
    env[`GIT_CONFIG_VALUE_${index}`] = value;
  });
  return env;
}

function run(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv, signal: AbortSignal): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', args, { cwd, env, stdio: ['ignore', 'ignore', 'pipe'], signal });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < 4000) stderr += chunk.toString();
    });
    child.on('error', (error) => reject(error.name === 'AbortError' ? error : new ArtifactError(502, `could not run git: ${error.message}`)));
    child.on('close', (code) => resolve({ code: code ?? 1, stderr }));
  });
}

function fetchError(stderr: string, account: string, artifact: Artifact): ArtifactError {
  const what = describeArtifact(artifact);
  const detail = stderr
    .replace(/Authorization: \S+ \S+/gi, 'Authorization: ***')
    .trim()
    .split('\n')
    .slice(-2)
    .join(' ')
    .slice(0, 300);
  if (/couldn't find remote ref|not our ref|no such remote ref|unadvertised object/i.test(stderr)) {
    return new ArtifactError(404, `${what} was not found by artifact account ${account}: ${detail}`);
  }
  if (/\b(401|403)\b|Authentication failed|could not read Username|terminal prompts disabled/i.test(stderr)) {
    return new ArtifactError(502, `the git server refused the credentials of artifact account ${account} fetching ${what}: ${detail}`);
  }
  if (/\b404\b|not found/i.test(stderr)) return new ArtifactError(404, `${what} was not found by artifact account ${account}: ${detail}`);
  return new ArtifactError(502, `git fetch failed for artifact account ${account} fetching ${what}: ${detail}`);
}

/** Streams `git archive --format=tgz FETCH_HEAD [subPath]`; fails before the first byte when git does; removes the clone afterwards. */
async function archive(workDir: string, env: NodeJS.ProcessEnv, subPath: string, signal: AbortSignal, account: string, artifact: Artifact): Promise<Readable> {
  const child = spawn('git', ['-C', 'repo', 'archive', '--format=tgz', 'FETCH_HEAD', ...(subPath ? [subPath] : [])], {
    cwd: workDir,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const onAbort = () => child.kill('SIGKILL');
  signal.addEventListener('abort', onAbort, { once: true });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    if (stderr.length < 4000) stderr += chunk.toString();
  });
  const exited = new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? 1)));
  const cleanup = async () => {
    signal.removeEventListener('abort', onAbort);
    child.kill('SIGKILL');
    await rm(workDir, { recursive: true, force: true });
  };
  const iterator = child.stdout[Symbol.asyncIterator]();
  let first: IteratorResult<Buffer>;
  try {
    first = await iterator.next();
  } catch (error) {
    await cleanup();
    throw error;
  }
  if (first.done) {
    const code = await exited;
    await cleanup();
    const what = describeArtifact(artifact);
    if (/did not match any files|pathspec/i.test(stderr))
      throw new ArtifactError(404, `the sub-path ${subPath} is not in ${what} (artifact account ${account})`);
    throw new ArtifactError(502, `git archive failed (exit ${code}) for artifact account ${account} fetching ${what}: ${stderr.trim().slice(0, 300)}`);
  }
  async function* rest(): AsyncGenerator<Buffer> {
    try {
      yield first.value as Buffer;
      for (;;) {
        const next = await iterator.next();
        if (next.done) break;
        yield next.value;
      }
      const code = await exited;
      if (code !== 0) throw new ArtifactError(502, `git archive failed (exit ${code}) for artifact account ${account}`);
    } finally {
      await cleanup();
    }
  }
  return Readable.from(rest(), { objectMode: false });
}
