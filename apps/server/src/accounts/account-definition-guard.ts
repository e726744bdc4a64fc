import { realpathSync } from 'node:fs';
import { BlockList, isIP } from 'node:net';
import { isAbsolute, resolve as resolvePath, sep } from 'node:path';

/** What an account created through the API may reach (`account.storage.allowedFileDirectories`, `allowedEndpoints`). */
export interface AccountDefinitionPolicy {
  readonly allowedFileDirectories: readonly string[];
  readonly allowedEndpoints: readonly string[];
}

/** Keys naming a local file: `kubeconfigFile`, `jsonPath`, `certificateFile`, … */
const FILE_KEY = /(file|path|dir|directory)$/i;
/** Keys naming a remote endpoint: `server`, `endpoint`, `baseUrl`, `host`, … */
const ENDPOINT_KEY = /(url|uri|endpoint|server|host|address)$/i;
/** `server:` entries of an inline kubeconfig (`kubeconfigContents`), in YAML block or flow style, or JSON. */
const KUBECONFIG_SERVER = /["']?\bserver["']?\s*:\s*["']?([^\s"',}\]]+)/g;
/** URLs anywhere inside a text value (inline configs, scripts). */
const EMBEDDED_URL = /\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>,}\]]+/gi;

/** The host of an endpoint value: a URL's host name, or a bare `host[:port]`. */
export function hostOf(value: string): string | undefined {
  const trimmed = value.trim();
  if (!trimmed) return undefined;
  try {
    const url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`);
    return url.hostname.replace(/^\[|\]$/g, '').toLowerCase() || undefined;
  } catch {
    return undefined;
  }
}

function endpointAllowed(host: string, allowed: readonly string[]): boolean {
  for (const entry of allowed) {
    const pattern = entry.toLowerCase();
    if (pattern.includes('/')) {
      const [address, prefix] = pattern.split('/') as [string, string];
      const family = isIP(address) === 6 ? 'ipv6' : 'ipv4';
      if (isIP(host) === 0) continue;
      const list = new BlockList();
      try {
        list.addSubnet(address, Number(prefix), family);
        if (list.check(host, isIP(host) === 6 ? 'ipv6' : 'ipv4')) return true;
      } catch {
        // an invalid CIDR allows nothing
      }
    } else if (pattern.startsWith('*.')) {
      if (host.endsWith(pattern.slice(1)) && host.length > pattern.length - 1) return true;
    } else if (host === pattern) {
      return true;
    }
  }
  return false;
}

function fileAllowed(value: string, directories: readonly string[]): boolean {
  if (!isAbsolute(value)) return false; // relative paths would depend on the server's working directory
  let real = resolvePath(value);
  try {
    real = realpathSync(real); // a symlink inside an allowed directory must not lead outside it
  } catch {
    // a file that does not exist (yet) is judged by its path
  }
  return directories.some((directory) => {
    const root = resolvePath(directory);
    return real === root || real.startsWith(root.endsWith(sep) ? root : root + sep);
  });
}

/**
 * Checks an account definition sent to `POST/PUT /credentials` against the operator's policy:
 * every local file it names must lie in an allowed directory, every endpoint it names must be an
 * allowed host. Returns one error per offending field, naming the field and never its value's
 * contents (only the host, which the caller sent).
 */
export function checkAccountDefinition(definition: Readonly<Record<string, unknown>>, policy: AccountDefinitionPolicy): string[] {
  const errors: string[] = [];
  const visit = (value: unknown, path: string, key: string) => {
    if (typeof value === 'string') {
      if (key !== 'name' && key !== 'type' && FILE_KEY.test(key) && value.trim()) {
        if (policy.allowedFileDirectories.length === 0) {
          errors.push(`${path}: accounts created through the API may not name local files (set account.storage.allowedFileDirectories to allow a directory)`);
        } else if (!fileAllowed(value, policy.allowedFileDirectories)) {
          errors.push(`${path}: the file is not in a directory listed in account.storage.allowedFileDirectories`);
        }
        return;
      }
      const hosts: string[] = [];
      if (ENDPOINT_KEY.test(key) || /^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
        const host = hostOf(value);
        if (host) hosts.push(host);
      }
      for (const match of value.matchAll(KUBECONFIG_SERVER)) {
        const host = hostOf(match[1]!);
        if (host) hosts.push(host);
      }
      for (const match of value.matchAll(EMBEDDED_URL)) {
        const host = hostOf(match[0]);
        if (host) hosts.push(host);
      }
      for (const host of new Set(hosts)) {
        if (!endpointAllowed(host, policy.allowedEndpoints)) {
          errors.push(`${path}: endpoint host ${host} is not in account.storage.allowedEndpoints`);
        }
      }
      return;
    }
    if (Array.isArray(value)) value.forEach((item, index) => visit(item, `${path}[${index}]`, key));
    else if (value && typeof value === 'object') {
      for (const [childKey, child] of Object.entries(value as Record<string, unknown>)) visit(child, path ? `${path}.${childKey}` : childKey, childKey);
    }
  };
  visit(definition, '', '');
  return errors;
}
