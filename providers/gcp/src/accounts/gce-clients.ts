import {
  AutoscalersClient,
  BackendServicesClient,
  FirewallsClient,
  ForwardingRulesClient,
  GlobalForwardingRulesClient,
  GlobalOperationsClient,
  ImagesClient,
  InstanceGroupManagersClient,
  InstancesClient,
  InstanceTemplatesClient,
  NetworksClient,
  RegionAutoscalersClient,
  RegionInstanceGroupManagersClient,
  RegionOperationsClient,
  RegionsClient,
  SslCertificatesClient,
  SubnetworksClient,
  TargetHttpProxiesClient,
  TargetHttpsProxiesClient,
  TargetPoolsClient,
  UrlMapsClient,
  ZoneOperationsClient,
} from '@google-cloud/compute';
import { OAuth2Client } from 'google-auth-library';
import type { GceAccount } from './gce-account.js';

/** The compute/v1 clients of one account, created on first use. */
export interface GceAccountClients {
  readonly project: string;
  /** Per-call options (the account's timeout); pass as the second argument of every call. */
  readonly callOptions: { timeout: number };
  readonly instances: InstancesClient;
  readonly instanceTemplates: InstanceTemplatesClient;
  readonly zonalGroups: InstanceGroupManagersClient;
  readonly regionalGroups: RegionInstanceGroupManagersClient;
  readonly autoscalers: AutoscalersClient;
  readonly regionAutoscalers: RegionAutoscalersClient;
  readonly images: ImagesClient;
  readonly networks: NetworksClient;
  readonly subnetworks: SubnetworksClient;
  readonly firewalls: FirewallsClient;
  readonly backendServices: BackendServicesClient;
  readonly forwardingRules: ForwardingRulesClient;
  readonly targetPools: TargetPoolsClient;
  readonly globalForwardingRules: GlobalForwardingRulesClient;
  readonly targetHttpProxies: TargetHttpProxiesClient;
  readonly targetHttpsProxies: TargetHttpsProxiesClient;
  readonly urlMaps: UrlMapsClient;
  readonly sslCertificates: SslCertificatesClient;
  readonly regions: RegionsClient;
  readonly zoneOperations: ZoneOperationsClient;
  readonly regionOperations: RegionOperationsClient;
  readonly globalOperations: GlobalOperationsClient;
}

/** Anything google-gax accepts as `authClient` (an `OAuth2Client`, a `GoogleAuth` client …). */
export type GceAuthClient = OAuth2Client;

export interface GceClientOptions {
  /**
   * Supplies a ready auth client per account (tests: a pre-authorised `OAuth2Client`, so no token
   * endpoint is ever contacted). Otherwise: the account's `accessToken`, else `jsonKey`/`jsonPath`,
   * else Application Default Credentials.
   */
  readonly authClient?: (account: GceAccount) => GceAuthClient | undefined;
}

const SCOPES = ['https://www.googleapis.com/auth/compute'];

/** A pre-authorised client holding a fixed bearer token (never refreshed, no network). */
export function staticTokenAuthClient(token: string): OAuth2Client {
  const client = new OAuth2Client();
  client.setCredentials({ access_token: token, expiry_date: Date.now() + 10 * 365 * 24 * 3600 * 1000 });
  return client;
}

/**
 * Builds and caches the SDK clients of each account. Clients are shared by accounts whose client
 * settings are equal (name, project, endpoint, credentials, timeout) and closed when the last such
 * account is disposed: the server builds an updated account's agents before disposing the old one.
 */
export class GceClientFactory {
  private readonly entries = new Map<string, { clients: GceAccountClients; created: { close(): Promise<void> }[]; users: Set<GceAccount> }>();

  constructor(private readonly options: GceClientOptions = {}) {}

  forAccount(account: GceAccount): GceAccountClients {
    const key = clientKey(account);
    const existing = this.entries.get(key);
    if (existing) {
      existing.users.add(account);
      return existing.clients;
    }
    const base = this.baseOptions(account);
    const created: { close(): Promise<void> }[] = [];
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- every @google-cloud/compute client class takes its own options type
    const lazy = <T extends { close(): Promise<void> }>(make: new (opts: any) => T) => {
      let client: T | undefined;
      return () => {
        if (!client) created.push((client = new make(base)));
        return client;
      };
    };
    const makers = {
      instances: lazy(InstancesClient),
      instanceTemplates: lazy(InstanceTemplatesClient),
      zonalGroups: lazy(InstanceGroupManagersClient),
      regionalGroups: lazy(RegionInstanceGroupManagersClient),
      autoscalers: lazy(AutoscalersClient),
      regionAutoscalers: lazy(RegionAutoscalersClient),
      images: lazy(ImagesClient),
      networks: lazy(NetworksClient),
      subnetworks: lazy(SubnetworksClient),
      firewalls: lazy(FirewallsClient),
      backendServices: lazy(BackendServicesClient),
      forwardingRules: lazy(ForwardingRulesClient),
      targetPools: lazy(TargetPoolsClient),
      globalForwardingRules: lazy(GlobalForwardingRulesClient),
      targetHttpProxies: lazy(TargetHttpProxiesClient),
      targetHttpsProxies: lazy(TargetHttpsProxiesClient),
      urlMaps: lazy(UrlMapsClient),
      sslCertificates: lazy(SslCertificatesClient),
      regions: lazy(RegionsClient),
      zoneOperations: lazy(ZoneOperationsClient),
      regionOperations: lazy(RegionOperationsClient),
      globalOperations: lazy(GlobalOperationsClient),
    };
    const clients = { project: account.project, callOptions: { timeout: account.timeoutMs } } as Record<string, unknown>;
    for (const [name, get] of Object.entries(makers)) Object.defineProperty(clients, name, { get, enumerable: true });
    this.entries.set(key, { clients: clients as unknown as GceAccountClients, created, users: new Set([account]) });
    return clients as unknown as GceAccountClients;
  }

  /** Releases the account's clients; they are closed once no other account uses them. */
  dispose(account: GceAccount): void {
    const key = clientKey(account);
    const entry = this.entries.get(key);
    if (!entry) return;
    entry.users.delete(account);
    if (entry.users.size > 0) return;
    this.entries.delete(key);
    for (const client of entry.created) void client.close().catch(() => undefined);
  }

  private baseOptions(account: GceAccount): Record<string, unknown> {
    const options: Record<string, unknown> = { projectId: account.project };
    if (account.endpoint) {
      const url = new URL(account.endpoint);
      const https = url.protocol === 'https:';
      options.apiEndpoint = url.hostname;
      options.port = url.port ? Number(url.port) : https ? 443 : 80;
      options.protocol = https ? 'https' : 'http';
    }
    const supplied = this.options.authClient?.(account);
    if (supplied) options.authClient = supplied;
    else if (account.accessToken) options.authClient = staticTokenAuthClient(account.accessToken);
    else if (account.jsonKey) {
      options.credentials = JSON.parse(account.jsonKey);
      options.scopes = SCOPES;
    } else if (account.jsonPath) {
      options.keyFilename = account.jsonPath;
      options.scopes = SCOPES;
    }
    return options;
  }
}

/** What decides an account's clients (the key lives in memory only; it includes the secrets because they change the clients). */
function clientKey(account: GceAccount): string {
  return JSON.stringify([
    account.name,
    account.project,
    account.endpoint ?? '',
    account.jsonPath ?? '',
    account.jsonKey ?? '',
    account.accessToken ?? '',
    account.timeoutMs,
  ]);
}
