import { AccountAgentRegistry } from '@stratus/provider-kit';
import type { AzureAccount } from './azure-account.js';

/**
 * The Azure accounts the server currently has, with their agents (the kit's registry): operations and
 * validators read accounts from here, and the cache refresher finds an account's agent by region and name.
 */
export class AzureAccountRegistry extends AccountAgentRegistry<AzureAccount> {}
