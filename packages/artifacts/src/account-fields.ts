import type { ArtifactAccountContext } from '@stratus/plugin-api';

/** An optional string field of a raw account; throws naming the field when it is not a string. */
export function optionalString(raw: Record<string, unknown>, field: string): string | undefined {
  const value = raw[field];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw new Error(`${field} must be a string`);
  return value;
}

/** A required string field of a raw account. */
export function requiredString(raw: Record<string, unknown>, field: string): string {
  const value = optionalString(raw, field);
  if (value === undefined) throw new Error(`${field} is required`);
  return value;
}

/** The account name (letters, digits, dot, dash, underscore). */
export function accountName(raw: Record<string, unknown>): string {
  const name = requiredString(raw, 'name');
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) throw new Error('name: letters, digits, dot, dash and underscore, starting with a letter or digit');
  return name;
}

/**
 * Clouddriver's `BasicAuth`: `usernamePasswordFile` (a file holding `user:password`) wins over
 * `username` + `password`. Read once, when the account is parsed.
 */
export function basicAuthHeader(raw: Record<string, unknown>, context: ArtifactAccountContext): string | undefined {
  const file = optionalString(raw, 'usernamePasswordFile');
  const username = optionalString(raw, 'username');
  const password = optionalString(raw, 'password');
  const pair = file ? context.readSecretFile(file) : username !== undefined && password !== undefined ? `${username}:${password}` : undefined;
  return pair === undefined ? undefined : `Basic ${Buffer.from(pair).toString('base64')}`;
}

/** Clouddriver's `TokenAuth`: `tokenFile` wins over `token`. */
export function tokenOf(raw: Record<string, unknown>, context: ArtifactAccountContext): string | undefined {
  const file = optionalString(raw, 'tokenFile');
  return file ? context.readSecretFile(file) : optionalString(raw, 'token');
}
