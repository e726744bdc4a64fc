import type { OperationContext, OperationDefinition, SnapshotStore, ValidationErrors } from '@stratus/plugin-api';
import { parseServerGroupName } from '@stratus/plugin-api';
import { accountOperation } from '@stratus/provider-kit';
import type { GceAccount } from '../accounts/gce-account.js';
import type { GceAccountClients } from '../accounts/gce-clients.js';
import { GLOBAL } from '../keys.js';
import { refreshDeployed } from './create-server-group.js';
import { validateAccount } from './description.js';
import type { GceOperationDeps } from './gce-operation-deps.js';
import { RESTORE_PHASE, restoreInfrastructure } from './snapshot-restore.js';
import { serializeApplication, TF } from './snapshot-serializer.js';

const SAVE_PHASE = 'SAVE_SNAPSHOT';

/** Clouddriver's `SaveSnapshotDescription` (`restoreSnapshot` adds `snapshotTimestamp`). */
export interface SnapshotDescription {
  readonly credentials?: string | undefined;
  readonly applicationName: string;
  /** Epoch ms of the version to restore, as Front50 stamped it (`restoreSnapshot` only). */
  readonly snapshotTimestamp?: number;
  readonly rawTimestamp?: unknown;
}

const APPLICATION = /^[a-zA-Z0-9]+$/;

function convert(input: Record<string, unknown>): Omit<SnapshotDescription, 'credentials'> {
  const raw = input.snapshotTimestamp;
  // Orca passes the stage context on; Deck's timestamp may arrive as a number or a string of digits.
  const timestamp = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : undefined;
  return {
    applicationName: typeof input.applicationName === 'string' ? input.applicationName : '',
    ...(timestamp !== undefined ? { snapshotTimestamp: timestamp } : {}),
    rawTimestamp: raw,
  };
}

function validate(deps: GceOperationDeps, d: SnapshotDescription, errors: ValidationErrors, needsTimestamp: boolean): void {
  validateAccount(errors, deps.accounts, d.credentials);
  if (!d.applicationName) errors.reject('applicationName', 'empty', 'applicationName is required');
  else if (!APPLICATION.test(parseServerGroupName(d.applicationName).app))
    errors.reject('applicationName', 'invalid', 'applicationName must be an application name (letters and digits)');
  if (!needsTimestamp) return;
  if (d.rawTimestamp === undefined || d.rawTimestamp === null || d.rawTimestamp === '')
    errors.reject('snapshotTimestamp', 'empty', 'snapshotTimestamp (the epoch ms Front50 stamped the snapshot with) is required');
  else if (d.snapshotTimestamp === undefined || !Number.isSafeInteger(d.snapshotTimestamp) || d.snapshotTimestamp <= 0)
    errors.reject('snapshotTimestamp', 'invalid', 'snapshotTimestamp must be a positive integer (epoch ms)');
}

function snapshotStore(context: OperationContext): SnapshotStore {
  if (!context.snapshots) throw new Error('Snapshots are kept in Front50, which is not configured (services.front50.enabled and baseUrl)');
  return context.snapshots;
}

const appOf = (d: SnapshotDescription) => (d.applicationName ? [parseServerGroupName(d.applicationName).app] : []);

/** What a snapshot operation works with once its description is checked. */
interface SnapshotRun {
  readonly d: SnapshotDescription;
  readonly store: SnapshotStore;
  readonly account: GceAccount;
  readonly clients: GceAccountClients;
  readonly context: OperationContext;
}

/** `saveSnapshot` and `restoreSnapshot` alike: the description, its checks, the account and Front50's store. */
function snapshotOperation(
  deps: GceOperationDeps,
  name: string,
  needsTimestamp: boolean,
  run: (r: SnapshotRun) => Promise<void>,
): OperationDefinition<SnapshotDescription> {
  return accountOperation({
    name,
    accounts: deps.accounts,
    convert,
    validate: (d, errors) => validate(deps, d, errors, needsTimestamp),
    operate: async (d, account, context) => {
      const store = snapshotStore(context);
      await run({ d, store, account, clients: deps.clients.forAccount(account), context });
      // Clouddriver's operations return nothing; Orca reads only the task's status.
      return undefined;
    },
    applicationsOf: appOf,
  });
}

/** `saveSnapshot`: the application's GCE resources in one account, as Terraform-style JSON, saved to Front50. */
export function saveSnapshotOperation(deps: GceOperationDeps): OperationDefinition<SnapshotDescription> {
  return snapshotOperation(deps, 'saveSnapshot', false, async ({ d, store, account, clients, context }) => {
    const application = d.applicationName;
    await context.task.updateStatus(
      SAVE_PHASE,
      `Serializing server groups, load balancers and security groups for the application ${application} in account ${account.name}`,
    );
    const { infrastructure, skipped } = await serializeApplication(clients, account, application);
    for (const what of skipped) await context.task.updateStatus(SAVE_PHASE, `Left out ${what}`);
    const counts = Object.values(TF)
      .map((type) => [type, Object.keys(infrastructure[type] ?? {}).length] as const)
      .filter(([, n]) => n > 0)
      .map(([type, n]) => `${n} ${type}`);
    await context.task.updateStatus(SAVE_PHASE, `Saving snapshot of ${application} in ${account.name} to Front50: ${counts.join(', ') || 'no resources'}`);
    await store.save({ application, account: account.name, infrastructure, configLang: 'TERRAFORM' });
    await context.task.updateStatus(SAVE_PHASE, `Saved snapshot of ${application} in ${account.name}`);
  });
}

/** `restoreSnapshot`: the snapshot Front50 holds at `snapshotTimestamp`, applied to the live account (see snapshot-restore.ts). */
export function restoreSnapshotOperation(deps: GceOperationDeps): OperationDefinition<SnapshotDescription> {
  return snapshotOperation(deps, 'restoreSnapshot', true, async ({ d, store, account, clients, context }) => {
    const application = d.applicationName;
    const timestamp = d.snapshotTimestamp!;
    await context.task.updateStatus(RESTORE_PHASE, `Fetching snapshot ${timestamp} of ${application} in ${account.name} from Front50`);
    const snapshot = await store.get(application, account.name, timestamp);
    if (!snapshot) throw new Error(`Front50 has no snapshot of ${application} in ${account.name} with timestamp ${timestamp}`);
    if (snapshot.configLang !== undefined && snapshot.configLang !== 'TERRAFORM')
      throw new Error(`Snapshot ${timestamp} is in ${String(snapshot.configLang)}; only TERRAFORM snapshots can be restored`);
    await context.task.updateStatus(RESTORE_PHASE, `Restoring snapshot with timestamp ${timestamp} for application ${application} in account ${account.name}`);
    const report = await restoreInfrastructure(clients, account, snapshot.infrastructure, context.task, context.signal);
    for (const group of report.serverGroups) await refreshDeployed(deps, account.name, group.region, group.name);
    for (const region of report.loadBalancerRegions) await deps.refresher.agent(account.name, region, 'GoogleNetworkLoadBalancerCachingAgent');
    if (report.firewallsChanged) await deps.refresher.agent(account.name, GLOBAL, 'GoogleSecurityGroupCachingAgent');
    const list = (items: string[]) => (items.length > 0 ? items.join(', ') : 'nothing');
    await context.task.updateStatus(
      RESTORE_PHASE,
      `Restored snapshot ${timestamp}: created ${list(report.created)}; updated ${list(report.updated)}; ${report.unchanged.length} already as saved`,
    );
  });
}
