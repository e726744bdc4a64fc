import { parseServerGroupName, type AtomicOperation, type OperationDefinition } from '@stratus/plugin-api';
import { regionOfZone } from '../plain.js';
import { defaultConsulAgentUrl, setConsulMaintenance, type ConsulAgentUrl } from './consul-agent.js';
import { parseConsulConfig } from './consul-config.js';
import { accountNameOf, optString, str, validateAccount, validateInstanceNames, validateRegion } from './description.js';
import type { GceOperationDeps } from './gce-operation-deps.js';

/** Clouddriver's `GoogleInstanceListDescription` as Orca sends it for the discovery operations. */
export interface InstanceListDescription {
  readonly credentials?: string | undefined;
  readonly region: string;
  readonly instanceIds: unknown;
  readonly serverGroupName?: string;
}

function discoveryOperation(deps: GceOperationDeps, disable: boolean, agentUrl: ConsulAgentUrl): OperationDefinition<InstanceListDescription> {
  const phase = disable ? 'DISABLE_INSTANCES_IN_DISCOVERY' : 'ENABLE_INSTANCES_IN_DISCOVERY';
  const verb = disable ? 'disable' : 'enable';
  return {
    name: disable ? 'disableInstancesInDiscovery' : 'enableInstancesInDiscovery',
    converter: {
      convertDescription: (input) => {
        const zone = optString(input.zone);
        const serverGroupName = optString(input.serverGroupName ?? input.asgName);
        return {
          credentials: accountNameOf(input),
          region: str(input.region) || (zone ? regionOfZone(zone) : ''),
          instanceIds: input.instanceIds,
          ...(serverGroupName ? { serverGroupName } : {}),
        };
      },
      convertOperation: (d): AtomicOperation => ({
        async operate(_prior, context) {
          const account = deps.accounts.get(d.credentials!)!;
          const consul = parseConsulConfig((account as { consul?: unknown }).consul)!;
          const names = d.instanceIds as string[];
          await context.task.updateStatus(phase, `Initializing ${verb} server group operation for instances ${names.join(', ')} in ${d.region}`);
          for (const name of names) {
            context.signal.throwIfAborted();
            await context.task.updateStatus(phase, `${disable ? 'Disabling' : 'Enabling'} instance ${name}`);
            await setConsulMaintenance(agentUrl(name, consul.agentPort), disable, context.signal);
          }
          await context.task.updateStatus(phase, `Done ${disable ? 'disabling' : 'enabling'} ${names.length} instance(s) in discovery`);
          return undefined;
        },
      }),
    },
    validator: {
      validate(d, errors) {
        const account = validateAccount(errors, deps.accounts, d.credentials);
        validateRegion(errors, account, d.region);
        validateInstanceNames(errors, d.instanceIds);
        if (account && !parseConsulConfig((account as { consul?: unknown }).consul)?.enabled) {
          errors.reject('credentials', 'consulNotEnabled', `Consul isn't enabled for account ${account.name} (set consul.enabled on the account)`);
        }
      },
    },
    accountsOf: (d) => (d.credentials ? [d.credentials] : []),
    applicationsOf: (d) => (d.serverGroupName ? [parseServerGroupName(d.serverGroupName).app] : []),
  };
}

/**
 * Clouddriver-google's `enableInstancesInDiscovery` / `disableInstancesInDiscovery`: GCE "discovery"
 * is Consul, so each instance's Consul agent leaves or enters maintenance mode. Accounts without
 * `consul.enabled` are refused, as Clouddriver refuses them.
 */
export function enableInstancesInDiscoveryOperation(
  deps: GceOperationDeps,
  agentUrl: ConsulAgentUrl = defaultConsulAgentUrl,
): OperationDefinition<InstanceListDescription> {
  return discoveryOperation(deps, false, agentUrl);
}

export function disableInstancesInDiscoveryOperation(
  deps: GceOperationDeps,
  agentUrl: ConsulAgentUrl = defaultConsulAgentUrl,
): OperationDefinition<InstanceListDescription> {
  return discoveryOperation(deps, true, agentUrl);
}
