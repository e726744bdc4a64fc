import type { AccountPermissions } from './account-credentials.js';
import type { Artifact, ArtifactContent } from './artifact.js';
import type { Logger } from './logger.js';

/**
 * One configured artifact account (Clouddriver's `ArtifactCredentials`): the artifact types it
 * fetches and how. `GET /artifacts/credentials` shows its `name`, `types` and its type's
 * `credentialsType`; nothing else of it is ever sent to a client.
 */
export interface ArtifactAccount {
  /** The account name, unique among artifact accounts. */
  readonly name: string;
  /** The artifact types it handles, e.g. `['http/file']`. */
  readonly types: readonly string[];
  /** Who may see and use the account (like cloud accounts); an account without permissions is open to everyone. */
  readonly permissions?: AccountPermissions;
  /** Whether it handles `type`; defaults to `types.includes(type)` (the embedded account also takes `embedded/*`). */
  handlesType?(type: string): boolean;
  /**
   * Downloads the artifact. Resolve only once the upstream answered successfully, so failures become
   * an {@link ArtifactError} before any byte is sent; the server streams the content and enforces
   * the size cap. Stop when `signal` aborts (the client went away or the cap was hit).
   */
  download(artifact: Artifact, signal: AbortSignal): Promise<ArtifactContent>;
  /** Artifact names for Deck's pickers (`GET /artifacts/account/{name}/names`); omit when unsupported. */
  listNames?(signal: AbortSignal): Promise<string[]>;
  /** Versions of one artifact (`GET /artifacts/account/{name}/versions`); omit when unsupported. */
  listVersions?(artifactName: string, signal: AbortSignal): Promise<string[]>;
  /** Releases clients the account holds when it is removed. */
  dispose?(): void | Promise<void>;
}

/** A GET through the operator's network policy (see {@link ArtifactAccountContext.fetch}). */
export interface ArtifactFetchInit {
  /** Request headers (credentials included; they are dropped on a redirect to another origin). */
  readonly headers?: Readonly<Record<string, string>>;
  /** Aborts the request and the body. */
  readonly signal?: AbortSignal;
}

/** What the server gives an artifact account type while it parses accounts. */
export interface ArtifactAccountContext {
  /** The server's logger, bound to the account type. */
  readonly logger: Logger;
  /**
   * An HTTP(S) GET through the operator's network policy: the host must be allowed
   * (`artifacts.network`), every address it resolves to is checked at connect time, redirects are
   * followed only to allowed hosts, and the request times out. A refused address throws an
   * {@link ArtifactError} (403); any upstream status is returned as is.
   */
  fetch(url: string | URL, init?: ArtifactFetchInit): Promise<Response>;
  /**
   * Checks a URL against the same policy and returns the addresses its host may be reached at, for
   * clients that do not go through {@link fetch} (a git binary); throws an {@link ArtifactError} (403)
   * when the URL is not allowed.
   */
  checkUrl(url: string | URL): Promise<readonly string[]>;
  /** Reads a secret file named in config (Clouddriver's `tokenFile`, `usernamePasswordFile`), newlines removed. */
  readSecretFile(path: string): string;
}

/**
 * An artifact account type (Clouddriver's `*ArtifactConfiguration`): accounts come from
 * `artifacts.<configKey>.accounts[]` when `artifacts.<configKey>.enabled` is true. Providers and
 * other packages contribute types with `ProviderContext.registerArtifactAccountType` (since SPI 1.2).
 */
export interface ArtifactAccountTypeDefinition {
  /** The key under `artifacts:`, e.g. `http`, `s3`, `gitRepo`. */
  readonly configKey: string;
  /** Clouddriver's credentials type, shown as `type` by `/artifacts/credentials`, e.g. `artifacts-http`. */
  readonly credentialsType: string;
  /**
   * Accounts that exist without being configured: always (the embedded account) or when the type
   * is enabled (Clouddriver's `no-auth-http-account` when no http account uses auth).
   */
  defaultAccounts?(configured: readonly Record<string, unknown>[], enabled: boolean): Record<string, unknown>[];
  /** Validates one raw account (an element of `accounts[]`); throw an `Error` naming the bad field. */
  parse(raw: Record<string, unknown>, context: ArtifactAccountContext): ArtifactAccount;
}
