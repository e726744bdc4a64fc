import { ACMClient } from '@aws-sdk/client-acm';
import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { EC2Client } from '@aws-sdk/client-ec2';
import { ElasticLoadBalancingClient } from '@aws-sdk/client-elastic-load-balancing';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { IAMClient } from '@aws-sdk/client-iam';
import { Route53Client } from '@aws-sdk/client-route-53';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import type { AwsAccount } from './aws-account.js';
import { definedOnly } from '@stratus/provider-kit';
import { roleArnOf } from './aws-account.js';
import { AccountRetryStrategy } from './account-retry-strategy.js';
import { bindCallSignal } from './call-signal.js';

/** The SDK clients of one account in one region. */
export interface AwsRegionClients {
  readonly ec2: EC2Client;
  readonly autoScaling: AutoScalingClient;
  readonly elbv2: ElasticLoadBalancingV2Client;
  /** Classic load balancers (`elasticloadbalancing` 2012-06-01). */
  readonly elb: ElasticLoadBalancingClient;
  readonly cloudFormation: CloudFormationClient;
  readonly cloudWatch: CloudWatchClient;
  /** Route 53 is global; this client signs for the region it was built for, which AWS accepts. */
  readonly route53: Route53Client;
  /** ACM certificates (regional). */
  readonly acm: ACMClient;
}

interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
}
type CredentialProvider = () => Promise<Credentials>;

export interface AwsClientOptions {
  /**
   * Base credentials; absent = the SDK default chain (env, shared files, SSO, IMDS …). Tests pass
   * static ones; production leaves this out.
   */
  readonly credentials?: Credentials | CredentialProvider;
  /** SDK attempts per call (throttling and transient errors back off between them); default 5. */
  readonly maxAttempts?: number;
  /** Told of every throttled attempt, with the account's name (the provider counts it in a metric). */
  readonly onThrottled?: (account: string) => void;
  /** Base delay (ms) of the back-off after a throttled attempt; 500 (the SDK's) when absent. Tests shorten it. */
  readonly throttlingBaseDelayMs?: number;
  /** The back-off's randomness in [0, 1); `Math.random` when absent. Tests fix it. */
  readonly retryJitter?: () => number;
}

/**
 * Builds and caches SDK clients per account and region, shared by the account's caching agents and
 * operations. All clients of one account share one {@link AccountRetryStrategy}: a throttled call
 * backs off with jitter and holds the account's other new calls for as long, while other accounts
 * go on. When the
 * account has `assumeRole`, credentials come from STS `AssumeRole` (with `externalId`), cached until
 * five minutes before they expire.
 */
export class AwsClientFactory {
  /**
   * Keyed by the credentials object, not the name: when an account changes the new object gets
   * fresh clients while the old one is disposed, and neither disturbs the other.
   */
  private readonly clients = new Map<AwsAccount, Map<string, AwsRegionClients>>();
  private readonly roleCredentials = new Map<AwsAccount, Map<string, CredentialProvider>>();
  private readonly iamClients = new Map<AwsAccount, IAMClient>();
  private readonly retryStrategies = new Map<AwsAccount, AccountRetryStrategy>();

  constructor(private readonly options: AwsClientOptions = {}) {}

  forRegion(account: AwsAccount, region: string): AwsRegionClients {
    let byRegion = this.clients.get(account);
    if (!byRegion) this.clients.set(account, (byRegion = new Map()));
    let clients = byRegion.get(region);
    if (!clients) {
      const config = this.configFor(account, region);
      // Every call defaults to the signal of the operation or agent run it is made for.
      clients = {
        ec2: bindCallSignal(new EC2Client(config)),
        autoScaling: bindCallSignal(new AutoScalingClient(config)),
        elbv2: bindCallSignal(new ElasticLoadBalancingV2Client(config)),
        elb: bindCallSignal(new ElasticLoadBalancingClient(config)),
        cloudFormation: bindCallSignal(new CloudFormationClient(config)),
        cloudWatch: bindCallSignal(new CloudWatchClient(config)),
        route53: bindCallSignal(new Route53Client(config)),
        acm: bindCallSignal(new ACMClient(config)),
      };
      byRegion.set(region, clients);
    }
    return clients;
  }

  /** The account's IAM client (IAM is global; it signs for the account's first region). */
  iam(account: AwsAccount): IAMClient {
    let client = this.iamClients.get(account);
    if (!client) this.iamClients.set(account, (client = bindCallSignal(new IAMClient(this.configFor(account, account.regions[0]?.name ?? 'us-east-1')))));
    return client;
  }

  /** Closes and forgets the clients of these credentials (the account was removed or changed). */
  dispose(account: AwsAccount): void {
    this.iamClients.get(account)?.destroy();
    this.iamClients.delete(account);
    for (const clients of this.clients.get(account)?.values() ?? []) {
      clients.ec2.destroy();
      clients.autoScaling.destroy();
      clients.elbv2.destroy();
      clients.elb.destroy();
      clients.cloudFormation.destroy();
      clients.cloudWatch.destroy();
      clients.route53.destroy();
      clients.acm.destroy();
    }
    this.clients.delete(account);
    this.roleCredentials.delete(account);
    this.retryStrategies.delete(account);
  }

  /** The retry strategy (and throttling gate) the account's clients share. */
  retryStrategy(account: AwsAccount): AccountRetryStrategy {
    let strategy = this.retryStrategies.get(account);
    if (!strategy) {
      const onThrottled = this.options.onThrottled;
      strategy = new AccountRetryStrategy({
        maxAttempts: this.options.maxAttempts ?? 5,
        ...(onThrottled ? { onThrottled: () => onThrottled(account.name) } : {}),
        ...(this.options.throttlingBaseDelayMs !== undefined ? { throttlingBaseDelayMs: this.options.throttlingBaseDelayMs } : {}),
        ...(this.options.retryJitter ? { random: this.options.retryJitter } : {}),
      });
      this.retryStrategies.set(account, strategy);
    }
    return strategy;
  }

  private configFor(account: AwsAccount, region: string) {
    return {
      region,
      ...(account.endpoint ? { endpoint: account.endpoint } : {}),
      maxAttempts: this.options.maxAttempts ?? 5,
      retryStrategy: this.retryStrategy(account),
      ...(account.assumeRole
        ? { credentials: this.assumedRoleCredentials(account, region) }
        : this.options.credentials
          ? { credentials: this.options.credentials }
          : {}),
    };
  }

  private assumedRoleCredentials(account: AwsAccount, region: string): CredentialProvider {
    let byRegion = this.roleCredentials.get(account);
    if (!byRegion) this.roleCredentials.set(account, (byRegion = new Map()));
    const existing = byRegion.get(region);
    if (existing) return existing;
    const sts = new STSClient({
      region,
      ...(account.endpoint ? { endpoint: account.endpoint } : {}),
      ...(this.options.credentials ? { credentials: this.options.credentials } : {}),
    });
    let cached: Credentials | undefined;
    let pending: Promise<Credentials> | undefined;
    const provider: CredentialProvider = async () => {
      if (cached && (!cached.expiration || cached.expiration.getTime() - Date.now() > 5 * 60_000)) return cached;
      pending ??= sts
        .send(
          new AssumeRoleCommand({
            RoleArn: roleArnOf(account),
            RoleSessionName: account.sessionName ?? 'Spinnaker',
            ...(account.externalId ? { ExternalId: account.externalId } : {}),
          }),
        )
        .then((out) => {
          const c = out.Credentials;
          if (!c?.AccessKeyId || !c.SecretAccessKey) throw new Error(`AssumeRole for account ${account.name} returned no credentials`);
          cached = {
            accessKeyId: c.AccessKeyId,
            secretAccessKey: c.SecretAccessKey,
            ...definedOnly({ sessionToken: c.SessionToken, expiration: c.Expiration }),
          };
          return cached;
        })
        .finally(() => {
          pending = undefined;
        });
      return pending;
    };
    byRegion.set(region, provider);
    return provider;
  }
}
