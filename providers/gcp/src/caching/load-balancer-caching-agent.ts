import { authoritative, cacheData, type AgentRunContext, type CacheData, type CacheResult, type ProviderCache } from '@stratus/plugin-api';
import { Keys, Types } from '../keys.js';
import { epochMs, lastSegment, named, regionOfZone, toPlain } from '../plain.js';
import { collect, GceCachingAgent, type GceAgentOptions } from './gce-agent.js';

/**
 * Caches the network load balancers of one region: each regional forwarding rule with the target
 * pool it sends to (the pool's instances, health checks and session affinity), as Clouddriver's
 * `GoogleNetworkLoadBalancer`. Forwarding rules to anything else are cached with their target only.
 */
export class GceLoadBalancerCachingAgent extends GceCachingAgent {
  readonly providedDataTypes = [authoritative(Types.loadBalancers)];

  constructor(options: GceAgentOptions) {
    super(options, 'GoogleNetworkLoadBalancerCachingAgent');
  }

  async loadData(_cache: ProviderCache, context?: AgentRunContext): Promise<CacheResult> {
    const project = this.account.project;
    const region = this.region;
    const account = this.account.name;
    const [rules, pools] = await Promise.all([
      collect(this.gce.forwardingRules.listAsync({ project, region }, this.listOptions), context?.signal),
      collect(this.gce.targetPools.listAsync({ project, region }, this.listOptions), context?.signal),
    ]);
    const poolByLink = new Map(pools.map((p) => [p.selfLink, toPlain(p)]));
    const items: CacheData[] = rules.filter(named).map((raw) => {
      const rule = toPlain(raw);
      const pool = poolByLink.get(rule.target);
      const instanceKeys = (pool?.instances ?? []).map((link: string) => {
        const zone = /\/zones\/([^/]+)\//.exec(link)?.[1] ?? '';
        return Keys.instance(account, zone ? regionOfZone(zone) : region, lastSegment(link));
      });
      return cacheData(
        Keys.loadBalancer(account, region, rule.name),
        {
          name: rule.name,
          account,
          region,
          loadBalancerType: pool ? 'NETWORK' : 'UNKNOWN',
          ipAddress: rule.IPAddress,
          ipProtocol: rule.IPProtocol ?? 'TCP',
          portRange: rule.portRange,
          loadBalancingScheme: rule.loadBalancingScheme ?? 'EXTERNAL',
          target: rule.target,
          createdTime: epochMs(rule.creationTimestamp),
          ...(pool
            ? {
                targetPool: pool.selfLink,
                targetPoolName: pool.name,
                sessionAffinity: pool.sessionAffinity ?? 'NONE',
                healthChecks: (pool.healthChecks ?? []).map(lastSegment),
                instanceNames: (pool.instances ?? []).map(lastSegment),
              }
            : {}),
        },
        { instances: instanceKeys },
      );
    });
    return { cacheResults: { [Types.loadBalancers]: items } };
  }
}
