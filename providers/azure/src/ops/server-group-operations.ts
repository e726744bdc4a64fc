import type { VirtualMachineScaleSet } from '@azure/arm-compute';
import type { OperationDefinition } from '@stratus/plugin-api';
import type { AzureAccount } from '../accounts/azure-account.js';
import type { AzureAccountClients } from '../accounts/azure-clients.js';
import { azureCall } from '../azure-errors.js';
import { networkOf } from '../caching/server-group-data.js';
import {
  resizeStepSpec,
  serverGroupDescriptionOf,
  serverGroupStepOperation,
  type ServerGroupDescription,
  type StepContext,
  type StepOperationSpec,
} from '@stratus/provider-kit';
import { resourceGroupOf } from '../plain.js';
import type { AzureOperationDeps } from './azure-operation-deps.js';
import { desiredSizeOf, validateSize } from './description.js';
import { routeRulesAway, routeRulesTo } from './load-balancer-membership.js';
import { requireScaleSet, requireTrafficTarget } from './live-lookups.js';
import { refreshRegion } from './cache-refresher.js';

export interface ServerGroupStep extends StepContext<ServerGroupDescription> {
  readonly account: AzureAccount;
  readonly clients: AzureAccountClients;
  /** The scale set, read live. */
  readonly scaleSet: VirtualMachineScaleSet & { name: string };
}

type ServerGroupOperationSpec = StepOperationSpec<ServerGroupStep>;

const lroOptions = (step: ServerGroupStep) => ({ ...step.clients.pollOptions, abortSignal: step.signal });

/** Builds an operation that finds the named scale set live, acts on it and refreshes its region in the cache. */
function serverGroupOperation(deps: AzureOperationDeps, spec: ServerGroupOperationSpec): OperationDefinition<ServerGroupDescription> {
  return serverGroupStepOperation(
    {
      cloudLabel: 'Azure',
      accounts: deps.accounts,
      clients: deps.clients,
      describe: serverGroupDescriptionOf,
      step: async (base) => ({
        ...base,
        scaleSet: await requireScaleSet(base.clients, base.description.region, base.description.serverGroupName, base.signal),
      }),
      refresh: (account, description) => refreshRegion(deps, account.name, description.region),
    },
    spec,
  );
}

export function resizeServerGroupOperation(deps: AzureOperationDeps): OperationDefinition {
  return serverGroupOperation(
    deps,
    resizeStepSpec({ validate: validateSize, desired: desiredSizeOf }, async (step: ServerGroupStep, size) => {
      const { scaleSet } = step;
      await step.task.updateStatus('RESIZE', `Resizing ${scaleSet.name} from ${scaleSet.sku?.capacity ?? 0} to ${size} instances`);
      await azureCall(`Resizing ${scaleSet.name}`, () =>
        step.clients.compute.virtualMachineScaleSets.beginUpdateAndWait(
          resourceGroupOf(scaleSet.id),
          scaleSet.name,
          { sku: { ...scaleSet.sku, capacity: size } },
          lroOptions(step),
        ),
      );
    }),
  );
}

/** Disable: route the load balancer's (or application gateway's) rules away from the group's backend pool, so it takes no traffic. */
export function disableServerGroupOperation(deps: AzureOperationDeps): OperationDefinition {
  return serverGroupOperation(deps, {
    name: 'disableServerGroup',
    phase: 'DISABLE_SERVER_GROUP',
    async act(step) {
      const pools = networkOf(step.scaleSet).pools;
      if (pools.length === 0) await step.task.updateStatus('DISABLE_SERVER_GROUP', `${step.scaleSet.name} is behind no load balancer; nothing to detach`);
      for (const { kind, loadBalancer, pool } of pools) {
        const frontend = await requireTrafficTarget(step.clients, step.description.region, loadBalancer, kind, step.signal);
        const changed = await routeRulesAway(step.clients, frontend, pool, step.task, 'DISABLE_SERVER_GROUP', { signal: step.signal });
        if (!changed) await step.task.updateStatus('DISABLE_SERVER_GROUP', `No rule of ${loadBalancer} routes to ${pool}; already disabled`);
      }
    },
  });
}

/** Enable: route the load balancer's (or application gateway's) rules to the group's backend pool. */
export function enableServerGroupOperation(deps: AzureOperationDeps): OperationDefinition {
  return serverGroupOperation(deps, {
    name: 'enableServerGroup',
    phase: 'ENABLE_SERVER_GROUP',
    async act(step) {
      const pools = networkOf(step.scaleSet).pools;
      if (pools.length === 0) await step.task.updateStatus('ENABLE_SERVER_GROUP', `${step.scaleSet.name} is behind no load balancer; nothing to attach`);
      for (const { kind, loadBalancer, pool } of pools) {
        const frontend = await requireTrafficTarget(step.clients, step.description.region, loadBalancer, kind, step.signal);
        await routeRulesTo(step.clients, frontend, pool, step.task, 'ENABLE_SERVER_GROUP', step.signal);
      }
    },
  });
}

/** Destroy: delete the scale set (and its VMs), then its backend pool on the load balancer or application gateway. */
export function destroyServerGroupOperation(deps: AzureOperationDeps): OperationDefinition {
  return serverGroupOperation(deps, {
    name: 'destroyServerGroup',
    phase: 'DESTROY_SERVER_GROUP',
    async act(step) {
      const { scaleSet } = step;
      await step.task.updateStatus('DESTROY_SERVER_GROUP', `Deleting scale set ${scaleSet.name} in resource group ${resourceGroupOf(scaleSet.id)}`);
      await azureCall(`Deleting ${scaleSet.name}`, () =>
        step.clients.compute.virtualMachineScaleSets.beginDeleteAndWait(resourceGroupOf(scaleSet.id), scaleSet.name, lroOptions(step)),
      );
      for (const { kind, loadBalancer, pool } of networkOf(scaleSet).pools) {
        try {
          const frontend = await requireTrafficTarget(step.clients, step.description.region, loadBalancer, kind, step.signal);
          await routeRulesAway(step.clients, frontend, pool, step.task, 'DESTROY_SERVER_GROUP', { removePool: true, signal: step.signal });
        } catch (error) {
          // The group is gone, which is what was asked; a pool left behind is harmless.
          await step.task.updateStatus('DESTROY_SERVER_GROUP', `Kept backend pool ${pool}: ${(error as Error).message}`);
        }
      }
      await step.task.updateStatus('DESTROY_SERVER_GROUP', `Deleted server group ${scaleSet.name}`);
    },
  });
}

/** The operations on an existing server group, in the order the provider registers them. */
export function serverGroupOperations(deps: AzureOperationDeps): OperationDefinition[] {
  return [resizeServerGroupOperation(deps), enableServerGroupOperation(deps), disableServerGroupOperation(deps), destroyServerGroupOperation(deps)];
}
