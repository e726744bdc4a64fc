import type { AccountCredentials, AccountPermissions } from '@stratus/plugin-api';
import { DOCKER_REGISTRY } from '../keys.js';
import { PasswordSource } from './password-source.js';

/**
 * One configured registry (an element of `dockerRegistry.accounts[]`), with Clouddriver's keys.
 * Plain fields show in `/credentials?expand=true` (Igor reads `trackDigests`, Deck `registry`);
 * the user name and password live in `auth`, a class instance the credentials view leaves out.
 */
export interface DockerRegistryAccount extends AccountCredentials {
  readonly cloudProvider: typeof DOCKER_REGISTRY;
  /** The registry's base URL without a trailing `/` or `/v2`, e.g. `https://index.docker.io`. */
  readonly address: string;
  /** `address` without its scheme: what image references start with (`index.docker.io`, `127.0.0.1:5000`). */
  readonly registry: string;
  readonly email?: string;
  /** The repositories to cache; when absent they come from `/v2/_catalog` on every run. */
  readonly repositories?: readonly string[];
  /** Only catalog repositories matching this regular expression (whole name) are cached. */
  readonly repositoriesRegex?: string;
  /** Repositories never cached. */
  readonly skip: readonly string[];
  readonly cacheThreads: number;
  readonly cacheIntervalSeconds: number;
  readonly clientTimeoutMillis: number;
  readonly paginateSize: number;
  readonly trackDigests: boolean;
  readonly inspectDigests: boolean;
  readonly sortTagsByDate: boolean;
  readonly insecureRegistry: boolean;
  /** How requests authenticate; never shown by `/credentials`. */
  readonly auth: PasswordSource;
}

/** What account parsing needs from the provider's own block and the server (never from an account definition). */
export interface AccountParseOptions {
  /** Whether `passwordCommand` may run (`dockerRegistry.allowPasswordCommand`, off by default). */
  readonly allowPasswordCommand?: boolean;
  /**
   * Where the definition came from. A `storage` definition was written by an API caller, who must
   * not make the server read a file (`passwordFile`) or run a command (`passwordCommand`).
   */
  readonly origin?: 'config' | 'storage';
}

const DOCKER_HUB_HOSTS = new Set(['index.docker.io', 'docker.io', 'registry-1.docker.io', 'registry.hub.docker.com']);
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
/** Docker's repository name grammar: lower-case path components separated by `/`. */
const REPOSITORY = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;

const optionalString = (raw: Record<string, unknown>, field: string): string | undefined => {
  const value = raw[field];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw new Error(`${field} must be a string`);
  return value;
};

const flag = (raw: Record<string, unknown>, field: string): boolean => {
  const value = raw[field];
  if (value === undefined || value === null) return false;
  if (typeof value !== 'boolean') throw new Error(`${field} must be true or false`);
  return value;
};

/** A positive integer, or the fallback when absent or 0 (Clouddriver treats 0 as "use the default"). */
const positiveInt = (raw: Record<string, unknown>, field: string, fallback: number): number => {
  const value = raw[field];
  if (value === undefined || value === null || value === 0) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) throw new Error(`${field} must be a positive integer`);
  return value;
};

const stringList = (raw: Record<string, unknown>, field: string): string[] | undefined => {
  const value = raw[field];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string' && item !== '')) throw new Error(`${field} must be a list of names`);
  return value as string[];
};

/** `https://host/v2/` → `https://host`; a bare host gets `https://`. */
function normalizeAddress(address: string): string {
  let url = /^[a-z][a-z0-9+.-]*:\/\//i.test(address) ? address : `https://${address}`;
  url = url.replace(/\/+$/, '').replace(/\/v2$/, '');
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error('address must be an http(s) URL or a host name');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error('address must be an http(s) URL or a host name');
  // Credentials in the URL would show in /credentials and logs.
  if (parsed.username || parsed.password) throw new Error('address must not contain credentials: use username and password');
  if (parsed.search || parsed.hash) throw new Error('address must not have a query or fragment');
  return url;
}

/**
 * Validates one raw account. Every error names the field, so the server reports
 * "account my-registry: repositoriesRegex …" instead of failing later.
 */
// eslint-disable-next-line max-lines-per-function -- one check per field of Clouddriver's docker registry account config, in the order the docs list them
export function parseDockerRegistryAccount(
  input: Record<string, unknown>,
  defaults: Record<string, unknown> = {},
  options: AccountParseOptions = {},
): DockerRegistryAccount {
  const raw = { ...defaults, ...input };
  const name = raw.name;
  if (typeof name !== 'string' || !NAME.test(name)) throw new Error('name must be letters, digits, dot, dash and underscore');
  const rawAddress = optionalString(raw, 'address');
  if (!rawAddress) throw new Error('address is required (the registry URL, e.g. https://index.docker.io)');
  const address = normalizeAddress(rawAddress);
  const registry = address.replace(/^https?:\/\//, '');

  const repositories = stringList(raw, 'repositories');
  for (const repository of repositories ?? []) {
    if (!REPOSITORY.test(repository)) throw new Error(`repositories: ${JSON.stringify(repository)} is not a repository name (lower-case path components)`);
  }
  const repositoriesRegex = optionalString(raw, 'repositoriesRegex');
  if (repositoriesRegex && repositories?.length) throw new Error('repositoriesRegex may not be specified together with repositories');
  if (repositoriesRegex) {
    try {
      new RegExp(repositoriesRegex);
    } catch (error) {
      throw new Error(`repositoriesRegex is not a regular expression: ${(error as Error).message}`, { cause: error });
    }
  }
  // Docker Hub serves no catalog: without a list there is nothing to cache.
  if (!repositories?.length && DOCKER_HUB_HOSTS.has(new URL(address).hostname)) {
    throw new Error('repositories is required for Docker Hub (it has no /v2/_catalog), e.g. [library/nginx, myorg/app]');
  }
  if (optionalString(raw, 'catalogFile')) throw new Error('catalogFile is not supported; list repositories, or use repositoriesRegex over the catalog');
  if (optionalString(raw, 'dockerconfigFile'))
    throw new Error('dockerconfigFile is not supported; set username with password, passwordFile or passwordCommand');

  const username = optionalString(raw, 'username');
  const password = optionalString(raw, 'password');
  const passwordFile = optionalString(raw, 'passwordFile');
  const passwordCommand = optionalString(raw, 'passwordCommand');
  if ([password, passwordFile, passwordCommand].filter((value) => value !== undefined).length > 1) {
    throw new Error('at most one of password, passwordFile and passwordCommand may be set');
  }
  if (options.origin === 'storage' && (passwordFile || passwordCommand)) {
    throw new Error(
      `${passwordFile ? 'passwordFile' : 'passwordCommand'} is only allowed for accounts in the config file; an account stored through /credentials must give password`,
    );
  }
  if (passwordCommand && !options.allowPasswordCommand) {
    throw new Error('passwordCommand is disabled: the operator must set dockerRegistry.allowPasswordCommand: true in the config file');
  }
  if ((password || passwordFile || passwordCommand) && !username) throw new Error('username is required with a password');

  const permissions = raw.permissions;
  if (permissions !== undefined && (typeof permissions !== 'object' || permissions === null || Array.isArray(permissions))) {
    throw new Error('permissions must be a map of READ/WRITE role lists');
  }
  const requiredGroupMembership = stringList(raw, 'requiredGroupMembership');
  const environment = optionalString(raw, 'environment');
  const accountType = optionalString(raw, 'accountType');
  const email = optionalString(raw, 'email');

  return {
    name,
    cloudProvider: DOCKER_REGISTRY,
    type: DOCKER_REGISTRY,
    accountType: accountType ?? name,
    environment: environment ?? name,
    address,
    registry,
    ...(email ? { email } : {}),
    ...(repositories?.length ? { repositories } : {}),
    ...(repositoriesRegex ? { repositoriesRegex } : {}),
    skip: stringList(raw, 'skip') ?? [],
    cacheThreads: positiveInt(raw, 'cacheThreads', 1),
    cacheIntervalSeconds: positiveInt(raw, 'cacheIntervalSeconds', 30),
    clientTimeoutMillis: positiveInt(raw, 'clientTimeoutMillis', 60_000),
    paginateSize: positiveInt(raw, 'paginateSize', 100),
    trackDigests: flag(raw, 'trackDigests'),
    inspectDigests: flag(raw, 'inspectDigests'),
    sortTagsByDate: flag(raw, 'sortTagsByDate'),
    insecureRegistry: flag(raw, 'insecureRegistry'),
    ...(permissions ? { permissions: permissions as AccountPermissions } : {}),
    ...(requiredGroupMembership ? { requiredGroupMembership } : {}),
    auth: new PasswordSource({
      ...(username ? { username } : {}),
      ...(password ? { password } : {}),
      ...(passwordFile ? { passwordFile } : {}),
      ...(passwordCommand ? { passwordCommand } : {}),
    }),
  };
}
