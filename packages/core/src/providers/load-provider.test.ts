import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadProvider } from './load-provider.js';
import { ProviderLoadError } from './provider-load-error.js';

const dir = mkdtempSync(join(tmpdir(), 'stratus-load-provider-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, source: string): string {
  writeFileSync(join(dir, name), source);
  return `./${name}`;
}

function pkg(name: string, source: string): void {
  const root = join(dir, 'node_modules', ...name.split('/'));
  mkdirSync(root, { recursive: true });
  writeFileSync(join(root, 'package.json'), JSON.stringify({ name, type: 'module', exports: { '.': { default: './main.js' } } }));
  writeFileSync(join(root, 'main.js'), source);
}

const definition = (apiVersion: string, id = 'fake') => `export default { id: '${id}', apiVersion: '${apiVersion}', version: '0.0.1', register() {} };`;

async function failure(spec: string): Promise<ProviderLoadError> {
  const error = await loadProvider(spec, { resolveFrom: [dir] }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ProviderLoadError);
  return error as ProviderLoadError;
}

describe('loadProvider', () => {
  it('loads a provider by path and by package name (honouring package exports)', async () => {
    const byPath = await loadProvider(file('good.mjs', definition('1.2.0', 'by-path')), { resolveFrom: [dir] });
    expect(byPath.id).toBe('by-path');
    pkg('@acme/stratus-provider-fake', definition('1.0.0', 'by-package'));
    const byPackage = await loadProvider('@acme/stratus-provider-fake', { resolveFrom: ['/nonexistent-base', dir] });
    expect(byPackage.id).toBe('by-package');
  });

  it('accepts a single named ProviderDefinition export', async () => {
    const spec = file('named.mjs', `export const myProvider = { id: 'named', apiVersion: '1.0.0', version: '1', register() {} }; export const other = 3;`);
    expect((await loadProvider(spec, { resolveFrom: [dir] })).id).toBe('named');
  });

  it('refuses another SPI major version, naming the provider and both versions', async () => {
    const error = await failure(file('old.mjs', definition('0.9.0', 'old')));
    expect(error.message).toContain('Provider ./old.mjs failed to load');
    expect(error.message).toContain('SPI 0.9.0');
    expect(error.message).toMatch(/server speaks SPI 1\.\d+\.\d+/);
  });

  it('names a package that is not installed, one that exports no definition, and one that throws on import', async () => {
    expect((await failure('@stratus/provider-nowhere')).message).toMatch(/Provider @stratus\/provider-nowhere failed to load: the package is not installed/);
    pkg('empty-provider', 'export const nothing = 1;');
    expect((await failure('empty-provider')).message).toContain('Provider empty-provider failed to load: it does not export a ProviderDefinition');
    pkg('broken-provider', "throw new Error('boom at import');");
    expect((await failure('broken-provider')).message).toMatch(/Provider broken-provider failed to load: importing .* threw: boom at import/);
    expect((await failure(file('bad-version.mjs', definition('latest')))).message).toContain('is not a version');
    const unbuilt = join(dir, 'node_modules', 'unbuilt-provider');
    mkdirSync(unbuilt, { recursive: true });
    writeFileSync(
      join(unbuilt, 'package.json'),
      JSON.stringify({ name: 'unbuilt-provider', exports: { '.': './src/index.ts', './package.json': './package.json' } }),
    );
    expect((await failure('unbuilt-provider')).message).toMatch(
      /^Provider unbuilt-provider failed to load: the package is installed \(.*\) but its entry point cannot be resolved/,
    );
  });
});
