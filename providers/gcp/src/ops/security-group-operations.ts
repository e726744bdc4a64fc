import type { AtomicOperation, OperationDefinition, ValidationErrors } from '@stratus/plugin-api';
import { parseServerGroupName } from '@stratus/plugin-api';
import { GLOBAL, Keys, Types } from '../keys.js';
import { awaitOperation, gceCall, gceErrorStatus } from '../operations.js';
import { accountNameOf, optString, stringList, str, validateAccount, validateName, validateStringList } from './description.js';
import type { GceOperationDeps } from './gce-operation-deps.js';

const PHASE_UPSERT = 'UPSERT_SECURITY_GROUP';
const PHASE_DELETE = 'DELETE_SECURITY_GROUP';
const CIDR = /^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/;
const PORTS = /^\d{1,5}(-\d{1,5})?$/;
const PROTOCOLS = new Set(['tcp', 'udp', 'icmp', 'esp', 'ah', 'sctp', 'ipip', 'all']);

/** Clouddriver's `UpsertGoogleSecurityGroupDescription` (a firewall rule). */
export interface UpsertSecurityGroupDescription {
  readonly credentials?: string | undefined;
  readonly securityGroupName: string;
  readonly input: Record<string, unknown>;
}

function validateAllowed(errors: ValidationErrors, value: unknown): void {
  if (!Array.isArray(value) || value.length === 0) {
    errors.reject('allowed', 'empty', 'allowed must list at least one {ipProtocol, portRanges}');
    return;
  }
  value.forEach((raw, i) => {
    const rule = (raw ?? {}) as Record<string, unknown>;
    const protocol = rule.ipProtocol ?? rule.IPProtocol;
    if (typeof protocol !== 'string' || !(PROTOCOLS.has(protocol) || /^\d+$/.test(protocol)))
      errors.reject(`allowed[${i}].ipProtocol`, 'invalid', `allowed[${i}].ipProtocol must be tcp, udp, icmp, … or a protocol number`);
    const ranges = rule.portRanges ?? rule.ports;
    if (ranges !== undefined) {
      if (!Array.isArray(ranges)) errors.reject(`allowed[${i}].portRanges`, 'invalid', `allowed[${i}].portRanges must be a list such as ["80", "8000-8080"]`);
      else
        ranges.forEach((r, j) => {
          const text = String(r);
          const [from, to] = text.split('-').map(Number) as [number, number | undefined];
          if (!PORTS.test(text) || from > 65535 || (to !== undefined && (to > 65535 || to < from)))
            errors.reject(`allowed[${i}].portRanges[${j}]`, 'invalid', `'${text}' is not a port or port range`);
        });
    }
  });
}

/** The firewall body a description asks for. */
function firewallOf(project: string, d: UpsertSecurityGroupDescription): Record<string, unknown> {
  const input = d.input;
  const sourceTags = stringList(input.sourceTags);
  const sourceRanges = stringList(input.sourceRanges);
  return {
    name: d.securityGroupName,
    description: optString(input.description) ?? '',
    network: `projects/${project}/global/networks/${optString(input.network) ?? 'default'}`,
    direction: 'INGRESS',
    priority: typeof input.priority === 'number' ? input.priority : 1000,
    allowed: (input.allowed as Record<string, unknown>[]).map((rule) => {
      const ports = (rule.portRanges ?? rule.ports) as unknown[] | undefined;
      return { IPProtocol: String(rule.ipProtocol ?? rule.IPProtocol), ...(ports && ports.length > 0 ? { ports: ports.map(String) } : {}) };
    }),
    // A rule with neither source ranges nor tags would admit nothing; GCE itself defaults to 0.0.0.0/0.
    sourceRanges: sourceRanges.length > 0 || sourceTags.length > 0 ? sourceRanges : ['0.0.0.0/0'],
    sourceTags,
    targetTags: stringList(input.targetTags),
  };
}

/** Creates the firewall when missing, else patches it to match the description. */
export function upsertSecurityGroupOperation(deps: GceOperationDeps): OperationDefinition<UpsertSecurityGroupDescription> {
  return {
    name: 'upsertSecurityGroup',
    converter: {
      convertDescription: (input) => ({ credentials: accountNameOf(input), securityGroupName: str(input.securityGroupName ?? input.name), input }),
      convertOperation: (d): AtomicOperation => ({
        async operate(_prior, context) {
          const account = deps.accounts.get(d.credentials!)!;
          const clients = deps.clients.forAccount(account);
          const name = d.securityGroupName;
          await context.task.updateStatus(PHASE_UPSERT, `Initializing upsert of firewall ${name} in ${account.name}`);
          const existing = await clients.firewalls.get({ project: account.project, firewall: name }, clients.callOptions).then(
            ([f]) => f,
            (error: unknown) => {
              if (gceErrorStatus(error) === 404) return undefined;
              throw new Error(`Reading firewall ${name} failed: ${(error as Error).message}`, { cause: error });
            },
          );
          const body = firewallOf(account.project, d);
          if (existing) {
            await context.task.updateStatus(PHASE_UPSERT, `Updating firewall ${name}`);
            await awaitOperation(
              clients,
              await gceCall(`Updating firewall ${name}`, () =>
                clients.firewalls.patch({ project: account.project, firewall: name, firewallResource: body }, clients.callOptions),
              ),
              { signal: context.signal },
            );
          } else {
            await context.task.updateStatus(PHASE_UPSERT, `Creating firewall ${name}`);
            await awaitOperation(
              clients,
              await gceCall(`Creating firewall ${name}`, () =>
                clients.firewalls.insert({ project: account.project, firewallResource: body }, clients.callOptions),
              ),
              { signal: context.signal },
            );
          }
          await deps.refresher.agent(account.name, GLOBAL, 'GoogleSecurityGroupCachingAgent');
          await context.task.updateStatus(PHASE_UPSERT, `Firewall ${name} is up to date`);
          return undefined;
        },
      }),
    },
    validator: {
      validate(d, errors) {
        validateAccount(errors, deps.accounts, d.credentials);
        validateName(errors, d.securityGroupName || undefined, 'securityGroupName');
        validateName(errors, d.input.network, 'network', false);
        validateAllowed(errors, d.input.allowed);
        for (const field of ['sourceRanges', 'sourceTags', 'targetTags']) validateStringList(errors, d.input[field], field);
        stringList(d.input.sourceRanges).forEach((r, i) => {
          if (!CIDR.test(r)) errors.reject(`sourceRanges[${i}]`, 'invalid', `'${r}' is not an IPv4 CIDR`);
        });
        for (const field of ['sourceTags', 'targetTags']) stringList(d.input[field]).forEach((t, i) => validateName(errors, t, `${field}[${i}]`));
        const priority = d.input.priority;
        if (priority !== undefined && (typeof priority !== 'number' || !Number.isInteger(priority) || priority < 0 || priority > 65535))
          errors.reject('priority', 'invalid', 'priority must be an integer from 0 to 65535');
      },
    },
    accountsOf: (d) => (d.credentials ? [d.credentials] : []),
    applicationsOf: (d) => (d.securityGroupName ? [parseServerGroupName(d.securityGroupName).app] : []),
  };
}

export interface DeleteSecurityGroupDescription {
  readonly credentials?: string | undefined;
  readonly securityGroupName: string;
}

export function deleteSecurityGroupOperation(deps: GceOperationDeps): OperationDefinition<DeleteSecurityGroupDescription> {
  return {
    name: 'deleteSecurityGroup',
    converter: {
      convertDescription: (input) => ({ credentials: accountNameOf(input), securityGroupName: str(input.securityGroupName ?? input.name) }),
      convertOperation: (d): AtomicOperation => ({
        async operate(_prior, context) {
          const account = deps.accounts.get(d.credentials!)!;
          const clients = deps.clients.forAccount(account);
          const name = d.securityGroupName;
          await context.task.updateStatus(PHASE_DELETE, `Initializing delete of firewall ${name} in ${account.name}`);
          const existing = await clients.firewalls.get({ project: account.project, firewall: name }, clients.callOptions).then(
            ([f]) => f,
            (error: unknown) => {
              if (gceErrorStatus(error) === 404) return undefined;
              throw error;
            },
          );
          if (!existing) {
            await context.task.updateStatus(PHASE_DELETE, `Firewall ${name} does not exist; nothing to delete`);
            return undefined;
          }
          await awaitOperation(
            clients,
            await gceCall(`Deleting firewall ${name}`, () => clients.firewalls.delete({ project: account.project, firewall: name }, clients.callOptions)),
            { signal: context.signal },
          );
          await deps.refresher.agent(account.name, GLOBAL, 'GoogleSecurityGroupCachingAgent', {
            [Types.securityGroups]: [Keys.securityGroup(name, String(existing.id), GLOBAL, account.name)],
          });
          await context.task.updateStatus(PHASE_DELETE, `Deleted firewall ${name}`);
          return undefined;
        },
      }),
    },
    validator: {
      validate(d, errors) {
        validateAccount(errors, deps.accounts, d.credentials);
        validateName(errors, d.securityGroupName || undefined, 'securityGroupName');
      },
    },
    accountsOf: (d) => (d.credentials ? [d.credentials] : []),
  };
}
