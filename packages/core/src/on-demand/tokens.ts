import { createToken } from '@stratus/plugin-api';
import type { OnDemandAgentSource } from './on-demand-agent-source.js';

/**
 * What the on-demand services need. The tokens naming the services themselves are in
 * `service-tokens.ts`, so a service importing its inputs never imports its own type back.
 */

/** Implemented by the provider host: the on-demand agents of the configured accounts. */
export const ON_DEMAND_AGENT_SOURCE = createToken<OnDemandAgentSource>('core.on-demand-agent-source');
