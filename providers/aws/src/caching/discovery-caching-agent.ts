import { authoritative, cacheData, type AgentRunContext, type CacheData, type CacheResult, type ProviderCache } from '@stratus/plugin-api';
import { Keys, Types } from '../keys.js';
import { discoveryUrlOf } from '../ops/instance-lifecycle-operations.js';
import { AwsCachingAgent, type AwsAgentOptions } from './aws-agent.js';

/** Eureka instance statuses as Clouddriver's health states. */
const STATES: Record<string, string> = { UP: 'Up', DOWN: 'Down', OUT_OF_SERVICE: 'OutOfService', STARTING: 'Starting' };

/** Eureka's JSON renders a one-element list as a bare object. */
const list = <T>(value: T | T[] | undefined): T[] => (value === undefined || value === null ? [] : Array.isArray(value) ? value : [value]);

/**
 * Caches `Discovery` health (Clouddriver's `aws:health:<instance>:<account>:<region>:Discovery`
 * items) from the account's Eureka (`GET <discovery>/apps`), for accounts with a `discovery` URL.
 * The server group and instance views merge it into each instance's `health`.
 */
export class DiscoveryCachingAgent extends AwsCachingAgent {
  readonly providedDataTypes = [authoritative(Types.health)];

  constructor(options: AwsAgentOptions) {
    super(options, 'DiscoveryCachingAgent');
  }

  async loadData(_cache: ProviderCache, context?: AgentRunContext): Promise<CacheResult> {
    const base = discoveryUrlOf(this.account, this.region);
    if (!base) return { cacheResults: { [Types.health]: [] } };
    const signal = context?.signal ? AbortSignal.any([context.signal, AbortSignal.timeout(30_000)]) : AbortSignal.timeout(30_000);
    const res = await fetch(`${base}/apps`, { headers: { accept: 'application/json' }, redirect: 'error', signal });
    if (!res.ok) throw new Error(`Discovery at ${base} answered ${res.status}`);
    const body = (await res.json()) as { applications?: { application?: unknown } };
    const items: CacheData[] = [];
    for (const app of list(body.applications?.application as Record<string, unknown>[] | Record<string, unknown>)) {
      for (const raw of list(app.instance as Record<string, unknown>[] | Record<string, unknown>)) {
        const metadata = ((raw.dataCenterInfo as Record<string, unknown> | undefined)?.metadata ?? {}) as Record<string, unknown>;
        const instanceId = (metadata['instance-id'] ?? raw.instanceId) as string | undefined;
        if (typeof instanceId !== 'string' || !instanceId.startsWith('i-')) continue;
        const status = String(raw.status ?? 'UNKNOWN');
        items.push(
          cacheData(
            Keys.health(instanceId, this.account.name, this.region, 'Discovery'),
            {
              type: 'Discovery',
              healthClass: 'platform',
              application: (raw.app ?? app.name) as string,
              instanceId,
              status,
              overriddenStatus: raw.overriddenstatus ?? raw.overriddenStatus,
              state: STATES[status] ?? 'Unknown',
              discoveryStatus: status,
              lastUpdatedTimestamp: raw.lastUpdatedTimestamp,
            },
            { instances: [Keys.instance(this.account.name, this.region, instanceId)] },
          ),
        );
      }
    }
    return { cacheResults: { [Types.health]: items } };
  }
}
