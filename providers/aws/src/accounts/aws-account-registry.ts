import { AccountAgentRegistry } from '@stratus/provider-kit';
import type { AwsAccount } from './aws-account.js';

/**
 * The AWS accounts the server currently has, with their agents (the kit's registry): operations and
 * validators read accounts from here, and the cache refresher finds an account's agent by region and name.
 */
export class AwsAccountRegistry extends AccountAgentRegistry<AwsAccount> {}
