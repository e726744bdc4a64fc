/** A Spinnaker name (`app-stack-detail-v003`) split the way Frigga does. */
export interface ParsedName {
  readonly app: string;
  readonly stack?: string;
  readonly detail?: string;
  readonly cluster: string;
  readonly sequence?: number;
}

const VERSION = /^(.*)-v(\d{3,})$/;

/** Splits a server group or cluster name; a name without `-vNNN` is its own cluster. */
export function parseName(name: string): ParsedName {
  const versioned = VERSION.exec(name);
  const cluster = versioned ? versioned[1]! : name;
  const [app = cluster, stack, ...detail] = cluster.split('-');
  return {
    app,
    cluster,
    ...(stack ? { stack } : {}),
    ...(detail.length > 0 ? { detail: detail.join('-') } : {}),
    ...(versioned ? { sequence: Number(versioned[2]) } : {}),
  };
}

/** Clouddriver's moniker for a name. */
export function monikerOf(name: string): { app: string; cluster: string; stack?: string; detail?: string; sequence?: number } {
  const { app, cluster, stack, detail, sequence } = parseName(name);
  return { app, cluster, ...(stack ? { stack } : {}), ...(detail ? { detail } : {}), ...(sequence !== undefined ? { sequence } : {}) };
}
