import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { publint } from 'publint';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withBuildLock } from './build-lock.js';

/**
 * Release hygiene for every workspace package, on what users get: each package is built and packed
 * with `pnpm pack` (which applies `publishConfig`, so `exports` point at `dist`), and publint runs on
 * the tarball. Also checks the manifest fields every published package must have.
 */
const root = fileURLToPath(new URL('../../../', import.meta.url));
const run = promisify(execFile);

function workspacePackages(): { dir: string; name: string }[] {
  const dirs = ['packages', 'providers', 'apps', 'examples'].flatMap((group) =>
    existsSync(join(root, group)) ? readdirSync(join(root, group)).map((name) => join(root, group, name)) : [],
  );
  return dirs
    .filter((dir) => existsSync(join(dir, 'package.json')))
    .map((dir) => ({ dir, manifest: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) }))
    .filter(({ manifest }) => manifest.private !== true)
    .map(({ dir, manifest }) => ({ dir, name: manifest.name as string }));
}

const packages = workspacePackages();
const tarballs = new Map<string, string>();
let work = '';

async function unpackedManifest(tarball: string): Promise<Record<string, any>> {
  const { stdout } = await run('tar', ['-xzOf', tarball, 'package/package.json'], { maxBuffer: 10_000_000 });
  return JSON.parse(stdout);
}

describe('published packages', () => {
  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'stratus-publint-'));
    await withBuildLock(async () => {
      // Build only packages without a build: compiling the whole workspace takes a minute on a busy
      // machine, and an older dist checks the manifest and file layout just as well. A package that
      // fails to compile shows up below as publint errors about missing files.
      const unbuilt = packages.filter((p) => !existsSync(join(p.dir, 'dist', 'index.js')));
      if (unbuilt.length > 0) {
        try {
          execFileSync('pnpm', ['exec', 'tsc', '-b', ...unbuilt.map((p) => p.dir)], { cwd: root, stdio: 'pipe' });
        } catch {
          // reported through publint's missing-file errors
        }
      }
      // Two packs at a time: each is a pnpm process.
      const queue = [...packages];
      const worker = async () => {
        for (let next = queue.shift(); next; next = queue.shift()) {
          const dest = join(work, next.name.replace(/[@/]/g, '_'));
          mkdirSync(dest);
          await run('pnpm', ['pack', '--pack-destination', dest], { cwd: next.dir });
          tarballs.set(
            next.name,
            join(
              dest,
              readdirSync(dest).find((file) => file.endsWith('.tgz'))!,
            ),
          );
        }
      };
      await Promise.all([worker(), worker()]);
    });
  }, 300_000);

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('finds the workspace packages', () => {
    expect(packages.map((p) => p.name)).toEqual(
      expect.arrayContaining(['@stratus/plugin-api', '@stratus/core', '@stratus/testing', '@acme/stratus-provider-example']),
    );
  });

  for (const { name } of packages) {
    it(`${name}: publint finds no errors in the packed tarball`, async () => {
      const tarball = readFileSync(tarballs.get(name)!);
      const { messages, pkg } = await publint({
        pack: { tarball: tarball.buffer.slice(tarball.byteOffset, tarball.byteOffset + tarball.byteLength) },
        level: 'error',
      });
      expect(pkg?.name).toBe(name);
      expect(messages.map((m) => `${m.code} at ${m.path.join('.')}: ${JSON.stringify(m.args)}`)).toEqual([]);
    });

    it(`${name}: ships exports, types, files, engines, a README and a CHANGELOG, pointing at dist`, async () => {
      const manifest = await unpackedManifest(tarballs.get(name)!);
      expect(manifest.exports?.['.'], 'exports["."]').toBeDefined();
      expect(JSON.stringify(manifest.exports), 'exports point at dist after pack').not.toMatch(/\.\/src\//);
      expect(manifest.types, 'types').toMatch(/^\.\/dist\/.*\.d\.ts$/);
      expect(Array.isArray(manifest.files), 'files').toBe(true);
      expect(manifest.engines?.node, 'engines.node').toBeDefined();
      const { stdout } = await run('tar', ['-tzf', tarballs.get(name)!], { maxBuffer: 50_000_000 });
      const files = stdout.split('\n');
      expect(files, 'README.md').toContain('package/README.md');
      expect(files, 'CHANGELOG.md').toContain('package/CHANGELOG.md');
      expect(
        files.some((file) => /\.test\.(ts|js)$/.test(file)),
        'no test files',
      ).toBe(false);
    });
  }
});
