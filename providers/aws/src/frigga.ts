/** Names parsed Frigga-style from `app-stack-detail-vNNN` (Netflix Frigga `Names.parseName`). */
export interface FriggaNames {
  readonly app: string;
  readonly stack?: string;
  readonly detail?: string;
  /** `app-stack-detail`: the name without the push sequence. */
  readonly cluster: string;
  readonly sequence?: number;
}

const PUSH = /^(.*)-v(\d{3,})$/;

/**
 * Splits a server group (or cluster) name. Like Frigga: the trailing `-vNNN` is the sequence, the
 * first `-` ends the app, the second ends the stack, and the rest (dashes included) is the detail.
 */
export function parseName(name: string): FriggaNames {
  const push = PUSH.exec(name);
  const cluster = push ? push[1]! : name;
  const sequence = push ? Number(push[2]) : undefined;
  const parts = cluster.split('-');
  const app = parts[0] ?? '';
  const stack = parts.length > 1 && parts[1] !== '' ? parts[1] : undefined;
  const detail = parts.length > 2 ? parts.slice(2).join('-') || undefined : undefined;
  return { app, cluster, ...(stack !== undefined ? { stack } : {}), ...(detail !== undefined ? { detail } : {}), ...(sequence !== undefined ? { sequence } : {}) };
}

/** Builds a cluster name from its parts: `app`, `app-stack`, `app--detail`, `app-stack-detail`. */
export function clusterName(app: string, stack?: string, detail?: string): string {
  if (detail) return `${app}-${stack ?? ''}-${detail}`;
  if (stack) return `${app}-${stack}`;
  return app;
}

/** `cluster-vNNN`, zero-padded to three digits (wrapping after 999 as Clouddriver does). */
export function serverGroupName(cluster: string, sequence: number): string {
  return `${cluster}-v${String(sequence % 1000).padStart(3, '0')}`;
}

/** The moniker JSON Deck and Orca read. */
export function monikerOf(name: string): Record<string, unknown> & { app: string; cluster: string } {
  const names = parseName(name);
  return {
    app: names.app,
    cluster: names.cluster,
    ...(names.stack !== undefined ? { stack: names.stack } : {}),
    ...(names.detail !== undefined ? { detail: names.detail } : {}),
    ...(names.sequence !== undefined ? { sequence: names.sequence } : {}),
  };
}
