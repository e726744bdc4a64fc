import { authoritative, cacheData, type AgentRunContext, type CacheResult, type ProviderCache } from '@stratus/plugin-api';
import { GLOBAL, Keys, Types } from '../keys.js';
import { epochMs, lastSegment, named, toPlain } from '../plain.js';
import { collect, GceCachingAgent, type GceAgentOptions } from './gce-agent.js';

type GlobalOptions = Omit<GceAgentOptions, 'region'>;

/** Caches the account's firewalls as security groups (`gce:securityGroups:<name>:<id>:global:<account>`). */
export class GceSecurityGroupCachingAgent extends GceCachingAgent {
  readonly providedDataTypes = [authoritative(Types.securityGroups)];

  constructor(options: GlobalOptions) {
    super({ ...options, region: GLOBAL }, 'GoogleSecurityGroupCachingAgent');
  }

  cacheKeyPatterns(): Record<string, string> {
    return { [Types.securityGroups]: `gce:securityGroups:*:*:${GLOBAL}:${this.account.name}` };
  }

  async loadData(_cache: ProviderCache, context?: AgentRunContext): Promise<CacheResult> {
    const firewalls = await collect(this.gce.firewalls.listAsync({ project: this.account.project }, this.listOptions), context?.signal);
    return {
      cacheResults: {
        [Types.securityGroups]: firewalls
          .filter((f): f is typeof f & { name: string } => Boolean(f.name && f.id))
          .map((raw) => {
            const f = toPlain(raw);
            return cacheData(Keys.securityGroup(f.name, String(f.id), GLOBAL, this.account.name), {
              firewall: f,
              name: f.name,
              id: String(f.id),
              account: this.account.name,
              region: GLOBAL,
              network: lastSegment(f.network),
              createdTime: epochMs(f.creationTimestamp),
            });
          }),
      },
    };
  }
}

/** Caches the account's VPC networks (`gce:networks:<name>:<account>:global`). */
export class GceNetworkCachingAgent extends GceCachingAgent {
  readonly providedDataTypes = [authoritative(Types.networks)];

  constructor(options: GlobalOptions) {
    super({ ...options, region: GLOBAL }, 'GoogleNetworkCachingAgent');
  }

  cacheKeyPatterns(): Record<string, string> {
    return { [Types.networks]: `gce:networks:*:${this.account.name}:${GLOBAL}` };
  }

  async loadData(_cache: ProviderCache, context?: AgentRunContext): Promise<CacheResult> {
    const networks = await collect(this.gce.networks.listAsync({ project: this.account.project }, this.listOptions), context?.signal);
    return {
      cacheResults: {
        [Types.networks]: networks.filter(named).map((raw) => {
          const n = toPlain(raw);
          return cacheData(Keys.network(n.name, this.account.name), {
            network: n,
            name: n.name,
            id: n.name,
            account: this.account.name,
            region: GLOBAL,
            autoCreateSubnets: n.autoCreateSubnetworks ?? false,
          });
        }),
      },
    };
  }
}

/** Caches the subnetworks of one region (`gce:subnets:<name>:<account>:<region>`). */
export class GceSubnetCachingAgent extends GceCachingAgent {
  readonly providedDataTypes = [authoritative(Types.subnets)];

  constructor(options: GceAgentOptions) {
    super(options, 'GoogleSubnetCachingAgent');
  }

  cacheKeyPatterns(): Record<string, string> {
    return { [Types.subnets]: `gce:subnets:*:${this.account.name}:${this.region}` };
  }

  async loadData(_cache: ProviderCache, context?: AgentRunContext): Promise<CacheResult> {
    const subnets = await collect(this.gce.subnetworks.listAsync({ project: this.account.project, region: this.region }, this.listOptions), context?.signal);
    return {
      cacheResults: {
        [Types.subnets]: subnets.filter(named).map((raw) => {
          const s = toPlain(raw);
          return cacheData(Keys.subnet(s.name, this.account.name, this.region), {
            subnet: s,
            name: s.name,
            id: s.name,
            account: this.account.name,
            region: this.region,
            network: lastSegment(s.network),
            ipCidrRange: s.ipCidrRange,
            purpose: s.purpose ?? 'n/a',
          });
        }),
      },
    };
  }
}

/** Caches the images of the account's project and its `imageProjects` (`gce:images:<account>:<name>`). */
export class GceImageCachingAgent extends GceCachingAgent {
  readonly providedDataTypes = [authoritative(Types.images)];

  constructor(options: GlobalOptions) {
    super({ ...options, region: GLOBAL }, 'GoogleImageCachingAgent');
  }

  cacheKeyPatterns(): Record<string, string> {
    return { [Types.images]: `gce:images:${this.account.name}:*` };
  }

  async loadData(_cache: ProviderCache, context?: AgentRunContext): Promise<CacheResult> {
    const projects = [this.account.project, ...this.account.imageProjects];
    const items = [];
    for (const project of projects) {
      for (const raw of await collect(this.gce.images.listAsync({ project }, this.listOptions), context?.signal)) {
        if (!named(raw) || raw.deprecated?.state === 'DELETED') continue;
        const image = toPlain(raw);
        items.push(
          cacheData(Keys.image(this.account.name, image.name), {
            image,
            name: image.name,
            project,
            account: this.account.name,
            selfLink: image.selfLink,
            family: image.family,
            createdTime: epochMs(image.creationTimestamp),
          }),
        );
      }
    }
    return { cacheResults: { [Types.images]: items } };
  }
}

/** Caches the account's (global) backend services with the instance groups behind them. */
export class GceBackendServiceCachingAgent extends GceCachingAgent {
  readonly providedDataTypes = [authoritative(Types.backendServices)];

  constructor(options: GlobalOptions) {
    super({ ...options, region: GLOBAL }, 'GoogleBackendServiceCachingAgent');
  }

  cacheKeyPatterns(): Record<string, string> {
    return { [Types.backendServices]: `gce:backendServices:${this.account.name}:*` };
  }

  async loadData(_cache: ProviderCache, context?: AgentRunContext): Promise<CacheResult> {
    const services = await collect(this.gce.backendServices.listAsync({ project: this.account.project }, this.listOptions), context?.signal);
    return {
      cacheResults: {
        [Types.backendServices]: services.filter(named).map((raw) => {
          const s = toPlain(raw);
          return cacheData(Keys.backendService(this.account.name, GLOBAL, s.name), {
            backendService: s,
            name: s.name,
            account: this.account.name,
            region: GLOBAL,
            protocol: s.protocol,
            healthChecks: (s.healthChecks ?? []).map(lastSegment),
            groups: (s.backends ?? []).map((b) => b.group).filter(Boolean),
          });
        }),
      },
    };
  }
}
