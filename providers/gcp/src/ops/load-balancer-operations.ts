import { loadBalancerDescriptionOf, validateRegionalName, type LoadBalancerDescription } from '@stratus/provider-kit';
import type { AtomicOperation, OperationDefinition } from '@stratus/plugin-api';
import type { GceAccount } from '../accounts/gce-account.js';
import type { GceAccountClients } from '../accounts/gce-clients.js';
import { parseServerGroupName } from '@stratus/plugin-api';
import { Keys, Types } from '../keys.js';
import { awaitOperation, gceCall, gceErrorStatus } from '../operations.js';
import { lastSegment } from '../plain.js';
import { str, validateAccount, validateName, validateRegion, nameRules } from './description.js';
import type { GceOperationDeps } from './gce-operation-deps.js';

const PHASE_UPSERT = 'UPSERT_LOAD_BALANCER';
const PHASE_DELETE = 'DELETE_LOAD_BALANCER';
const PROTOCOLS = new Set(['TCP', 'UDP']);
const AFFINITIES = new Set(['NONE', 'CLIENT_IP', 'CLIENT_IP_PROTO']);
const PORT_RANGE = /^\d{1,5}(-\d{1,5})?$/;

/** Clouddriver's `UpsertGoogleLoadBalancerDescription` for a network load balancer (the fields we use). */
export type { LoadBalancerDescription } from '@stratus/provider-kit';

const orUndefinedOn404 = (error: unknown) => {
  if (gceErrorStatus(error) === 404) return undefined;
  throw error;
};

async function waitFor(clients: GceAccountClients, what: string, call: () => Promise<unknown>, signal: AbortSignal): Promise<void> {
  await awaitOperation(clients, await gceCall(what, call), { signal });
}

/**
 * Creates (or completes) a network load balancer: a target pool `<name>-tp` and the regional
 * forwarding rule `<name>` sending to it. A forwarding rule
 * whose protocol or ports differ is recreated (GCE cannot change them in place).
 */
// eslint-disable-next-line max-lines-per-function -- to split after the dedupe merge (another helper is rewriting providers' ops/ now)
export function upsertLoadBalancerOperation(deps: GceOperationDeps): OperationDefinition<LoadBalancerDescription> {
  return {
    name: 'upsertLoadBalancer',
    converter: {
      // GCE's load balancer descriptions name a single `region`.
      convertDescription: (input) => loadBalancerDescriptionOf(input, str(input.region)),
      convertOperation: (d): AtomicOperation => ({
        async operate(_prior, context) {
          const account = deps.accounts.get(d.credentials!)!;
          const clients = deps.clients.forAccount(account);
          const { project } = account;
          const { loadBalancerName: name, region, input } = d;
          const signal = context.signal;
          const ipProtocol = (input.ipProtocol as string | undefined) ?? 'TCP';
          const portRange = input.portRange === undefined ? undefined : normalisePorts(String(input.portRange));
          await context.task.updateStatus(PHASE_UPSERT, `Initializing upsert of load balancer ${name} in ${account.name}/${region}`);

          const poolName = `${name}-tp`;
          const pool = await clients.targetPools.get({ project, region, targetPool: poolName }, clients.callOptions).then(([p]) => p, orUndefinedOn404);
          if (!pool) {
            await context.task.updateStatus(PHASE_UPSERT, `Creating target pool ${poolName}`);
            await waitFor(
              clients,
              `Creating target pool ${poolName}`,
              () =>
                clients.targetPools.insert(
                  {
                    project,
                    region,
                    targetPoolResource: { name: poolName, sessionAffinity: (input.sessionAffinity as string | undefined) ?? 'NONE' },
                  },
                  clients.callOptions,
                ),
              signal,
            );
          }
          const poolLink = pool?.selfLink ?? `projects/${project}/regions/${region}/targetPools/${poolName}`;

          const rule = await clients.forwardingRules.get({ project, region, forwardingRule: name }, clients.callOptions).then(([r]) => r, orUndefinedOn404);
          const differs =
            rule && (rule.IPProtocol !== ipProtocol || (portRange !== undefined && rule.portRange !== portRange) || lastSegment(rule.target) !== poolName);
          if (rule && differs) {
            await context.task.updateStatus(PHASE_UPSERT, `Recreating forwarding rule ${name} (protocol, ports or target changed)`);
            await waitFor(
              clients,
              `Deleting forwarding rule ${name}`,
              () => clients.forwardingRules.delete({ project, region, forwardingRule: name }, clients.callOptions),
              signal,
            );
          }
          if (!rule || differs) {
            await context.task.updateStatus(PHASE_UPSERT, `Creating forwarding rule ${name} (${ipProtocol} ${portRange ?? 'all ports'}) to ${poolName}`);
            await waitFor(
              clients,
              `Creating forwarding rule ${name}`,
              () =>
                clients.forwardingRules.insert(
                  {
                    project,
                    region,
                    forwardingRuleResource: {
                      name,
                      IPProtocol: ipProtocol,
                      ...(portRange ? { portRange } : {}),
                      target: poolLink,
                      loadBalancingScheme: 'EXTERNAL',
                    },
                  },
                  clients.callOptions,
                ),
              signal,
            );
          }
          await deps.refresher.agent(account.name, region, 'GoogleNetworkLoadBalancerCachingAgent');
          await context.task.updateStatus(PHASE_UPSERT, `Load balancer ${name} is up to date in ${region}`);
          return { loadBalancers: { [region]: { name } } };
        },
      }),
    },
    validator: {
      validate(d, errors) {
        const account = validateAccount(errors, deps.accounts, d.credentials);
        validateName(errors, d.loadBalancerName || undefined, 'loadBalancerName');
        if (d.loadBalancerName && d.loadBalancerName.length > 60)
          errors.reject('loadBalancerName', 'invalid', 'loadBalancerName must be at most 60 characters (its target pool adds -tp)');
        validateRegion(errors, account, d.region);
        const input = d.input;
        if (input.loadBalancerType !== undefined && input.loadBalancerType !== 'NETWORK')
          errors.reject('loadBalancerType', 'invalid', 'only NETWORK load balancers are supported');
        if (input.ipProtocol !== undefined && (typeof input.ipProtocol !== 'string' || !PROTOCOLS.has(input.ipProtocol)))
          errors.reject('ipProtocol', 'invalid', 'ipProtocol must be TCP or UDP');
        if (input.portRange !== undefined) {
          const text = String(input.portRange);
          const [from, to] = text.split('-').map(Number) as [number, number | undefined];
          if (!PORT_RANGE.test(text) || from < 1 || from > 65535 || (to !== undefined && (to < from || to > 65535)))
            errors.reject('portRange', 'invalid', `'${text}' is not a port or port range`);
        }
        if (input.sessionAffinity !== undefined && (typeof input.sessionAffinity !== 'string' || !AFFINITIES.has(input.sessionAffinity)))
          errors.reject('sessionAffinity', 'invalid', 'sessionAffinity must be NONE, CLIENT_IP or CLIENT_IP_PROTO');
        // Target pools take only legacy HTTP health checks, which @google-cloud/compute 6.x has no client for.
        if (input.healthCheck !== undefined) errors.reject('healthCheck', 'invalid', 'health checks are not supported for network load balancers yet');
      },
    },
    accountsOf: (d) => (d.credentials ? [d.credentials] : []),
    applicationsOf: (d) => (d.loadBalancerName ? [parseServerGroupName(d.loadBalancerName).app] : []),
  };
}

/** `80` → `80-80`, as GCE stores port ranges. */
function normalisePorts(range: string): string {
  return range.includes('-') ? range : `${range}-${range}`;
}

/** Deletes a network load balancer: its forwarding rule, then its target pool when no other rule sends to it. */
export function deleteLoadBalancerOperation(deps: GceOperationDeps): OperationDefinition<LoadBalancerDescription> {
  return {
    name: 'deleteLoadBalancer',
    converter: {
      // GCE's load balancer descriptions name a single `region`.
      convertDescription: (input) => loadBalancerDescriptionOf(input, str(input.region)),
      convertOperation: (d): AtomicOperation => ({
        async operate(_prior, context) {
          const account = deps.accounts.get(d.credentials!)!;
          const clients = deps.clients.forAccount(account);
          await context.task.updateStatus(PHASE_DELETE, `Initializing delete of load balancer ${d.loadBalancerName} in ${account.name}/${d.region}`);
          await deleteNetworkLoadBalancer(clients, account, d.region, d.loadBalancerName, context.task, context.signal);
          await deps.refresher.agent(account.name, d.region, 'GoogleNetworkLoadBalancerCachingAgent', {
            [Types.loadBalancers]: [Keys.loadBalancer(account.name, d.region, d.loadBalancerName)],
          });
          await context.task.updateStatus(PHASE_DELETE, `Deleted load balancer ${d.loadBalancerName}`);
          return undefined;
        },
      }),
    },
    validator: {
      validate(d, errors) {
        validateRegionalName(errors, nameRules(deps.accounts), d, 'loadBalancerName', d.loadBalancerName);
      },
    },
    accountsOf: (d) => (d.credentials ? [d.credentials] : []),
    applicationsOf: (d) => (d.loadBalancerName ? [parseServerGroupName(d.loadBalancerName).app] : []),
  };
}

async function deleteNetworkLoadBalancer(
  clients: GceAccountClients,
  account: GceAccount,
  region: string,
  name: string,
  task: { updateStatus(phase: string, status: string): Promise<void> },
  signal: AbortSignal,
): Promise<void> {
  const { project } = account;
  const rule = await clients.forwardingRules.get({ project, region, forwardingRule: name }, clients.callOptions).then(([r]) => r, orUndefinedOn404);
  if (!rule) {
    await task.updateStatus(PHASE_DELETE, `Load balancer ${name} does not exist in ${region}; nothing to delete`);
    return;
  }
  await task.updateStatus(PHASE_DELETE, `Deleting forwarding rule ${name}`);
  await waitFor(
    clients,
    `Deleting forwarding rule ${name}`,
    () => clients.forwardingRules.delete({ project, region, forwardingRule: name }, clients.callOptions),
    signal,
  );
  if (!rule.target?.includes('/targetPools/')) return;
  const poolName = lastSegment(rule.target);
  const [others] = await clients.forwardingRules.list({ project, region }, { ...clients.callOptions, autoPaginate: true });
  if (others.some((r) => lastSegment(r.target) === poolName)) {
    await task.updateStatus(PHASE_DELETE, `Kept target pool ${poolName}: another forwarding rule sends to it`);
    return;
  }
  const pool = await clients.targetPools.get({ project, region, targetPool: poolName }, clients.callOptions).then(([p]) => p, orUndefinedOn404);
  if (!pool) return;
  await task.updateStatus(PHASE_DELETE, `Deleting target pool ${poolName}`);
  await waitFor(
    clients,
    `Deleting target pool ${poolName}`,
    () => clients.targetPools.delete({ project, region, targetPool: poolName }, clients.callOptions),
    signal,
  );
}
