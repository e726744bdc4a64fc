import type { SecurityGroupView } from '@stratus/plugin-api';
import { inject, injectable } from 'tsyringe';
import type { ReadModelRegistry } from '../providers/read-model-registry.js';
import type { CallerAccess } from '../security/caller-access.js';
import { READ_MODEL_REGISTRY } from '../tokens.js';
import { withoutNulls } from './read-support.js';

/** Clouddriver's `SecurityGroupSummary`: `{name, id}` plus identity fields the provider set. */
export type SecurityGroupSummary = Record<string, unknown> & { readonly name: string; readonly id: string };
/** region → summaries. */
export type SecurityGroupsByRegion = Record<string, SecurityGroupSummary[]>;
/** cloudProvider → region → summaries. */
export type SecurityGroupsByProvider = Record<string, SecurityGroupsByRegion>;

/** Security groups of every provider, without accounts the caller cannot READ. */
@injectable()
export class SecurityGroupReadService {
  constructor(@inject(READ_MODEL_REGISTRY) private readonly registry: ReadModelRegistry) {}

  /** `GET /securityGroups`: account → cloudProvider → region → summaries. */
  async all(access: CallerAccess): Promise<Record<string, SecurityGroupsByProvider>> {
    const groups = await this.visible(access);
    const result: Record<string, SecurityGroupsByProvider> = {};
    for (const { cloudProvider, group } of groups) {
      const byProvider = (result[group.accountName] ??= {});
      ((byProvider[cloudProvider] ??= {})[group.region] ??= []).push(summaryOf(group));
    }
    return sortDeep(result);
  }

  /**
   * `GET /securityGroups/{account}[?region=]`: cloudProvider → region → summaries. An account the
   * caller cannot READ looks like one without security groups.
   */
  async forAccount(access: CallerAccess, account: string, region?: string): Promise<SecurityGroupsByProvider> {
    if (!access.canReadAccount(account)) return {};
    const result: SecurityGroupsByProvider = {};
    for (const { cloudProvider, group } of await this.visible(access, undefined, account)) {
      if (region && group.region !== region) continue;
      ((result[cloudProvider] ??= {})[group.region] ??= []).push(summaryOf(group));
    }
    return sortDeep(result);
  }

  /** `GET /securityGroups/{account}/{cloudProvider}[?region=]`: region → summaries. */
  async forAccountAndProvider(access: CallerAccess, account: string, cloudProvider: string, region?: string): Promise<SecurityGroupsByRegion> {
    if (!access.canReadAccount(account)) return {};
    const result: SecurityGroupsByRegion = {};
    for (const { group } of await this.visible(access, cloudProvider, account)) {
      if (region && group.region !== region) continue;
      (result[group.region] ??= []).push(summaryOf(group));
    }
    return sortDeep(result);
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

  private async visible(access: CallerAccess, cloudProvider?: string, account?: string) {
    const models = this.registry.all('securityGroups').filter((entry) => !cloudProvider || entry.cloudProvider === cloudProvider);
    const lists = await Promise.all(
      models.map(async ({ cloudProvider: provider, model }) => (await model.getAll(false)).map((group) => ({ cloudProvider: provider, group }))),
    );
    return lists
      .flat()
      .filter(({ group }) => access.canReadAccount(group.accountName) && (!account || group.accountName === account));
  }
}

function summaryOf(group: SecurityGroupView): SecurityGroupSummary {
  return withoutNulls({ name: group.name, id: group.id, moniker: group.moniker, application: group.application, vpcId: group.vpcId }) as SecurityGroupSummary;
}

/** Sorts map keys at every level and each summary list by name (Clouddriver's sorted JSON maps). */
function sortDeep<T>(value: T): T {
  if (Array.isArray(value)) return [...value].sort((a, b) => String(a.name).localeCompare(String(b.name))) as T;
  if (value && typeof value === 'object') {
    const result: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) result[key] = sortDeep((value as Record<string, unknown>)[key]);
    return result as T;
  }
  return value;
}
