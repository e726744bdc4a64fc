import type { Moniker } from '@stratus/plugin-api';

/** The parts of a Frigga name (`app-stack-detail-vNNN`). */
export interface FriggaName {
  readonly app: string;
  readonly stack?: string;
  readonly detail?: string;
  readonly cluster: string;
  readonly sequence?: number;
}

const SEQUENCE = /^(.*)-v(\d{3,})$/;

/**
 * Parses a server group, cluster or load balancer name the way Frigga's `Names.parseName` does:
 * the optional `-vNNN` suffix is the sequence, the rest is the cluster; its first `-`-separated part
 * is the application, the second the stack, and everything after the second `-` the detail.
 */
export function parseFriggaName(name: string): FriggaName {
  const match = SEQUENCE.exec(name);
  const cluster = match ? match[1]! : name;
  const sequence = match ? Number(match[2]) : undefined;
  const [app = '', stack, ...rest] = cluster.split('-');
  const detail = rest.length > 0 ? rest.join('-') : undefined;
  return {
    app,
    cluster,
    ...(stack ? { stack } : {}),
    ...(detail ? { detail } : {}),
    ...(sequence !== undefined ? { sequence } : {}),
  };
}

/** `app`, `app-stack`, `app-stack-detail` or `app--detail`, as Frigga's `Names` builds cluster names. */
export function clusterName(app: string, stack?: string, detail?: string): string {
  if (detail) return `${app}-${stack ?? ''}-${detail}`;
  return stack ? `${app}-${stack}` : app;
}

/** `cluster-vNNN`; sequences wrap after 999 as in Clouddriver's deploy handlers. */
export function serverGroupName(cluster: string, sequence: number): string {
  return `${cluster}-v${String(sequence % 1000).padStart(3, '0')}`;
}

/** The moniker Clouddriver reports for a Frigga name. */
export function monikerOf(name: string): Moniker {
  const parsed = parseFriggaName(name);
  return {
    app: parsed.app,
    cluster: parsed.cluster,
    ...(parsed.stack ? { stack: parsed.stack } : {}),
    ...(parsed.detail ? { detail: parsed.detail } : {}),
    ...(parsed.sequence !== undefined ? { sequence: parsed.sequence } : {}),
  };
}
