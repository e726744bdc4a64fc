import {
  ArtifactAccountRepository,
  ArtifactDownloader,
  ArtifactStore,
  artifactSettings,
  canReadArtifactAccount,
  type ArtifactAccountProblem,
  type RegisteredArtifactAccount,
} from '@stratus/artifacts';
import type { CallerAccess } from '@stratus/core';
import { createToken, type ArtifactAccountTypeDefinition, type Logger, type ProviderCache } from '@stratus/plugin-api';
import { CacheStoredArtifactBackend } from './cache-stored-artifact-backend.js';

export interface ArtifactServiceOptions {
  /** Built-in types first, then those providers registered. */
  readonly types: readonly ArtifactAccountTypeDefinition[];
  /** The `artifacts:` block as written. */
  readonly block: Record<string, unknown>;
  readonly cache: ProviderCache;
  /** `security.adminRoles`, read on every request (reloads change it). */
  readonly adminRoles: () => readonly string[];
  readonly logger: Logger;
}

/**
 * What the artifact endpoints need: the accounts, the downloader and the store, with the caller's
 * READ permission on artifact accounts (same rules as cloud accounts).
 */
export class ArtifactService {
  readonly accounts: ArtifactAccountRepository;
  readonly store: ArtifactStore;
  readonly downloader: ArtifactDownloader;

  private constructor(private readonly options: ArtifactServiceOptions) {
    const settings = artifactSettings(options.block);
    this.accounts = new ArtifactAccountRepository(options.types, settings, options.logger);
    this.store = new ArtifactStore(new CacheStoredArtifactBackend(options.cache));
    this.downloader = new ArtifactDownloader(this.accounts, this.store, settings.maxDownloadBytes);
  }

  static async create(options: ArtifactServiceOptions): Promise<ArtifactService> {
    const service = new ArtifactService(options);
    await service.reload(options.block);
    return service;
  }

  /** Re-reads the accounts (config reload); download limits and the network policy need a restart. */
  reload(block: Record<string, unknown>): Promise<readonly ArtifactAccountProblem[]> {
    return this.accounts.load(block);
  }

  /** The caller is resolved once per request (trusted identity, static roles or Fiat; see http/caller-access-middleware). */
  private canRead(caller: CallerAccess): (account: RegisteredArtifactAccount) => boolean {
    return (entry) => caller.admin === true || canReadArtifactAccount(entry, caller.roles, this.options.adminRoles());
  }

  /** Accounts the caller may read. */
  readable(caller: CallerAccess): RegisteredArtifactAccount[] {
    return this.accounts.all().filter(this.canRead(caller));
  }

  /** Whether the caller may use the account named `name`. */
  canUseAccount(caller: CallerAccess): (name: string) => boolean {
    const readable = this.canRead(caller);
    return (name) => this.accounts.all().some((entry) => entry.account.name === name && readable(entry));
  }

  close(): Promise<void> {
    return this.accounts.close();
  }
}

/** The server's {@link ArtifactService}. */
export const ARTIFACT_SERVICE = createToken<ArtifactService>('server.artifact-service');
