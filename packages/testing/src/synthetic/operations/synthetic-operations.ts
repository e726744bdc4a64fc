import type { AtomicOperation, OperationContext, OperationDefinition } from '@stratus/plugin-api';
import { clusterName, parseServerGroupName, runStep } from '@stratus/plugin-api';
import type { Capacity } from '../synthetic-cloud.js';
import { SyntheticCacheRefresher } from '../synthetic-cache-refresher.js';
import type { SyntheticRuntime } from '../synthetic-runtime.js';
import {
  toCreateServerGroupDescription,
  toResizeDescription,
  toServerGroupDescription,
  toTerminateInstancesDescription,
  type CreateServerGroupDescription,
  type ResizeServerGroupDescription,
  type ServerGroupDescription,
  type TerminateInstancesDescription,
} from './descriptions.js';
import { createServerGroupValidator, resizeServerGroupValidator, serverGroupValidator, terminateInstancesValidator } from './validators.js';

export type SyntheticOperationName =
  'createServerGroup' | 'resizeServerGroup' | 'enableServerGroup' | 'disableServerGroup' | 'destroyServerGroup' | 'terminateInstances';

export interface SyntheticOperationOptions {
  /** Extra milliseconds each operation waits (all, or per operation name), for tests of long-running tasks. */
  readonly delayMs?: number | Partial<Record<SyntheticOperationName, number>>;
}

function delayOf(options: SyntheticOperationOptions, name: SyntheticOperationName): number {
  const delay = typeof options.delayMs === 'number' ? options.delayMs : options.delayMs?.[name];
  return typeof delay === 'number' && delay > 0 ? delay : 0;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** The operations of the synthetic provider, with converters and validators that name bad fields. */
export function syntheticOperations(runtime: SyntheticRuntime, options: SyntheticOperationOptions = {}): OperationDefinition[] {
  const refresher = new SyntheticCacheRefresher(runtime);
  const cloudOf = (account: string) => {
    const known = runtime.account(account);
    if (!known) throw new Error(`Unknown synthetic account ${account}`);
    return known.cloud;
  };

  /** Wraps an operation body with its phase's first status line and the configured delay. */
  const operation = (name: SyntheticOperationName, phase: string, start: string, body: (context: OperationContext) => Promise<unknown>): AtomicOperation => ({
    async operate(_prior, context) {
      await context.task.updateStatus(phase, start);
      await sleep(delayOf(options, name), context.signal);
      return (await body(context)) ?? undefined;
    },
  });

  const serverGroupOperation = (
    name: SyntheticOperationName,
    phase: string,
    verb: string,
    change: (description: ServerGroupDescription) => void,
  ): OperationDefinition<ServerGroupDescription> => ({
    name,
    converter: {
      convertDescription: toServerGroupDescription,
      convertOperation: (d) =>
        operation(name, phase, `Initializing ${verb} of server group ${d.serverGroupName} in ${d.account}/${d.region}...`, async (context) => {
          change(d);
          await context.task.updateStatus(phase, `Refreshing cache for server group ${d.serverGroupName}...`);
          await refresher.refreshServerGroup(d.account, d.region, d.serverGroupName);
          await context.task.updateStatus(phase, `Finished ${verb} of server group ${d.serverGroupName}.`);
        }),
    },
    validator: serverGroupValidator(runtime),
    accountsOf: (d) => [d.account],
    applicationsOf: (d) => [parseServerGroupName(d.serverGroupName).app],
  });

  /**
   * Resumable: the configured delay is split around the per-region creation, and each region's
   * creation (with its cache refresh) is one persisted step, so a task resumed on another replica
   * after its replica died never creates a server group twice.
   */
  const create: OperationDefinition<CreateServerGroupDescription> = {
    name: 'createServerGroup',
    converter: {
      convertDescription: toCreateServerGroupDescription,
      convertOperation: (d): AtomicOperation => ({
        resumable: true,
        async operate(_prior, context) {
          await context.task.updateStatus('DEPLOY', `Initializing deployment to ${d.regions.join(', ')}...`);
          const delay = delayOf(options, 'createServerGroup');
          await runStep(context, 'wait-before-create', () => sleep(Math.floor(delay / 2), context.signal));
          const cloud = cloudOf(d.account);
          const serverGroupNames: string[] = [];
          const deployedNamesByLocation: Record<string, string[]> = {};
          const cluster = clusterName(d.application, d.stack, d.freeFormDetails);
          for (const region of d.regions) {
            const name = await runStep(context, `create:${region}`, async () => {
              await context.task.updateStatus('DEPLOY', `Creating server group in cluster ${cluster} in ${d.account}/${region}...`);
              const capacity = d.capacity as Capacity;
              const group = cloud.createServerGroup({
                region,
                application: d.application,
                ...(d.stack ? { stack: d.stack } : {}),
                ...(d.freeFormDetails ? { freeFormDetails: d.freeFormDetails } : {}),
                capacity: { min: capacity.min ?? capacity.desired, max: capacity.max ?? capacity.desired, desired: capacity.desired ?? capacity.min },
                ...(d.instanceType ? { instanceType: d.instanceType } : {}),
                ...(d.imageId ? { imageId: d.imageId } : {}),
                ...(d.zonesByRegion[region]?.length ? { zones: d.zonesByRegion[region] } : {}),
                loadBalancers: d.loadBalancers,
                securityGroups: d.securityGroups,
                tags: d.tags,
              });
              await context.task.updateStatus('DEPLOY', `Created server group ${group.name} in ${d.account}/${region}; refreshing cache...`);
              await refresher.refreshServerGroup(d.account, region, group.name);
              return group.name;
            });
            serverGroupNames.push(`${region}:${name}`);
            (deployedNamesByLocation[region] ??= []).push(name);
          }
          await runStep(context, 'wait-after-create', async () => {
            // Written only once the creation steps are persisted (a step returns after its checkpoint is stored).
            await context.task.updateStatus('DEPLOY', 'Waiting for the new server groups to come up...');
            await sleep(delay - Math.floor(delay / 2), context.signal);
          });
          await context.task.updateStatus('DEPLOY', `Deployed server groups: ${serverGroupNames.join(', ')}.`);
          return { serverGroupNames, deployedNamesByLocation };
        },
      }),
    },
    validator: createServerGroupValidator(runtime),
    accountsOf: (d) => [d.account],
    applicationsOf: (d) => [d.application],
  };

  const resize: OperationDefinition<ResizeServerGroupDescription> = {
    name: 'resizeServerGroup',
    converter: {
      convertDescription: toResizeDescription,
      convertOperation: (d) =>
        operation('resizeServerGroup', 'RESIZE', `Initializing resize of server group ${d.serverGroupName} in ${d.account}/${d.region}...`, async (context) => {
          const { min, max, desired } = d.capacity as Capacity;
          cloudOf(d.account).resizeServerGroup(d.region, d.serverGroupName, { min, max, desired });
          await context.task.updateStatus('RESIZE', `Resized ${d.serverGroupName} to min ${min}, max ${max}, desired ${desired}; refreshing cache...`);
          await refresher.refreshServerGroup(d.account, d.region, d.serverGroupName);
          await context.task.updateStatus('RESIZE', `Finished resizing server group ${d.serverGroupName}.`);
        }),
    },
    validator: resizeServerGroupValidator(runtime),
    accountsOf: (d) => [d.account],
    applicationsOf: (d) => [parseServerGroupName(d.serverGroupName).app],
  };

  const terminate: OperationDefinition<TerminateInstancesDescription> = {
    name: 'terminateInstances',
    converter: {
      convertDescription: toTerminateInstancesDescription,
      convertOperation: (d) =>
        operation(
          'terminateInstances',
          'TERMINATE_INSTANCES',
          `Initializing termination of ${d.instanceIds.join(', ')} in ${d.account}/${d.region}...`,
          async (context) => {
            const cloud = cloudOf(d.account);
            const groups = new Set(d.instanceIds.flatMap((id) => cloud.getInstance(d.region, id)?.serverGroup ?? []));
            const { terminated, launched } = cloud.terminateInstances(d.region, d.instanceIds);
            const missing = d.instanceIds.filter((id) => !terminated.includes(id));
            if (missing.length > 0) await context.task.updateStatus('TERMINATE_INSTANCES', `Instances not found (already gone?): ${missing.join(', ')}`);
            await context.task.updateStatus(
              'TERMINATE_INSTANCES',
              `Terminated ${terminated.join(', ') || 'nothing'}; replacements launched: ${launched.join(', ') || 'none'}.`,
            );
            for (const group of groups) await refresher.refreshServerGroup(d.account, d.region, group);
            await context.task.updateStatus('TERMINATE_INSTANCES', 'Finished terminating instances.');
            return { terminatedInstanceIds: terminated, launchedInstanceIds: launched };
          },
        ),
    },
    validator: terminateInstancesValidator(runtime),
    accountsOf: (d) => [d.account],
  };

  return [
    create,
    resize,
    serverGroupOperation('enableServerGroup', 'ENABLE_SERVER_GROUP', 'enabling', (d) => cloudOf(d.account).setDisabled(d.region, d.serverGroupName, false)),
    serverGroupOperation('disableServerGroup', 'DISABLE_SERVER_GROUP', 'disabling', (d) => cloudOf(d.account).setDisabled(d.region, d.serverGroupName, true)),
    serverGroupOperation('destroyServerGroup', 'DESTROY_SERVER_GROUP', 'destruction', (d) => {
      if (!cloudOf(d.account).deleteServerGroup(d.region, d.serverGroupName)) {
        throw new Error(`Server group ${d.serverGroupName} not found in ${d.account}/${d.region}`);
      }
    }),
    terminate,
  ];
}
