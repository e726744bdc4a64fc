import type { PlainUrlMap } from '../compute-types.js';
import { authoritative, cacheData, type AgentRunContext, type CacheData, type CacheResult, type ProviderCache } from '@stratus/plugin-api';
import { GLOBAL, Keys, Types } from '../keys.js';
import { epochMs, lastSegment, named, toPlain } from '../plain.js';
import { collect, GceCachingAgent, type GceAgentOptions } from './gce-agent.js';

/** Every backend service a URL map can send to: its default, and those of its path matchers and rules. */
export function urlMapServices(urlMap: PlainUrlMap): string[] {
  const services = [urlMap.defaultService, ...(urlMap.pathMatchers ?? []).flatMap((m) => [m.defaultService, ...(m.pathRules ?? []).map((r) => r.service)])];
  return [...new Set(services.filter((s): s is string => typeof s === 'string' && s.includes('/backendServices/')).map(lastSegment))];
}

/**
 * Caches the account's global HTTP(S) load balancers (Clouddriver's `GoogleHttpLoadBalancer`): each
 * global forwarding rule to a target HTTP(S) proxy, with its URL map and the backend services that
 * URL map sends to. Server groups behind them are found at read time through the backend services.
 */
export class GceHttpLoadBalancerCachingAgent extends GceCachingAgent {
  readonly providedDataTypes = [authoritative(Types.loadBalancers)];

  constructor(options: Omit<GceAgentOptions, 'region'>) {
    super({ ...options, region: GLOBAL }, 'GoogleHttpLoadBalancerCachingAgent');
  }

  async loadData(_cache: ProviderCache, context?: AgentRunContext): Promise<CacheResult> {
    const project = this.account.project;
    const rules = await collect(this.gce.globalForwardingRules.listAsync({ project }, this.listOptions), context?.signal);
    const proxied = rules.filter(named).filter((r) => r.target?.includes('/targetHttpProxies/') || r.target?.includes('/targetHttpsProxies/'));
    if (proxied.length === 0) return { cacheResults: { [Types.loadBalancers]: [] } };
    const [httpProxies, httpsProxies, urlMaps] = await Promise.all([
      collect(this.gce.targetHttpProxies.listAsync({ project }, this.listOptions), context?.signal),
      collect(this.gce.targetHttpsProxies.listAsync({ project }, this.listOptions), context?.signal),
      collect(this.gce.urlMaps.listAsync({ project }, this.listOptions), context?.signal),
    ]);
    const proxyByLink = new Map([...httpProxies, ...httpsProxies].map((p) => [p.selfLink, toPlain(p)]));
    const urlMapByLink = new Map(urlMaps.map((m) => [m.selfLink, toPlain(m)]));
    const items: CacheData[] = [];
    for (const raw of proxied) {
      const rule = toPlain(raw);
      const proxy = proxyByLink.get(rule.target);
      const urlMap = proxy ? urlMapByLink.get(proxy.urlMap) : undefined;
      const https = String(rule.target).includes('/targetHttpsProxies/');
      items.push(
        cacheData(Keys.loadBalancer(this.account.name, GLOBAL, rule.name), {
          name: rule.name,
          account: this.account.name,
          region: GLOBAL,
          loadBalancerType: 'HTTP',
          ipAddress: rule.IPAddress,
          ipProtocol: rule.IPProtocol ?? 'TCP',
          portRange: rule.portRange,
          loadBalancingScheme: rule.loadBalancingScheme ?? 'EXTERNAL',
          target: rule.target,
          certificate: https
            ? ((proxy && 'sslCertificates' in proxy ? (proxy.sslCertificates as string[] | undefined) : undefined) ?? [].map(lastSegment)[0])
            : undefined,
          urlMapName: urlMap ? urlMap.name : undefined,
          defaultService: urlMap?.defaultService ? lastSegment(urlMap.defaultService) : undefined,
          hostRules: urlMap?.hostRules ?? [],
          pathMatchers: urlMap?.pathMatchers ?? [],
          backendServiceNames: urlMap ? urlMapServices(urlMap) : [],
          createdTime: epochMs(rule.creationTimestamp),
        }),
      );
    }
    return { cacheResults: { [Types.loadBalancers]: items } };
  }
}
