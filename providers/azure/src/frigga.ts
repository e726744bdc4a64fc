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

/** Splits a server group (or cluster) name: trailing `-vNNN` is the sequence, then app, stack, detail. */
export function parseName(name: string): FriggaNames {
  const push = PUSH.exec(name);
  const cluster = push ? push[1]! : name;
  const parts = cluster.split('-');
  const stack = parts.length > 1 && parts[1] !== '' ? parts[1] : undefined;
  const detail = parts.length > 2 ? parts.slice(2).join('-') || undefined : undefined;
  return {
    app: parts[0] ?? '',
    cluster,
    ...(stack !== undefined ? { stack } : {}),
    ...(detail !== undefined ? { detail } : {}),
    ...(push ? { sequence: Number(push[2]) } : {}),
  };
}

/** `app`, `app-stack`, `app--detail` or `app-stack-detail`. */
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
  const n = parseName(name);
  return {
    app: n.app,
    cluster: n.cluster,
    ...(n.stack !== undefined ? { stack: n.stack } : {}),
    ...(n.detail !== undefined ? { detail: n.detail } : {}),
    ...(n.sequence !== undefined ? { sequence: n.sequence } : {}),
  };
}
