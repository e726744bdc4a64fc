import { ComputeManagementClient } from '@azure/arm-compute';
import { NetworkManagementClient } from '@azure/arm-network';
import { ClientSecretCredential } from '@azure/identity';
import type { AzureAccount } from './azure-account.js';

/** What the SDK clients need to get a bearer token (`TokenCredential` of `@azure/core-auth`). */
export interface AzureTokenCredential {
  getToken(scopes: string | string[], options?: unknown): Promise<{ token: string; expiresOnTimestamp: number } | null>;
}

/** A credential that always answers the same token (never contacts an identity endpoint). */
export function staticTokenCredential(token: string): AzureTokenCredential {
  return { getToken: async () => ({ token, expiresOnTimestamp: Date.now() + 3600_000 }) };
}

export interface AzureClientOptions {
  /** Supplies the credential of an account (tests: a stub); otherwise `accessToken`, else a `ClientSecretCredential`. */
  readonly credential?: (account: AzureAccount) => AzureTokenCredential | undefined;
  /** Extra CA certificate(s) to trust (PEM), e.g. a fake's self-signed certificate. */
  readonly ca?: string;
  /** Retries of a failed request (SDK default 3). Tests use 0. */
  readonly maxRetries?: number;
  /**
   * Poll interval of long-running operations (ms). The SDK's default (or the `Retry-After` the cloud
   * sends) when absent; tests use a few ms against a fake.
   */
  readonly pollIntervalMs?: number;
}

/** The SDK clients of one account. */
export interface AzureAccountClients {
  readonly subscriptionId: string;
  readonly compute: ComputeManagementClient;
  readonly network: NetworkManagementClient;
  /** Options for every `begin*` call (the poll interval). */
  readonly pollOptions: { updateIntervalInMs?: number };
}

/**
 * Builds and caches the SDK clients of each account. Keyed by the account object: a changed account
 * (new endpoint or secret) gets new clients even while the old one is still being disposed.
 */
export class AzureClientFactory {
  private readonly clients = new WeakMap<AzureAccount, AzureAccountClients>();

  constructor(readonly options: AzureClientOptions = {}) {}

  forAccount(account: AzureAccount): AzureAccountClients {
    const existing = this.clients.get(account);
    if (existing) return existing;
    const credential = this.credentialOf(account);
    const sdkOptions: Record<string, unknown> = {
      ...(account.endpoint ? { endpoint: account.endpoint } : {}),
      ...(this.options.ca ? { tlsOptions: { ca: this.options.ca } } : {}),
      ...(this.options.maxRetries !== undefined ? { retryOptions: { maxRetries: this.options.maxRetries } } : {}),
      // Resource Manager tokens are for the ARM audience: the public one, or the account's own endpoint
      // (the generated clients default to the public audience even when the endpoint is another).
      credentials: { scopes: [`${account.endpoint ?? 'https://management.azure.com'}/.default`] },
    };
    const clients: AzureAccountClients = {
      subscriptionId: account.subscriptionId,
      compute: new ComputeManagementClient(credential as never, account.subscriptionId, sdkOptions),
      network: new NetworkManagementClient(credential as never, account.subscriptionId, sdkOptions),
      pollOptions: this.options.pollIntervalMs !== undefined ? { updateIntervalInMs: this.options.pollIntervalMs } : {},
    };
    this.clients.set(account, clients);
    return clients;
  }

  /** Forgets the clients of an account (it was removed or changed). */
  dispose(account: AzureAccount): void {
    this.clients.delete(account);
  }

  private credentialOf(account: AzureAccount): AzureTokenCredential {
    const supplied = this.options.credential?.(account);
    if (supplied) return supplied;
    if (account.accessToken) return staticTokenCredential(account.accessToken);
    return new ClientSecretCredential(account.tenantId!, account.clientId!, account.appKey!) as unknown as AzureTokenCredential;
  }
}
