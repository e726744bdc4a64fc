import { ArtifactError } from '@stratus/plugin-api';
import { lookup as dnsLookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

/** `artifacts.network`: which hosts artifact downloads may reach. */
export interface NetworkPolicyConfig {
  /**
   * Host patterns downloads may reach (`example.com`, `*.example.com`, `127.0.0.1`, `[::1]`, each
   * optionally with `:port`). Empty: any host that resolves only to public addresses.
   */
  readonly allowedHosts: readonly string[];
  /** Whether hosts resolving to loopback, private, link-local or metadata addresses may be reached. */
  readonly allowPrivateAddresses: boolean;
}

/** Loopback, private, link-local, shared, metadata, multicast and reserved ranges. */
const PRIVATE_RANGES = (() => {
  const list = new BlockList();
  for (const [net, prefix] of [
    ['0.0.0.0', 8],
    ['10.0.0.0', 8],
    ['100.64.0.0', 10],
    ['127.0.0.0', 8],
    ['169.254.0.0', 16],
    ['172.16.0.0', 12],
    ['192.0.0.0', 24],
    ['192.168.0.0', 16],
    ['198.18.0.0', 15],
    ['224.0.0.0', 4],
    ['240.0.0.0', 4],
  ] as const)
    list.addSubnet(net, prefix, 'ipv4');
  for (const [net, prefix] of [
    ['::', 128],
    ['::1', 128],
    ['fc00::', 7],
    ['fe80::', 10],
    ['ff00::', 8],
    ['64:ff9b::', 96],
  ] as const) {
    list.addSubnet(net, prefix, 'ipv6');
  }
  return list;
})();

/** Whether an address is not on the public internet (IPv4-mapped IPv6 addresses are checked as IPv4). */
export function isPrivateAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped?.[1]) return PRIVATE_RANGES.check(mapped[1], 'ipv4');
  const family = isIP(address);
  if (family === 0) return true;
  return PRIVATE_RANGES.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

interface HostPattern {
  readonly host: string;
  readonly wildcard: boolean;
  readonly port?: string;
}

function parsePattern(pattern: string): HostPattern {
  const trimmed = pattern.trim().toLowerCase();
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(trimmed);
  if (bracketed?.[1]) return { host: bracketed[1], wildcard: false, ...(bracketed[2] ? { port: bracketed[2] } : {}) };
  if (isIP(trimmed) === 6) return { host: trimmed, wildcard: false };
  const [host = '', port] = trimmed.split(':');
  const wildcard = host.startsWith('*.');
  return { host: wildcard ? host.slice(1) : host, wildcard, ...(port ? { port } : {}) };
}

/**
 * The operator's network policy for artifact downloads: a URL's host must match `allowedHosts`
 * (when any are configured), and every address the host resolves to must be public unless
 * `allowPrivateAddresses` is set or the host is listed exactly (not by a wildcard). Checked again at
 * connect time by {@link lookup}, so a name cannot resolve to an internal address between check and use.
 */
export class NetworkPolicy {
  private readonly patterns: readonly HostPattern[];

  constructor(private readonly config: NetworkPolicyConfig) {
    this.patterns = config.allowedHosts.map(parsePattern);
  }

  /** Why `url` may not be fetched at all (scheme or host), or undefined when the host is allowed. */
  private refusal(url: URL): string | undefined {
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return `scheme ${url.protocol} is not allowed (only http and https)`;
    if (this.patterns.length > 0 && !this.match(url)) return `host ${url.host} is not in artifacts.network.allowedHosts`;
    return undefined;
  }

  private match(url: URL): HostPattern | undefined {
    const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
    const port = url.port || (url.protocol === 'https:' ? '443' : '80');
    return this.patterns.find(
      (pattern) => (pattern.wildcard ? host.endsWith(pattern.host) : host === pattern.host) && (pattern.port === undefined || pattern.port === port),
    );
  }

  /** Whether hosts of `url` may resolve to private addresses. */
  private privateAllowed(url: URL): boolean {
    if (this.config.allowPrivateAddresses) return true;
    const matched = this.match(url);
    return matched !== undefined && !matched.wildcard;
  }

  /**
   * Checks `url` and resolves its host; answers the addresses it may be reached at. Throws an
   * {@link ArtifactError} (403) naming the URL's host when it is not allowed.
   */
  async check(url: URL): Promise<string[]> {
    const refusal = this.refusal(url);
    if (refusal) throw new ArtifactError(403, `${refusal}: the artifact cannot be fetched from ${url.origin}`);
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const addresses = isIP(host) ? [host] : (await dnsLookup(host, { all: true }).catch(() => [])).map((entry) => entry.address);
    if (addresses.length === 0) throw new ArtifactError(502, `host ${host} could not be resolved`);
    this.checkAddresses(url, addresses);
    return addresses;
  }

  private checkAddresses(url: URL, addresses: readonly string[]): void {
    if (this.privateAllowed(url)) return;
    const internal = addresses.find(isPrivateAddress);
    if (internal !== undefined) {
      throw new ArtifactError(
        403,
        `host ${url.hostname} resolves to the internal address ${internal}; list it in artifacts.network.allowedHosts (or set artifacts.network.allowPrivateAddresses) to allow it`,
      );
    }
  }

  /**
   * A `lookup` for `http.request` that applies the policy to the addresses a connection is about to
   * use (so a DNS answer cannot change between {@link check} and connect).
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- Node's lookup callback is overloaded (one address, or a list with `all`); this matches every overload
  lookupFor(url: URL): (hostname: string, options: { all?: boolean; family?: number }, callback: (...args: any[]) => void) => void {
    return (hostname, options, callback) => {
      dnsLookup(hostname, { all: true, ...(options.family ? { family: options.family } : {}) }).then(
        (entries) => {
          try {
            this.checkAddresses(
              url,
              entries.map((entry) => entry.address),
            );
          } catch (error) {
            callback(error);
            return;
          }
          const first = entries[0];
          if (options.all) callback(null, entries);
          else if (first) callback(null, first.address, first.family);
          else callback(Object.assign(new Error(`${hostname} resolved to no address`), { code: 'ENOTFOUND' }));
        },
        (error: unknown) => callback(error),
      );
    };
  }
}
