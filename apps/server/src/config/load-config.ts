import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { ConfigError } from './config-error.js';
import { OWN_SECTIONS, configSchema, type StratusConfig } from './config-schema.js';

export interface LoadConfigOptions {
  /** The YAML file (`--config` / `STRATUS_CONFIG`); defaults only when absent. */
  readonly path?: string;
  /** Environment for `${VAR}` substitution and `STRATUS__a__b` overrides (default `process.env`). */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

export interface LoadedConfig {
  readonly config: StratusConfig;
  /** The whole document after substitution and overrides (provider blocks included as written). */
  readonly raw: Record<string, unknown>;
  readonly path?: string;
}

/** Env overrides: `STRATUS__server__port=8080`, `STRATUS__kubernetes__enabled=true` (JSON values, else strings). */
export const ENV_OVERRIDE_PREFIX = 'STRATUS__';

/** Map-valued keys whose entries are names, not settings: their keys are never camel-cased. */
const NAME_MAPS = new Set(['security.users']);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const camel = (key: string): string => key.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/**
 * Reads, substitutes, overrides and validates the configuration. Any problem is a
 * {@link ConfigError} whose message names the file and the offending key.
 */
export function loadConfig(options: LoadConfigOptions = {}): LoadedConfig {
  const env = options.env ?? process.env;
  let document: unknown = {};
  if (options.path) {
    let text: string;
    try {
      text = readFileSync(options.path, 'utf8');
    } catch (error) {
      throw new ConfigError(`Cannot read config file ${options.path}: ${(error as Error).message}`);
    }
    try {
      // Spring reads clouddriver.yml with SnakeYAML, a YAML 1.1 parser: `enabled: yes` is a boolean there.
      document = parseYaml(text, { version: '1.1' }) ?? {};
    } catch (error) {
      throw new ConfigError(`Config file ${options.path} is not valid YAML: ${(error as Error).message}`);
    }
    if (!isRecord(document)) throw new ConfigError(`Config file ${options.path} must be a YAML mapping at the top level`);
  }
  const source = options.path ? basename(options.path) : 'defaults';
  const raw = applyEnvOverrides(normalizeKeys(substitute(document, env, '') as Record<string, unknown>), env);
  // LOG_LEVEL wins over the file (but not over an explicit STRATUS__logging__level).
  if (env.LOG_LEVEL && env[`${ENV_OVERRIDE_PREFIX}logging__level`] === undefined) setPath(raw, ['logging', 'level'], env.LOG_LEVEL);
  return { config: parseConfig(raw, source), raw, ...(options.path ? { path: options.path } : {}) };
}

/** Validates a config document; the error names every offending key. */
export function parseConfig(raw: Record<string, unknown>, source = 'config'): StratusConfig {
  const parsed = configSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  throw new ConfigError(`Invalid configuration (${source}): ${formatIssues(parsed.error.issues)}`);
}

export function formatIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues
    .map((issue) => {
      const path = issue.path.reduce<string>((acc, part) => (typeof part === 'number' ? `${acc}[${part}]` : acc ? `${acc}.${String(part)}` : String(part)), '');
      return `${path || '(root)'}: ${issue.message}`;
    })
    .join('; ');
}

/** `${VAR}` and `${VAR:-default}` in string values; a missing variable without default names its key. */
function substitute(value: unknown, env: LoadConfigOptions['env'] & object, path: string): unknown {
  if (typeof value === 'string') {
    return value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g, (_, name: string, fallback: string | undefined) => {
      const found = env[name];
      if (found !== undefined) return found;
      if (fallback !== undefined) return fallback;
      throw new ConfigError(`Invalid configuration: ${path || '(root)'}: environment variable ${name} is not set`);
    });
  }
  if (Array.isArray(value)) return value.map((item, index) => substitute(item, env, `${path}[${index}]`));
  if (isRecord(value)) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, substitute(item, env, path ? `${path}.${key}` : key)]));
  }
  return value;
}

/** Spring's kebab-case spellings (`caching.write-enabled`) become camelCase in Stratus's own sections. */
function normalizeKeys(document: Record<string, unknown>): Record<string, unknown> {
  const own = new Set<string>(OWN_SECTIONS);
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(document)) {
    const name = own.has(camel(key)) ? camel(key) : key;
    result[name] = own.has(name) ? camelDeep(value, name) : value;
  }
  return result;
}

function camelDeep(value: unknown, path: string): unknown {
  if (Array.isArray(value)) return value.map((item) => camelDeep(item, path));
  if (!isRecord(value)) return value;
  if (NAME_MAPS.has(path)) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => {
      const name = camel(key);
      return [name, camelDeep(item, `${path}.${name}`)];
    }),
  );
}

function applyEnvOverrides(document: Record<string, unknown>, env: Readonly<Record<string, string | undefined>>): Record<string, unknown> {
  const overrides = Object.entries(env)
    .filter(([name, value]) => name.startsWith(ENV_OVERRIDE_PREFIX) && value !== undefined)
    .sort(([a], [b]) => a.localeCompare(b));
  for (const [name, value] of overrides) {
    const path = name.slice(ENV_OVERRIDE_PREFIX.length).split('__').filter(Boolean);
    if (path.length === 0) continue;
    let parsed: unknown = value;
    try {
      parsed = JSON.parse(value!);
    } catch {
      // a plain string
    }
    setPath(document, path, parsed);
  }
  return document;
}

function setPath(document: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let current = document;
  for (const part of path.slice(0, -1)) {
    if (!isRecord(current[part])) current[part] = {};
    current = current[part] as Record<string, unknown>;
  }
  current[path[path.length - 1]!] = value;
}
