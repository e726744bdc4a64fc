import { paginateListRoles } from '@aws-sdk/client-iam';
import type { ProviderRoute } from '@stratus/plugin-api';
import type { AwsAccount } from '../accounts/aws-account.js';
import { collectPages } from '../paginate.js';
import { PerAccountLists } from './per-account-lists.js';

/** A principal allowed to assume a role (Clouddriver's `TrustRelationship`: `{type: 'Service', value: 'lambda.amazonaws.com'}`). */
export interface AwsTrustRelationship {
  readonly type: string;
  readonly value: string;
}

/** Clouddriver's `IamRole` JSON (the Lambda provider's `RoleProvider` for `aws`), as Deck's function editor reads it. */
export interface AwsRoleView {
  /** The role ARN. */
  readonly id: string;
  readonly name: string;
  readonly accountName: string;
  readonly trustRelationships: AwsTrustRelationship[];
}

interface PolicyStatement {
  Action?: unknown;
  Principal?: unknown;
}

/**
 * The principals of the `sts:AssumeRole` statements of a role's trust policy (IAM returns it
 * URL-encoded). Clouddriver matches only a single `Action` string; a list containing it counts too.
 */
export function trustRelationshipsOf(encodedPolicy: string | undefined): AwsTrustRelationship[] {
  if (!encodedPolicy) return [];
  let statements: PolicyStatement[];
  try {
    const document = JSON.parse(decodeURIComponent(encodedPolicy)) as { Statement?: PolicyStatement | PolicyStatement[] };
    statements = Array.isArray(document.Statement) ? document.Statement : document.Statement ? [document.Statement] : [];
  } catch {
    return [];
  }
  const found = new Map<string, AwsTrustRelationship>();
  for (const statement of statements) {
    const actions = Array.isArray(statement.Action) ? statement.Action : [statement.Action];
    if (!actions.includes('sts:AssumeRole') || !statement.Principal || typeof statement.Principal !== 'object') continue;
    for (const [type, value] of Object.entries(statement.Principal as Record<string, unknown>)) {
      for (const one of Array.isArray(value) ? value : [value]) found.set(`${type}\u0000${String(one)}`, { type, value: String(one) });
    }
  }
  return [...found.values()];
}

/**
 * IAM roles of every AWS account (`ListRoles`, all pages), read on request and kept for a short
 * while per account, as {@link AwsCertificates} does for certificates. IAM is global: one call per
 * account. An account whose call fails is reported through `onError` and left out.
 */
export class AwsRoles extends PerAccountLists<AwsRoleView> {
  /** Sorted by account and name. */
  protected override arrange(roles: AwsRoleView[]): AwsRoleView[] {
    return roles.sort((a, b) => a.accountName.localeCompare(b.accountName) || a.name.localeCompare(b.name));
  }

  protected async load(account: AwsAccount): Promise<AwsRoleView[]> {
    const roles = await collectPages(paginateListRoles({ client: this.clients.iam(account) }, {}), (page) => page.Roles);
    return roles.map((role) => ({
      id: role.Arn ?? '',
      name: role.RoleName ?? '',
      accountName: account.name,
      trustRelationships: trustRelationshipsOf(role.AssumeRolePolicyDocument),
    }));
  }
}

/** `GET /roles/aws` (Clouddriver's `RoleController`); other cloud providers answer `[]` there, as in Clouddriver. */
export function awsRolesRoute(roles: AwsRoles, onError: (account: string, error: unknown) => void): ProviderRoute {
  return {
    method: 'get',
    path: '/roles/aws',
    summary: 'IAM roles of the AWS accounts the caller can read, with the principals trusted to assume each',
    handle: async ({ caller }) => ({ body: await roles.list((account) => caller.canReadAccount(account), onError) }),
  };
}
