import { RegionalCachingAgent, type RegionalAgentOptions } from '@stratus/provider-kit';
import type { AwsAccount } from '../accounts/aws-account.js';
import type { AwsClientFactory, AwsRegionClients } from '../accounts/aws-clients.js';
import { AWS } from '../keys.js';

export interface AwsAgentOptions extends RegionalAgentOptions<AwsAccount> {
  readonly clients: AwsClientFactory;
  /** Page size for paginated describes; each agent's API maximum when absent (tests use small pages). */
  readonly pageSize?: number;
}

/** A caching agent bound to one account and region; its type is `<account>/<region>/<Name>`. */
export abstract class AwsCachingAgent extends RegionalCachingAgent<AwsAccount, AwsAgentOptions> {
  readonly providerName = AWS;

  /** The page size to request, capped by the API's own maximum. */
  protected pageSize(max: number): number {
    return Math.min(this.options.pageSize ?? max, max);
  }

  protected get aws(): AwsRegionClients {
    return this.options.clients.forRegion(this.options.account, this.options.region);
  }
}

/** The changed-since-the-run-started guard lives in the kit; these names stay for AWS's callers. */
export { markAgentChanged, withConsistentReads } from '@stratus/provider-kit';
