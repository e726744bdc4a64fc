/**
 * Spinnaker's naming convention (Netflix Frigga `Names`): a server group is `app-stack-detail-vNNN`,
 * its cluster is the name without the push suffix. Shared here so every provider parses and builds
 * names the same way Clouddriver does.
 */
import type { Moniker } from './read-models.js';

/** The parts of a name `app-stack-detail[-vNNN]`; absent parts are left out rather than empty. */
export interface ServerGroupNameParts {
  /** The application: everything before the first `-`. */
  readonly app: string;
  /** The stack: between the first and second `-`; absent when empty (`app--detail`). */
  readonly stack?: string;
  /** The detail: everything after the second `-`, dashes included. */
  readonly detail?: string;
  /** `app-stack-detail`: the name without the push sequence. */
  readonly cluster: string;
  /** The push sequence `NNN` of a trailing `-vNNN` (three digits or more). */
  readonly sequence?: number;
}

const PUSH = /^(.*)-v(\d{3,})$/;

/**
 * Splits a server group, cluster or load balancer name the way Frigga's `Names.parseName` does: a
 * trailing `-vNNN` is the sequence and the rest the cluster, whose first `-` ends the app, second ends
 * the stack, and the rest (dashes included) is the detail. `app-main-vx` has no sequence (detail `vx`).
 */
export function parseServerGroupName(name: string): ServerGroupNameParts {
  const push = PUSH.exec(name);
  const cluster = push ? push[1]! : name;
  const [app = '', stack, ...rest] = cluster.split('-');
  const detail = rest.join('-');
  return {
    app,
    cluster,
    ...(stack ? { stack } : {}),
    ...(detail ? { detail } : {}),
    ...(push ? { sequence: Number(push[2]) } : {}),
  };
}

/** A cluster name from its parts, as Frigga builds it: `app`, `app-stack`, `app--detail` or `app-stack-detail`. */
export function clusterName(app: string, stack?: string, detail?: string): string {
  if (detail) return `${app}-${stack ?? ''}-${detail}`;
  return stack ? `${app}-${stack}` : app;
}

/** `cluster-vNNN`, zero-padded to three digits; sequences wrap after 999 as in Clouddriver's deploy handlers. */
export function serverGroupName(cluster: string, sequence: number): string {
  return `${cluster}-v${String(sequence % 1000).padStart(3, '0')}`;
}

/**
 * The push sequence for a new server group of `cluster`: one more than the highest sequence among
 * `existingNames` in that cluster, 0 when it has none. Names of other clusters and names without a
 * `-vNNN` suffix are ignored. Pass the result to {@link serverGroupName}, which wraps it after 999.
 */
export function nextSequence(existingNames: Iterable<string>, cluster: string): number {
  let highest = -1;
  for (const name of existingNames) {
    const parts = parseServerGroupName(name);
    if (parts.cluster === cluster && parts.sequence !== undefined) highest = Math.max(highest, parts.sequence);
  }
  return highest + 1;
}

/** The moniker Clouddriver reports for a name (what Deck and Orca read): its parsed parts. */
export function monikerOf(name: string): Moniker & { readonly cluster: string } {
  const { app, cluster, stack, detail, sequence } = parseServerGroupName(name);
  return {
    app,
    cluster,
    ...(stack !== undefined ? { stack } : {}),
    ...(detail !== undefined ? { detail } : {}),
    ...(sequence !== undefined ? { sequence } : {}),
  };
}
