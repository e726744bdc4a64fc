import { SPI_VERSION, isProviderDefinition, majorVersionOf, type ProviderDefinition } from '@stratus/plugin-api';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, join, resolve as resolvePath } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ProviderLoadError } from './provider-load-error.js';

export interface LoadProviderOptions {
  /**
   * Directories package names are resolved from, in order (e.g. the config file's directory, the
   * working directory, the server package). Relative paths are resolved against the first.
   */
  readonly resolveFrom: readonly string[];
  /** The server's SPI version (default {@link SPI_VERSION}). */
  readonly spiVersion?: string;
}

/**
 * Loads a provider by npm package name (`@stratus/provider-aws`) or by path (`./my-provider.ts`),
 * and checks it is a {@link ProviderDefinition} built against this server's SPI major version.
 * Every failure is a {@link ProviderLoadError} naming the provider and saying what to do.
 */
export async function loadProvider(spec: string, options: LoadProviderOptions): Promise<ProviderDefinition> {
  const location = locate(spec, options.resolveFrom);
  let module: Record<string, unknown>;
  try {
    module = (await import(location)) as Record<string, unknown>;
  } catch (error) {
    throw new ProviderLoadError(spec, `importing ${location} threw: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  const definition = pickDefinition(spec, module);
  checkSpiVersion(spec, definition, options.spiVersion ?? SPI_VERSION);
  return definition;
}

/** Throws unless the provider was built against the same SPI major version as the server. */
export function checkSpiVersion(spec: string, definition: ProviderDefinition, spiVersion: string = SPI_VERSION): void {
  const wanted = majorVersionOf(spiVersion);
  const got = majorVersionOf(definition.apiVersion);
  if (Number.isNaN(got)) {
    throw new ProviderLoadError(spec, `its apiVersion "${definition.apiVersion}" is not a version; set it to SPI_VERSION from @stratus/plugin-api`);
  }
  if (got !== wanted) {
    throw new ProviderLoadError(
      spec,
      `it was built against SPI ${definition.apiVersion} (major ${got}) but this server speaks SPI ${spiVersion} (major ${wanted}); use a provider release built for SPI ${wanted}.x`,
    );
  }
}

function isPathSpec(spec: string): boolean {
  return spec.startsWith('.') || spec.startsWith('/') || spec.startsWith('file:') || isAbsolute(spec);
}

/** The URL to import: a path resolved against the first base, or a package resolved from any base. */
function locate(spec: string, bases: readonly string[]): string {
  if (spec.trim() === '') throw new ProviderLoadError('(empty name)', 'the providers list contains an empty entry');
  if (spec.startsWith('file:')) return spec;
  if (isPathSpec(spec)) return pathToFileURL(resolvePath(bases[0] ?? process.cwd(), spec)).href;
  const tried: string[] = [];
  for (const base of bases) {
    const require = createRequire(join(base, 'noop.js'));
    try {
      // `require.resolve` honours the package's `exports` ("default" condition), like import would.
      return pathToFileURL(require.resolve(spec)).href;
    } catch (error) {
      const manifest = tryResolve(require, `${spec}/package.json`);
      if (manifest) {
        const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
        throw new ProviderLoadError(spec, `the package is installed (${dirname(manifest)}) but its entry point cannot be resolved: ${reason}`);
      }
      tried.push(base);
    }
  }
  throw new ProviderLoadError(spec, `the package is not installed (looked from ${tried.join(', ') || 'nowhere'}); add it as a dependency of the server`);
}

function tryResolve(require: NodeJS.Require, request: string): string | undefined {
  try {
    return require.resolve(request);
  } catch {
    return undefined;
  }
}

/** The default export, else a named `provider` export, else the only named export that is a definition. */
function pickDefinition(spec: string, module: Record<string, unknown>): ProviderDefinition {
  const candidates = [module.default, module.provider, (module.default as Record<string, unknown> | undefined)?.default];
  for (const candidate of candidates) if (isProviderDefinition(candidate)) return candidate;
  const named = Object.values(module).filter(isProviderDefinition);
  if (named.length === 1) return named[0]!;
  if (named.length > 1) {
    throw new ProviderLoadError(spec, 'it exports several ProviderDefinitions; make the one to load the default export');
  }
  throw new ProviderLoadError(
    spec,
    'it does not export a ProviderDefinition (expected `export default defineProvider({ id, apiVersion, version, register })`)',
  );
}
