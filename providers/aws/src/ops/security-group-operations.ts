import {
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  DeleteSecurityGroupCommand,
  DescribeSecurityGroupsCommand,
  DescribeVpcsCommand,
  RevokeSecurityGroupIngressCommand,
  type IpPermission,
  type SecurityGroup,
} from '@aws-sdk/client-ec2';
import type { AtomicOperation, OperationDefinition } from '@stratus/plugin-api';
import { accountOperation, definedOnly } from '@stratus/provider-kit';
import type { AwsRegionClients } from '../accounts/aws-clients.js';
import { Keys, Types } from '../keys.js';
import type { AwsOperationDeps } from './aws-operation-deps.js';
import { accountNameOf, regionsOf, str, validateAccount, validateRegions } from './description.js';

const PHASE_UPSERT = 'UPSERT_SECURITY_GROUP';
const PHASE_DELETE = 'DELETE_SECURITY_GROUP';

/** Clouddriver's `UpsertSecurityGroupDescription` (the fields we support). */
export interface UpsertSecurityGroupDescription {
  readonly credentials?: string | undefined;
  readonly regions: string[];
  readonly name?: unknown;
  readonly description?: unknown;
  readonly vpcId?: unknown;
  /** Rules from other groups: `[{name | id, startPort, endPort, type: 'tcp'}]`. */
  readonly securityGroupIngress?: unknown;
  /** Rules from CIDRs: `[{cidr, startPort, endPort, type}]`. */
  readonly ipIngress?: unknown;
}

interface Rule {
  protocol: string;
  from: number;
  to: number;
  source: { groupId?: string; groupName?: string; cidr?: string };
}

const ruleKey = (r: Rule) => `${r.protocol}:${r.from}:${r.to}:${r.source.groupId ?? r.source.cidr}`;

function permission(r: Rule): IpPermission {
  return {
    IpProtocol: r.protocol,
    FromPort: r.from,
    ToPort: r.to,
    ...(r.source.cidr ? { IpRanges: [{ CidrIp: r.source.cidr }] } : { UserIdGroupPairs: [{ GroupId: r.source.groupId }] }),
  };
}

function existingRules(group: SecurityGroup): Rule[] {
  return (group.IpPermissions ?? []).flatMap((p) => {
    const base = { protocol: p.IpProtocol ?? 'tcp', from: p.FromPort ?? 0, to: p.ToPort ?? 0 };
    return [
      ...(p.IpRanges ?? []).map((r) => ({ ...base, source: definedOnly({ cidr: r.CidrIp }) })),
      ...(p.UserIdGroupPairs ?? []).map((g) => ({ ...base, source: definedOnly({ groupId: g.GroupId }) })),
    ];
  });
}

async function findGroup(clients: AwsRegionClients, name: string, vpcId?: string): Promise<SecurityGroup | undefined> {
  const out = await clients.ec2.send(
    new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'group-name', Values: [name] }, ...(vpcId ? [{ Name: 'vpc-id', Values: [vpcId] }] : [])] }),
  );
  return out.SecurityGroups?.find((g) => g.GroupName === name);
}

function validateRules(errors: { reject(f: string, c: string, m?: string): void }, value: unknown, field: string, kind: 'group' | 'ip'): void {
  if (value === undefined) return;
  if (!Array.isArray(value)) {
    errors.reject(field, 'invalid', `${field} must be a list of rules`);
    return;
  }
  value.forEach((raw, i) => {
    const r = (raw ?? {}) as Record<string, unknown>;
    const at = `${field}[${i}]`;
    if (kind === 'group' && typeof r.name !== 'string' && typeof r.id !== 'string')
      errors.reject(`${at}.name`, 'empty', `${at} needs the name or id of the source group`);
    if (kind === 'ip' && (typeof r.cidr !== 'string' || !/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/.test(r.cidr)))
      errors.reject(`${at}.cidr`, 'invalid', `${at}.cidr must be an IPv4 CIDR`);
    for (const p of ['startPort', 'endPort']) {
      if (typeof r[p] !== 'number' || !Number.isInteger(r[p]) || (r[p] as number) < -1 || (r[p] as number) > 65535)
        errors.reject(`${at}.${p}`, 'invalid', `${at}.${p} must be a port number`);
    }
    if (typeof r.startPort === 'number' && typeof r.endPort === 'number' && r.startPort > r.endPort)
      errors.reject(`${at}.endPort`, 'invalid', `${at}.endPort must not be below startPort`);
  });
}

/**
 * Creates the security group when missing, then makes its ingress match the description: missing
 * rules are authorized and rules no longer described are revoked (as Clouddriver does).
 */
export function upsertSecurityGroupOperation(deps: AwsOperationDeps): OperationDefinition<UpsertSecurityGroupDescription> {
  return {
    name: 'upsertSecurityGroup',
    converter: {
      convertDescription: (input) => ({ ...input, credentials: accountNameOf(input), regions: regionsOf(input).map(str) }),
      convertOperation: (d): AtomicOperation => ({
        async operate(_prior, context) {
          const account = deps.accounts.get(d.credentials!)!;
          const name = d.name as string;
          for (const region of d.regions) {
            const clients = deps.clients.forRegion(account, region);
            const vpcId = typeof d.vpcId === 'string' && d.vpcId ? d.vpcId : await defaultVpc(clients);
            await context.task.updateStatus(PHASE_UPSERT, `Initializing upsert of security group ${name} in ${account.name}/${region}`);
            let group = await findGroup(clients, name, vpcId);
            if (!group) {
              await context.task.updateStatus(PHASE_UPSERT, `Creating security group ${name}${vpcId ? ` in ${vpcId}` : ''}`);
              const created = await clients.ec2.send(
                new CreateSecurityGroupCommand({ GroupName: name, Description: (d.description as string) || name, ...(vpcId ? { VpcId: vpcId } : {}) }),
              );
              group = { GroupId: created.GroupId, GroupName: name, VpcId: vpcId, IpPermissions: [] };
            }
            const wanted: Rule[] = [];
            for (const raw of (d.securityGroupIngress as Record<string, unknown>[]) ?? []) {
              const sourceId = typeof raw.id === 'string' ? raw.id : (await findGroup(clients, raw.name as string, vpcId))?.GroupId;
              if (!sourceId) throw new Error(`Source security group '${String(raw.name)}' not found in ${region}`);
              wanted.push({ protocol: (raw.type as string) ?? 'tcp', from: raw.startPort as number, to: raw.endPort as number, source: { groupId: sourceId } });
            }
            for (const raw of (d.ipIngress as Record<string, unknown>[]) ?? []) {
              wanted.push({
                protocol: (raw.type as string) ?? 'tcp',
                from: raw.startPort as number,
                to: raw.endPort as number,
                source: { cidr: raw.cidr as string },
              });
            }
            const existing = existingRules(group);
            const existingKeys = new Set(existing.map(ruleKey));
            const wantedKeys = new Set(wanted.map(ruleKey));
            const toAdd = wanted.filter((r) => !existingKeys.has(ruleKey(r)));
            const toRevoke = existing.filter((r) => !wantedKeys.has(ruleKey(r)));
            if (toAdd.length > 0) {
              await context.task.updateStatus(PHASE_UPSERT, `Authorizing ${toAdd.length} ingress rule(s) on ${name}`);
              await clients.ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: group.GroupId, IpPermissions: toAdd.map(permission) }));
            }
            if (toRevoke.length > 0) {
              await context.task.updateStatus(PHASE_UPSERT, `Revoking ${toRevoke.length} ingress rule(s) on ${name}`);
              await clients.ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: group.GroupId, IpPermissions: toRevoke.map(permission) }));
            }
            await deps.refresher.agent(account.name, region, 'SecurityGroupCachingAgent');
            await context.task.updateStatus(PHASE_UPSERT, `Security group ${name} (${group.GroupId}) is up to date in ${region}`);
          }
          return undefined;
        },
      }),
    },
    validator: {
      validate(d, errors) {
        const account = validateAccount(errors, deps.accounts, d.credentials);
        if (typeof d.name !== 'string' || d.name === '') errors.reject('name', 'empty', 'name is required');
        else if (d.name.length > 255) errors.reject('name', 'invalid', 'name must be at most 255 characters');
        validateRegions(errors, account, d.regions);
        if (d.vpcId !== undefined && (typeof d.vpcId !== 'string' || !d.vpcId.startsWith('vpc-')))
          errors.reject('vpcId', 'invalid', 'vpcId must be a VPC id (vpc-…)');
        validateRules(errors, d.securityGroupIngress, 'securityGroupIngress', 'group');
        validateRules(errors, d.ipIngress, 'ipIngress', 'ip');
      },
    },
    accountsOf: (d) => (d.credentials ? [d.credentials] : []),
    applicationsOf: (d) => (typeof d.name === 'string' ? [d.name.split('-')[0]!] : []),
  };
}

async function defaultVpc(clients: AwsRegionClients): Promise<string | undefined> {
  const out = await clients.ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'is-default', Values: ['true'] }] }));
  return out.Vpcs?.[0]?.VpcId;
}

export interface DeleteSecurityGroupDescription {
  readonly credentials?: string | undefined;
  readonly regions: string[];
  readonly securityGroupName: string;
  readonly vpcId?: string;
}

export function deleteSecurityGroupOperation(deps: AwsOperationDeps): OperationDefinition<DeleteSecurityGroupDescription> {
  return accountOperation({
    name: 'deleteSecurityGroup',
    accounts: deps.accounts,
    convert: (input) => ({
      regions: regionsOf(input).map(str),
      securityGroupName: str(input.securityGroupName ?? input.name),
      ...(typeof input.vpcId === 'string' ? { vpcId: input.vpcId } : {}),
    }),
    async operate(d, account, context) {
      for (const region of d.regions) {
        const clients = deps.clients.forRegion(account, region);
        await context.task.updateStatus(PHASE_DELETE, `Initializing delete of security group ${d.securityGroupName} in ${account.name}/${region}`);
        const group = await findGroup(clients, d.securityGroupName, d.vpcId);
        if (!group) {
          await context.task.updateStatus(PHASE_DELETE, `Security group ${d.securityGroupName} does not exist in ${region}; nothing to delete`);
          continue;
        }
        await clients.ec2.send(new DeleteSecurityGroupCommand({ GroupId: group.GroupId }));
        await deps.refresher.agent(account.name, region, 'SecurityGroupCachingAgent', {
          [Types.securityGroups]: [Keys.securityGroup(group.GroupName!, group.GroupId!, region, account.name, group.VpcId)],
        });
        await context.task.updateStatus(PHASE_DELETE, `Deleted security group ${d.securityGroupName} (${group.GroupId}) in ${region}`);
      }
      return undefined;
    },
    validate(d, errors) {
      const account = validateAccount(errors, deps.accounts, d.credentials);
      if (!d.securityGroupName) errors.reject('securityGroupName', 'empty', 'securityGroupName is required');
      validateRegions(errors, account, d.regions);
    },
  });
}
