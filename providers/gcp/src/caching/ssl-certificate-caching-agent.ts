import { authoritative, cacheData, type AgentRunContext, type CacheResult, type ProviderCache } from '@stratus/plugin-api';
import { GLOBAL, Keys, Types } from '../keys.js';
import { epochMs, named, toPlain } from '../plain.js';
import { collect, GceCachingAgent, type GceAgentOptions } from './gce-agent.js';

/**
 * Caches the project's global SSL certificates (`gce:sslCertificates:<account>:<name>`), as
 * Clouddriver's `GoogleSslCertificateCachingAgent` does. Deck lists them with
 * `/search?type=sslCertificates` (results `{account, name, provider, type}` from the key) when
 * building an HTTPS load balancer. Besides the name, the item keeps what describes the certificate,
 * never the PEM body (docs/providers/gcp.md, "SSL certificates").
 */
export class GceSslCertificateCachingAgent extends GceCachingAgent {
  readonly providedDataTypes = [authoritative(Types.sslCertificates)];

  constructor(options: Omit<GceAgentOptions, 'region'>) {
    super({ ...options, region: GLOBAL }, 'GoogleSslCertificateCachingAgent');
  }

  cacheKeyPatterns(): Record<string, string> {
    return { [Types.sslCertificates]: `gce:sslCertificates:${this.account.name}:*` };
  }

  async loadData(_cache: ProviderCache, context?: AgentRunContext): Promise<CacheResult> {
    const certificates = await collect(this.gce.sslCertificates.listAsync({ project: this.account.project }, this.listOptions), context?.signal);
    return {
      cacheResults: {
        [Types.sslCertificates]: certificates.filter(named).map((raw) => {
          const c = toPlain(raw);
          return cacheData(Keys.sslCertificate(this.account.name, c.name), {
            name: c.name,
            account: this.account.name,
            ...(c.type ? { certificateType: c.type } : {}),
            ...(c.selfLink ? { selfLink: c.selfLink } : {}),
            ...(c.subjectAlternativeNames ? { subjectAlternativeNames: c.subjectAlternativeNames } : {}),
            ...(c.expireTime ? { expireTime: epochMs(c.expireTime) } : {}),
            ...(c.creationTimestamp ? { createdTime: epochMs(c.creationTimestamp) } : {}),
          });
        }),
      },
    };
  }
}
