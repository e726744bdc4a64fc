import type { ServerGroupView } from '@stratus/plugin-api';
import { NotFoundError } from './not-found-error.js';

/** Clouddriver's `TargetServerGroup` specifiers. */
export const TARGETS = ['current', 'previous', 'oldest', 'largest', 'fail'] as const;
export type TargetServerGroup = (typeof TARGETS)[number];

export function parseTarget(value: string): TargetServerGroup | undefined {
  const normalized = value.toLowerCase();
  return (TARGETS as readonly string[]).includes(normalized) ? (normalized as TargetServerGroup) : undefined;
}

export interface TargetSelection {
  readonly target: string;
  /** A region or a zone: a server group matches when its region is `scope` or its zones contain it. */
  readonly scope: string;
  /** Leave disabled server groups out. */
  readonly onlyEnabled: boolean;
  /** `oldest` needs at least two candidates unless this is false. */
  readonly validateOldest: boolean;
  /** For error messages. */
  readonly account: string;
  readonly cluster: string;
  readonly cloudProvider: string;
}

/**
 * Picks one server group the way Clouddriver's `ClusterController.getTargetServerGroup` does:
 * candidates are the server groups in `scope` that have a `createdTime` (enabled ones only with
 * `onlyEnabled`), newest first. `current` is the newest, `previous` the second newest, `oldest` the
 * last, `largest` the one with most instances (newest on a tie), `fail` the only one. Every "not
 * there" case throws {@link NotFoundError}.
 */
export function selectTargetServerGroup(serverGroups: readonly ServerGroupView[], selection: TargetSelection): ServerGroupView {
  const target = parseTarget(selection.target);
  if (!target) throw new NotFoundError(`Target not found (target: ${selection.target})`);

  const candidates = serverGroups
    .filter((serverGroup) => serverGroup.region === selection.scope || (serverGroup.zones ?? []).includes(selection.scope))
    .filter((serverGroup) => !selection.onlyEnabled || !isDisabled(serverGroup))
    .filter((serverGroup) => typeof serverGroup.createdTime === 'number')
    .sort((a, b) => b.createdTime! - a.createdTime!);
  if (candidates.length === 0) {
    throw new NotFoundError(
      `No server groups found (account: ${selection.account}, scope: ${selection.scope}, cluster: ${selection.cluster}, type: ${selection.cloudProvider})`,
    );
  }

  switch (target) {
    case 'current':
      return candidates[0]!;
    case 'previous':
      if (candidates.length === 1) throw new NotFoundError(`Target not found (target: ${selection.target})`);
      return candidates[1]!;
    case 'oldest':
      if (selection.validateOldest && candidates.length === 1) throw new NotFoundError(`Target not found (target: ${selection.target})`);
      return candidates[candidates.length - 1]!;
    case 'largest':
      // A stable sort over newest-first candidates keeps the newest first among equals.
      return [...candidates].sort((a, b) => instanceCount(b) - instanceCount(a))[0]!;
    case 'fail':
      if (candidates.length > 1) {
        throw new NotFoundError(
          `More than one target found (scope: ${selection.scope}, serverGroups: [${candidates.map((serverGroup) => serverGroup.name).join(', ')}])`,
        );
      }
      return candidates[0]!;
  }
}

/** Orca accepts both `disabled` and `isDisabled`; providers may set either. */
export function isDisabled(serverGroup: ServerGroupView): boolean {
  return serverGroup.disabled === true || serverGroup.isDisabled === true;
}

function instanceCount(serverGroup: ServerGroupView): number {
  return serverGroup.instances?.length ?? 0;
}
