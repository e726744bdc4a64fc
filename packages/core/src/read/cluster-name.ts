/** The parts of a Frigga-style name `app-stack-detail[-vNNN]`. */
export interface ParsedClusterName {
  readonly app: string;
  readonly cluster: string;
  readonly stack?: string;
  readonly detail?: string;
  readonly sequence?: number;
}

const PUSH = /^(.*)-v(\d{3,})$/;

/**
 * Splits a server group or cluster name the way Frigga's `Names.parseName` does for the common
 * cases: an optional `-vNNN` push suffix, then `app`, `stack` and everything after as `detail`.
 */
export function parseClusterName(name: string): ParsedClusterName {
  const push = PUSH.exec(name);
  const cluster = push ? push[1]! : name;
  const sequence = push ? Number(push[2]) : undefined;
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
