import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withBuildLock } from './build-lock.js';
import { FakeNimbusApi } from './fake-nimbus-api.js';

/**
 * The CI path a third-party provider takes: build with tsc, `pnpm pack` the SPI, the provider kit and
 * the provider, install the tarballs into an empty folder (no registry: the tarballs are unpacked into its
 * `node_modules`, as npm would), and start the real server process with a config in that folder that
 * lists the provider by package name. The server resolves the name relative to the config file, so
 * what runs is the packed `dist`, importing the packed `@stratus/plugin-api`, not the workspace sources.
 */
const root = fileURLToPath(new URL('../../../', import.meta.url));
const exampleDir = join(root, 'examples', 'provider-example');
const apiDir = join(root, 'packages', 'plugin-api');
const kitDir = join(root, 'packages', 'provider-kit');
const serverBin = join(root, 'apps', 'server', 'bin', 'stratus.js');
const ACCOUNT = 'nimbus-packed';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function eventually<T>(probe: () => Promise<T | false | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`condition not met within ${timeoutMs} ms${last ? `: ${String(last)}` : ''}`);
}

/** `pnpm pack` into `dest`; returns the tarball path. */
function pack(dir: string, dest: string): string {
  const before = new Set(readdirSync(dest));
  execFileSync('pnpm', ['pack', '--pack-destination', dest], { cwd: dir, stdio: 'pipe' });
  const tarball = readdirSync(dest).find((name) => name.endsWith('.tgz') && !before.has(name));
  if (!tarball) throw new Error(`pnpm pack in ${dir} produced no tarball`);
  return join(dest, tarball);
}

/** Unpacks an npm tarball (its `package/` folder) into `node_modules/<name>`, as `npm install <tarball>` would place it. */
function install(tarball: string, app: string, name: string): string {
  const target = join(app, 'node_modules', ...name.split('/'));
  mkdirSync(target, { recursive: true });
  execFileSync('tar', ['-xzf', tarball, '-C', target, '--strip-components=1']);
  return target;
}

describe('the example provider, packed and installed like a user would', () => {
  let api: FakeNimbusApi;
  let work = '';
  let app = '';
  let child: ChildProcess | undefined;
  let base = '';
  const output: string[] = [];

  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    let parsed: any = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON
    }
    return { status: response.status, body: parsed };
  };

  beforeAll(async () => {
    api = await FakeNimbusApi.start();
    api.seed({ name: 'shop-web-v001', region: 'north-1', desired: 2, max: 6 });
    work = mkdtempSync(join(tmpdir(), 'stratus-packed-'));
    app = join(work, 'app');
    mkdirSync(app);

    const tarballs = join(work, 'tarballs');
    mkdirSync(tarballs);
    const [apiTarball, kitTarball, exampleTarball] = await withBuildLock(() => {
      execFileSync('pnpm', ['exec', 'tsc', '-b', apiDir, kitDir, exampleDir], { cwd: root, stdio: 'pipe' });
      return [pack(apiDir, tarballs), pack(kitDir, tarballs), pack(exampleDir, tarballs)];
    });
    install(apiTarball, app, '@stratus/plugin-api');
    install(kitTarball, app, '@stratus/provider-kit');
    install(exampleTarball, app, '@acme/stratus-provider-example');
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'my-stratus', private: true, type: 'module' }));

    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    const account = { name: ACCOUNT, endpoint: api.url, token: api.token, regions: ['north-1'], cacheIntervalSeconds: 2 };
    writeFileSync(
      join(app, 'stratus.yml'),
      [
        `server: {port: ${port}, address: 127.0.0.1}`,
        'logging: {level: warn}',
        "providers: ['@acme/stratus-provider-example']",
        'nimbus:',
        '  accounts:',
        `    - ${JSON.stringify(account)}`,
        '',
      ].join('\n'),
    );
    const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('STRATUS') && name !== 'INIT_CWD' && name !== 'LOG_LEVEL'));
    child = spawn(process.execPath, [serverBin, '--config', join(app, 'stratus.yml')], { cwd: app, env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    try {
      await eventually(async () => child!.exitCode === null && (await call('GET', '/health/readiness')).status === 200, 45_000);
    } catch (error) {
      throw new Error(`server did not become ready: ${String(error)}\n${output.join('').slice(-3000)}`, { cause: error });
    }
  }, 180_000);

  afterAll(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child!.once('exit', resolve));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    await api?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  }, 30_000);

  it('packs what users need: dist with types, exports rewritten to dist, no sources or tests', () => {
    for (const name of ['@stratus/plugin-api', '@stratus/provider-kit', '@acme/stratus-provider-example']) {
      const dir = join(app, 'node_modules', ...name.split('/'));
      const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
      expect(manifest.exports['.']).toEqual({ types: './dist/index.d.ts', default: './dist/index.js' });
      expect(existsSync(join(dir, 'dist', 'index.js')), `${name} dist/index.js`).toBe(true);
      expect(existsSync(join(dir, 'dist', 'index.d.ts')), `${name} dist/index.d.ts`).toBe(true);
      expect(existsSync(join(dir, 'README.md')), `${name} README.md`).toBe(true);
    }
    const example = join(app, 'node_modules', '@acme', 'stratus-provider-example');
    const manifest = JSON.parse(readFileSync(join(example, 'package.json'), 'utf8'));
    expect(manifest.peerDependencies).toEqual({ '@stratus/plugin-api': '^0.1.0' });
    expect(existsSync(join(example, 'src')), 'sources are not shipped').toBe(false);
    expect(existsSync(join(example, 'test')), 'tests are not shipped').toBe(false);
  });

  it('loads the provider by package name and serves its accounts without the token', async () => {
    const credentials = await call('GET', '/credentials?expand=true');
    expect(credentials.status).toBe(200);
    const account = credentials.body.find((a: { name: string }) => a.name === ACCOUNT);
    expect(account).toMatchObject({ name: ACCOUNT, cloudProvider: 'nimbus', type: 'nimbus' });
    expect(JSON.stringify(account)).not.toContain(api.token);
  });

  it('caches the fake cloud and serves it through the read API', async () => {
    const groups = await eventually(async () => {
      const answer = await call('GET', '/applications/shop/serverGroups');
      return answer.status === 200 && answer.body.length === 1 && answer.body;
    });
    expect(groups[0]).toMatchObject({ name: 'shop-web-v001', account: ACCOUNT, region: 'north-1', cloudProvider: 'nimbus', capacity: { desired: 2 } });
    const cluster = await call('GET', `/applications/shop/clusters/${ACCOUNT}/shop-web/nimbus`);
    expect(cluster.status).toBe(200);
    expect(cluster.body.serverGroups.map((g: { name: string }) => g.name)).toEqual(['shop-web-v001']);
    const instanceName = groups[0].instances[0].name;
    const instance = await call('GET', `/instances/${ACCOUNT}/north-1/${instanceName}`);
    expect(instance.body).toMatchObject({ name: instanceName, healthState: 'Up', cloudProvider: 'nimbus' });
  });

  it('runs operations through POST /nimbus/ops and refuses bad ones naming the field', async () => {
    const bad = await call('POST', '/nimbus/ops', [
      { resizeServerGroup: { credentials: ACCOUNT, region: 'north-1', capacity: { min: 1, max: 3, desired: 2 } } },
    ]);
    expect(bad.status).toBe(400);
    expect(bad.body.errors.join('\n')).toContain('serverGroupName');

    const posted = await call('POST', '/nimbus/ops', [
      { resizeServerGroup: { credentials: ACCOUNT, region: 'north-1', serverGroupName: 'shop-web-v001', capacity: { min: 1, max: 6, desired: 4 } } },
    ]);
    expect(posted.status).toBe(200);
    const task = await eventually(async () => {
      const answer = await call('GET', `/task/${posted.body.id}`);
      return answer.body?.status?.completed && answer.body;
    });
    expect(task.status).toMatchObject({ completed: true, failed: false });
    expect(api.group('north-1', 'shop-web-v001')).toMatchObject({ desired: 4 });

    // An on-demand refresh makes the new size visible before the next scheduled run.
    const refreshed = await call('POST', '/cache/nimbus/serverGroup', { account: ACCOUNT, region: 'north-1', serverGroupName: 'shop-web-v001' });
    expect([200, 202]).toContain(refreshed.status);
    const group = await eventually(async () => {
      const answer = await call('GET', `/serverGroups/${ACCOUNT}/north-1/shop-web-v001?cloudProvider=nimbus`);
      return answer.status === 200 && answer.body.instances.length === 4 && answer.body;
    });
    expect(group.capacity).toEqual({ min: 1, max: 6, desired: 4 });
  });

  it('refuses a provider built for another SPI major version, naming it and both versions', async () => {
    // What an operator sees after installing a provider release built for an older server.
    writeFileSync(join(app, 'old-provider.mjs'), "export default { id: 'old', apiVersion: '0.9.0', version: '3.0.0', register() {} };\n");
    writeFileSync(
      join(app, 'old.yml'),
      [`server: {port: ${await freePort()}, address: 127.0.0.1}`, 'logging: {level: warn}', "providers: ['./old-provider.mjs']", ''].join('\n'),
    );
    const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('STRATUS') && name !== 'INIT_CWD' && name !== 'LOG_LEVEL'));
    const old = spawn(process.execPath, [serverBin, '--config', join(app, 'old.yml')], { cwd: app, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    old.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => {
        old.kill('SIGKILL');
        resolve(null);
      }, 30_000);
      old.once('exit', (exitCode) => {
        clearTimeout(timer);
        resolve(exitCode);
      });
    });
    expect(code).toBe(1);
    expect(stderr).toMatch(/stratus: Provider \.\/old-provider\.mjs failed to load: it was built against SPI 0\.9\.0 .*server speaks SPI \d+\.\d+\.\d+/);
  }, 40_000);
});
