import { accountOperation, validateRegionalName } from '@stratus/provider-kit';
import type { OperationDefinition } from '@stratus/plugin-api';
import { azureCall } from '../azure-errors.js';
import { parseServerGroupName } from '@stratus/plugin-api';
import { Keys, Types } from '../keys.js';
import { resourceGroupOf } from '../plain.js';
import type { AzureOperationDeps } from './azure-operation-deps.js';
import { optString, regionOf, str, validateName, validateResourceGroup, nameRules } from './description.js';
import { findSecurityGroup } from './live-lookups.js';

const PHASE_UPSERT = 'UPSERT_SECURITY_GROUP';
const PHASE_DELETE = 'DELETE_SECURITY_GROUP';
const PROTOCOLS = ['Tcp', 'Udp', 'Icmp', 'Esp', 'Ah', '*'];
const PORT_RANGE = /^(\*|\d{1,5}(-\d{1,5})?)$/;

/** Clouddriver's `UpsertAzureSecurityGroupDescription` (the fields we use). */
export interface UpsertSecurityGroupDescription {
  readonly credentials?: string | undefined;
  readonly securityGroupName: string;
  readonly region: string;
  readonly input: Record<string, unknown>;
}

/** A rule as ARM takes it, with Clouddriver's defaults (any port and address on the far side). */
function ruleOf(r: Record<string, unknown>): Record<string, unknown> {
  const protocol = str(r.protocol) || '*';
  return {
    name: r.name,
    ...(optString(r.description) ? { description: r.description } : {}),
    protocol: protocol === '*' ? '*' : protocol[0]!.toUpperCase() + protocol.slice(1).toLowerCase(),
    access: r.access ?? 'Allow',
    direction: r.direction ?? 'Inbound',
    priority: r.priority,
    sourceAddressPrefix: r.sourceAddressPrefix ?? '*',
    sourcePortRange: r.sourcePortRange ?? '*',
    destinationAddressPrefix: r.destinationAddressPrefix ?? '*',
    destinationPortRange: r.destinationPortRange ?? '*',
  };
}

export function upsertSecurityGroupOperation(deps: AzureOperationDeps): OperationDefinition<UpsertSecurityGroupDescription> {
  return accountOperation({
    name: 'upsertSecurityGroup',
    accounts: deps.accounts,
    convert: (input) => ({
      securityGroupName: str(input.securityGroupName ?? input.name),
      region: regionOf(input),
      input,
    }),
    async operate(d, account, context) {
      const clients = deps.clients.forAccount(account);
      const name = d.securityGroupName;
      await context.task.updateStatus(PHASE_UPSERT, `Initializing upsert of network security group ${name} in ${account.name}/${d.region}`);
      const existing = await findSecurityGroup(clients, d.region, name, context.signal);
      const resourceGroup = optString(d.input.resourceGroupName) ?? (existing ? resourceGroupOf(existing.id) : account.defaultResourceGroup);
      const rules = ((d.input.securityRules as Record<string, unknown>[]) ?? []).map(ruleOf);
      await context.task.updateStatus(
        PHASE_UPSERT,
        `${existing ? 'Updating' : 'Creating'} network security group ${name} with ${rules.length} rule(s) in resource group ${resourceGroup}`,
      );
      await azureCall(`Upserting network security group ${name}`, () =>
        clients.network.networkSecurityGroups.beginCreateOrUpdateAndWait(
          resourceGroup,
          name,
          {
            location: d.region,
            securityRules: rules as never,
            tags: { ...(existing?.tags ?? {}), ...(optString(d.input.appName) ? { appName: d.input.appName as string } : {}) },
          },
          { ...clients.pollOptions, abortSignal: context.signal },
        ),
      );
      await deps.refresher.agent(account.name, d.region, 'AzureSecurityGroupCachingAgent');
      await context.task.updateStatus(PHASE_UPSERT, `Done upserting network security group ${name}`);
      return undefined;
    },
    validate(d, errors) {
      validateRegionalName(errors, nameRules(deps.accounts), d, 'securityGroupName', d.securityGroupName);
      validateResourceGroup(errors, d.input.resourceGroupName);
      const rules = d.input.securityRules;
      if (rules === undefined) return;
      if (!Array.isArray(rules)) {
        errors.reject('securityRules', 'invalid', 'securityRules must be a list of rules');
        return;
      }
      const priorities = new Map<string, number>();
      rules.forEach((raw, i) => {
        const field = `securityRules[${i}]`;
        if (!raw || typeof raw !== 'object') return errors.reject(field, 'invalid', `${field} must be an object`);
        const r = raw as Record<string, unknown>;
        validateName(errors, r.name, `${field}.name`);
        if (typeof r.priority !== 'number' || !Number.isInteger(r.priority) || r.priority < 100 || r.priority > 4096)
          errors.reject(`${field}.priority`, 'invalid', `${field}.priority must be an integer from 100 to 4096`);
        else {
          const key = `${String(r.direction ?? 'Inbound')}:${r.priority}`;
          if (priorities.has(key))
            errors.reject(`${field}.priority`, 'invalid', `${field}.priority ${r.priority} is already used by securityRules[${priorities.get(key)}]`);
          priorities.set(key, i);
        }
        if (r.protocol !== undefined && !PROTOCOLS.some((p) => p.toLowerCase() === String(r.protocol).toLowerCase()))
          errors.reject(`${field}.protocol`, 'invalid', `${field}.protocol must be one of ${PROTOCOLS.join(', ')}`);
        if (r.access !== undefined && r.access !== 'Allow' && r.access !== 'Deny')
          errors.reject(`${field}.access`, 'invalid', `${field}.access must be Allow or Deny`);
        if (r.direction !== undefined && r.direction !== 'Inbound' && r.direction !== 'Outbound')
          errors.reject(`${field}.direction`, 'invalid', `${field}.direction must be Inbound or Outbound`);
        for (const port of ['sourcePortRange', 'destinationPortRange']) {
          if (r[port] !== undefined && (typeof r[port] !== 'string' || !PORT_RANGE.test(r[port] as string)))
            errors.reject(`${field}.${port}`, 'invalid', `${field}.${port} must be *, a port or a range such as 8000-8080`);
        }
      });
    },
    applicationsOf: (d) => (d.securityGroupName ? [parseServerGroupName(d.securityGroupName).app] : []),
  });
}

export interface DeleteSecurityGroupDescription {
  readonly credentials?: string | undefined;
  readonly securityGroupName: string;
  readonly region: string;
}

export function deleteSecurityGroupOperation(deps: AzureOperationDeps): OperationDefinition<DeleteSecurityGroupDescription> {
  return accountOperation({
    name: 'deleteSecurityGroup',
    accounts: deps.accounts,
    convert: (input) => ({
      securityGroupName: str(input.securityGroupName ?? input.name),
      region: regionOf(input),
    }),
    async operate(d, account, context) {
      const clients = deps.clients.forAccount(account);
      const name = d.securityGroupName;
      await context.task.updateStatus(PHASE_DELETE, `Initializing delete of network security group ${name} in ${account.name}/${d.region}`);
      const existing = await findSecurityGroup(clients, d.region, name, context.signal);
      if (!existing) {
        await context.task.updateStatus(PHASE_DELETE, `Network security group ${name} does not exist; nothing to delete`);
        return undefined;
      }
      const resourceGroup = resourceGroupOf(existing.id);
      await azureCall(`Deleting network security group ${name}`, () =>
        clients.network.networkSecurityGroups.beginDeleteAndWait(resourceGroup, name, { ...clients.pollOptions, abortSignal: context.signal }),
      );
      await deps.refresher.agent(account.name, d.region, 'AzureSecurityGroupCachingAgent', {
        [Types.securityGroups]: [Keys.securityGroup(name, resourceGroup, d.region, account.name)],
      });
      await context.task.updateStatus(PHASE_DELETE, `Deleted network security group ${name}`);
      return undefined;
    },
    validate(d, errors) {
      validateRegionalName(errors, nameRules(deps.accounts), d, 'securityGroupName', d.securityGroupName);
    },
  });
}
