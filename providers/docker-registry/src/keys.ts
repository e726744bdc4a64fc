import type { KeyParser } from '@stratus/plugin-api';

/** The cloud provider id, cache namespace, config key and key prefix (Clouddriver's `dockerRegistry`). */
export const DOCKER_REGISTRY = 'dockerRegistry';

/** The CATS types the provider writes (Clouddriver's `Keys.Namespace`). */
export const Types = {
  /** One tag of one repository of one account: `dockerRegistry:taggedImage:<account>:<repository>:<tag>`. */
  taggedImage: 'taggedImage',
  /** The image id `<registry>/<repository>:<tag>` → its tagged image: `dockerRegistry:imageId:<imageId>`. */
  imageId: 'imageId',
  /**
   * One repository of one account. No item of this type is ever written: it only keys on-demand
   * records (`POST /cache/dockerRegistry/taggedImage` refreshes a whole repository).
   */
  repository: 'repository',
} as const;

/**
 * Cache keys in Clouddriver's shapes, so anything reading its Redis keys (and `/search`) finds the
 * same ids. Repository names may contain `/` but never `:`, tags never contain `:` either, so the
 * tagged-image key splits cleanly; the image id contains the registry's `host:port`, so it is
 * everything after `dockerRegistry:imageId:`.
 */
export const Keys = {
  taggedImage: (account: string, repository: string, tag: string) => `${DOCKER_REGISTRY}:${Types.taggedImage}:${account}:${repository}:${tag}`,
  imageId: (imageId: string) => `${DOCKER_REGISTRY}:${Types.imageId}:${imageId}`,
  repository: (account: string, repository: string) => `${DOCKER_REGISTRY}:${Types.repository}:${account}:${repository}`,
  /** Every tag of one repository of one account (a glob; `*` stands for the tag). */
  taggedImageGlob: (account = '*', repository = '*') => `${DOCKER_REGISTRY}:${Types.taggedImage}:${wildcardOr(account)}:${wildcardOr(repository)}:*`,
  /** Every on-demand record of one account. */
  repositoryGlob: (account: string) => `${DOCKER_REGISTRY}:${Types.repository}:${globLiteral(account)}:*`,
};

/** `<registry>/<repository>:<tag>`, Clouddriver's image id and the reference a `docker pull` takes. */
export function imageReference(registry: string, repository: string, tag: string): string {
  return `${registry}/${repository}:${tag}`;
}

/** `*` stays a wildcard; anything else matches literally. */
const wildcardOr = (text: string) => (text === '*' ? '*' : globLiteral(text));

/** Makes glob metacharacters in a literal match themselves. */
function globLiteral(text: string): string {
  return text.replace(/[*?[]/g, '[$&]');
}

/** Parses a Docker Registry key into named fields; `undefined` for anything else. */
export function parseKey(key: string): Record<string, string> | undefined {
  const parts = key.split(':');
  if (parts[0] !== DOCKER_REGISTRY || parts.length < 3) return undefined;
  const base = { provider: DOCKER_REGISTRY, type: parts[1]! };
  switch (parts[1]) {
    case Types.taggedImage:
      return parts.length === 5 ? { ...base, account: parts[2]!, repository: parts[3]!, tag: parts[4]!, name: `${parts[3]}:${parts[4]}` } : undefined;
    case Types.imageId:
      return { ...base, imageId: key.slice(`${DOCKER_REGISTRY}:${Types.imageId}:`.length) };
    case Types.repository:
      return parts.length === 4 ? { ...base, account: parts[2]!, repository: parts[3]!, name: parts[3]! } : undefined;
    default:
      return undefined;
  }
}

/** The key parser the server uses for `/search` (tagged images) and permission filtering. */
export const dockerRegistryKeyParser: KeyParser = {
  cloudProvider: DOCKER_REGISTRY,
  parseKey,
  searchableTypes: [Types.taggedImage],
};
