import type { SecurityGroupView } from '@stratus/plugin-api';
import { inject, injectable } from 'tsyringe';
import type { ReadModelRegistry } from '../providers/read-model-registry.js';
import type { CallerAccess } from '../security/caller-access.js';
import { READ_MODEL_REGISTRY } from '../tokens.js';
import { sortedRecord, withoutNulls } from './read-support.js';

/** Clouddriver's `SecurityGroupSummary`: the provider's `summary` object, else `{name, id, vpcId}`. */
export type SecurityGroupSummary = Record<string, unknown> & { readonly name: string; readonly id: string };
/** region → summaries. */
export type SecurityGroupsByRegion = Record<string, SecurityGroupSummary[]>;
/** cloudProvider → region → summaries. */
export type SecurityGroupsByProvider = Record<string, SecurityGroupsByRegion>;

interface Visible {
  readonly cloudProvider: string;
  readonly group: SecurityGroupView;
}

/**
 * The `/securityGroups` endpoints over every provider's security group model, in the shapes of
 * Clouddriver's `SecurityGroupController`. Summaries are sorted by name (case-insensitive), then id.
 * An account the caller cannot READ looks exactly like an account without security groups.
 */
@injectable()
export class SecurityGroupReadService {
  constructor(@inject(READ_MODEL_REGISTRY) private readonly registry: ReadModelRegistry) {}

  /** `GET /securityGroups`: account → cloudProvider → region → summaries. */
  async all(access: CallerAccess): Promise<Record<string, SecurityGroupsByProvider>> {
    const byAccount = groupBy(await this.visible(access, {}), (entry) => entry.group.accountName);
    return mapRecord(byAccount, (entries) =>
      mapRecord(
        groupBy(entries, (entry) => entry.cloudProvider),
        (ofProvider) => byRegionSummaries(ofProvider.map((entry) => entry.group)),
      ),
    );
  }

  /** `GET /securityGroups/{account}`: cloudProvider → region → summaries. */
  async forAccount(access: CallerAccess, account: string): Promise<SecurityGroupsByProvider> {
    return mapRecord(
      groupBy(await this.visible(access, { account }), (entry) => entry.cloudProvider),
      (entries) => byRegionSummaries(entries.map((entry) => entry.group)),
    );
  }

  /** `GET /securityGroups/{account}?region=`: cloudProvider → summaries. */
  async forAccountInRegion(access: CallerAccess, account: string, region: string): Promise<Record<string, SecurityGroupSummary[]>> {
    return mapRecord(
      groupBy(await this.visible(access, { account, region }), (entry) => entry.cloudProvider),
      (entries) => summaries(entries.map((entry) => entry.group)),
    );
  }

  /** `GET /securityGroups/{account}/{cloudProvider}`: region → summaries. */
  async forAccountAndProvider(access: CallerAccess, account: string, cloudProvider: string): Promise<SecurityGroupsByRegion> {
    return byRegionSummaries((await this.visible(access, { account, cloudProvider })).map((entry) => entry.group));
  }

  /** `GET /securityGroups/{account}/{cloudProvider}?region=`: summaries. */
  async forAccountAndProviderInRegion(access: CallerAccess, account: string, cloudProvider: string, region: string): Promise<SecurityGroupSummary[]> {
    return summaries((await this.visible(access, { account, cloudProvider, region })).map((entry) => entry.group));
  }

  /** `GET /securityGroups/{account}/{cloudProvider}/{name}`: region → summaries of the groups with that name. */
  async byName(access: CallerAccess, account: string, cloudProvider: string, name: string): Promise<SecurityGroupsByRegion> {
    return byRegionSummaries((await this.visible(access, { account, cloudProvider, name })).map((entry) => entry.group));
  }

  /** `GET /securityGroups/{account}/{cloudProvider}/{region}/{nameOrId}[?vpcId=]`: the provider's full view. */
  async get(
    access: CallerAccess,
    account: string,
    cloudProvider: string,
    region: string,
    nameOrId: string,
    vpcId?: string,
  ): Promise<SecurityGroupView | undefined> {
    const model = this.registry.get(cloudProvider, 'securityGroups');
    if (!model || !access.canReadAccount(account)) return undefined;
    return model.get(account, region, nameOrId, vpcId);
  }

  private async visible(access: CallerAccess, only: { account?: string; cloudProvider?: string; region?: string; name?: string }): Promise<Visible[]> {
    if (only.account !== undefined && !access.canReadAccount(only.account)) return [];
    const models = this.registry.all('securityGroups').filter((entry) => only.cloudProvider === undefined || entry.cloudProvider === only.cloudProvider);
    const lists = await Promise.all(models.map(async ({ cloudProvider, model }) => (await model.getAll(false)).map((group) => ({ cloudProvider, group }))));
    return lists
      .flat()
      .filter(
        ({ group }) =>
          access.canReadAccount(group.accountName) &&
          (only.account === undefined || group.accountName === only.account) &&
          (only.region === undefined || group.region === only.region) &&
          (only.name === undefined || group.name === only.name),
      );
  }
}

function summaryOf(group: SecurityGroupView): SecurityGroupSummary {
  const provided = group.summary;
  if (provided && typeof provided === 'object' && !Array.isArray(provided)) return provided as SecurityGroupSummary;
  return withoutNulls({ name: group.name, id: group.id, vpcId: group.vpcId }) as SecurityGroupSummary;
}

/** Clouddriver's sorted set: by name ignoring case, then id; one entry per (name, id). */
function summaries(groups: readonly SecurityGroupView[]): SecurityGroupSummary[] {
  const seen = new Set<string>();
  const result: SecurityGroupSummary[] = [];
  for (const summary of groups.map(summaryOf)) {
    const identity = `${String(summary.name).toLowerCase()}\u0000${String(summary.id)}`;
    if (seen.has(identity)) continue;
    seen.add(identity);
    result.push(summary);
  }
  return result.sort((a, b) => String(a.name).toLowerCase().localeCompare(String(b.name).toLowerCase()) || String(a.id).localeCompare(String(b.id)));
}

function byRegionSummaries(groups: readonly SecurityGroupView[]): SecurityGroupsByRegion {
  return mapRecord(
    groupBy(groups, (group) => group.region),
    summaries,
  );
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Record<string, T[]> {
  const result: Record<string, T[]> = {};
  for (const item of items) (result[key(item)] ??= []).push(item);
  return result;
}

/** Maps every value of a record, keys sorted (Clouddriver's sorted JSON maps). */
function mapRecord<A, B>(record: Readonly<Record<string, A>>, map: (value: A) => B): Record<string, B> {
  const result: Record<string, B> = {};
  for (const [key, value] of Object.entries(sortedRecord(record))) result[key] = map(value);
  return result;
}
