import { parseServerGroupName, type AccountCredentials } from '@stratus/plugin-api';
import type { AccountLookup } from '../security/account-lookup.js';
import { globToRegExp } from '../cats/glob.js';
import type { CallerAccess } from '../security/caller-access.js';
import {
  ENTITY_REF_ID_PATTERN,
  entityRefId,
  mergeEntityTags,
  normalizeEntityRef,
  withoutTags,
  type EntityRef,
  type EntityTags,
  type EntityTagsInput,
} from './entity-tags-model.js';
import type { EntityTagsStore } from './entity-tags-store.js';
import { canReadResourceApplication } from '../security/resource-application.js';

/** The filters of `GET /tags` (Clouddriver's `EntityTagsController.list`). */
export interface EntityTagsQuery {
  readonly cloudProvider?: string;
  readonly application?: string;
  /** Lower-cased; `*` and `?` are wildcards. */
  readonly entityType?: string;
  /** Any of these entity ids. */
  readonly entityIds?: readonly string[];
  /** A wildcard pattern over the id (`aws:servergroup:*`). */
  readonly idPrefix?: string;
  readonly account?: string;
  readonly region?: string;
  /** Only tags of this namespace (with `tags`: the named tags must be in it). */
  readonly namespace?: string;
  /** Tag name → value (`*` = any value); every pair must match one tag. */
  readonly tags?: Readonly<Record<string, string>>;
  /** Default 5,000. */
  readonly maxResults?: number;
}

/** One upsert's outcome (Clouddriver's `BulkUpsertEntityTagsAtomicOperationResult`). */
export interface BulkUpsertResult {
  readonly upserted: EntityTags[];
  readonly failures: { readonly entityTags: EntityTagsInput; readonly error: string }[];
}

/**
 * Entity tags kept in Stratus's own store: the reads of `GET /tags` and `GET /tags/{id}` and the
 * writes of the `upsertEntityTags`, `bulkUpsertEntityTags` and `deleteEntityTags` operations, with
 * Clouddriver's id building and merge rules. Tags of an account the caller cannot READ are never
 * listed (a missing tag and an unreadable one answer alike); tags without an account, or for every
 * account (`*`), are visible to all.
 */
export class EntityTagsService {
  constructor(
    private readonly store: EntityTagsStore,
    private readonly accounts: AccountLookup,
  ) {}

  async list(access: CallerAccess, query: EntityTagsQuery): Promise<EntityTags[]> {
    const matches = (await this.store.list()).filter((tags) => this.visible(access, tags) && matchesQuery(tags, query));
    return matches.sort((a, b) => a.id.localeCompare(b.id)).slice(0, query.maxResults ?? 5_000);
  }

  async get(access: CallerAccess, id: string): Promise<EntityTags | undefined> {
    const [found] = await this.store.getMany([id]);
    return found && this.visible(access, found) ? found : undefined;
  }

  /**
   * The accounts an `EntityTags` names (by `account`, or by `accountId` resolved to configured
   * accounts), for WRITE checks. `*` names none.
   */
  accountsOf(entityRef: EntityRef | undefined): string[] {
    if (!entityRef) return [];
    if (typeof entityRef.account === 'string' && entityRef.account !== '' && entityRef.account !== '*') return [entityRef.account];
    if (typeof entityRef.accountId === 'string' && entityRef.accountId !== '' && entityRef.accountId !== '*') {
      return this.accounts
        .all()
        .filter((account) => account.accountId === entityRef.accountId || account.name === entityRef.accountId)
        .map((account) => account.name);
    }
    return [];
  }

  /** The accounts the stored tags `id` belong to (none when unknown). */
  async accountsOfStored(id: string): Promise<string[]> {
    const [found] = await this.store.getMany([id]);
    return found ? this.accountsOf(found.entityRef) : [];
  }

  /**
   * Clouddriver's bulk upsert: ids built where missing (filling `accountId` from the account and
   * back), several entries for one id merged, each merged with what is stored (partial keeps tags
   * the update does not name), and only what changed written. An entry whose id cannot be built is
   * a failure, not an error.
   */
  async upsert(entries: readonly EntityTagsInput[], options: { isPartial: boolean; user?: string; now?: number }): Promise<BulkUpsertResult> {
    const failures: BulkUpsertResult['failures'][number][] = [];
    const withIds: (EntityTagsInput & { id: string })[] = [];
    for (const entry of entries) {
      try {
        withIds.push(this.withId(entry));
      } catch (error) {
        failures.push({ entityTags: entry, error: error instanceof Error ? error.message : String(error) });
      }
    }
    const byId = new Map<string, EntityTagsInput & { id: string }>();
    for (const entry of withIds) {
      const previous = byId.get(entry.id);
      byId.set(entry.id, previous ? { ...previous, tags: [...previous.tags, ...entry.tags] } : entry);
    }
    const existing = new Map((await this.store.getMany([...byId.keys()])).map((tags) => [tags.id, tags]));
    const now = options.now ?? Date.now();
    const user = options.user ?? 'unknown';
    const modified: EntityTags[] = [];
    for (const entry of byId.values()) {
      const { merged, modified: changed } = mergeEntityTags(existing.get(entry.id), entry, { isPartial: options.isPartial, now, user });
      if (changed) modified.push({ ...merged, lastModified: now, lastModifiedBy: options.user ?? 'anonymous' });
    }
    await this.store.save(modified);
    return { upserted: modified, failures };
  }

  /**
   * Clouddriver's delete: the whole entry when `deleteAll` or every stored tag is named, else just
   * the named tags. Returns what happened, for the task's status.
   */
  async delete(
    id: string,
    tagNames: readonly string[],
    deleteAll: boolean,
    options: { user?: string; now?: number } = {},
  ): Promise<'missing' | 'deleted' | 'updated'> {
    const [current] = await this.store.getMany([id]);
    if (!current) return 'missing';
    const names = tagNames.map((name) => name.toLowerCase());
    if (deleteAll || current.tags.every((tag) => names.includes(tag.name))) {
      await this.store.delete(id);
      return 'deleted';
    }
    await this.store.save([{ ...withoutTags(current, names), lastModified: options.now ?? Date.now(), lastModifiedBy: options.user ?? 'anonymous' }]);
    return 'updated';
  }

  private withId(entry: EntityTagsInput): EntityTagsInput & { id: string } {
    let entityRef = normalizeEntityRef(entry.entityRef ?? {});
    const account = typeof entityRef.account === 'string' && entityRef.account !== '' ? entityRef.account : undefined;
    const accountId = typeof entityRef.accountId === 'string' && entityRef.accountId !== '' ? entityRef.accountId : undefined;
    if (account && account !== '*' && !accountId) {
      const credentials = this.findAccount(account, 'accountName');
      if (credentials.accountId) entityRef = { ...entityRef, accountId: credentials.accountId };
    }
    if (!account && accountId) {
      const credentials = this.accounts.all().find((candidate) => candidate.accountId === accountId || candidate.name === accountId);
      if (credentials) entityRef = { ...entityRef, account: credentials.name };
    }
    if ((entityRef.application === undefined || entityRef.application === '') && typeof entityRef.entityId === 'string') {
      // Clouddriver derives the application from the entity's name so `?application=` finds it.
      const app = parseServerGroupName(entityRef.entityId).app;
      if (app) entityRef = { ...entityRef, application: app };
    }
    if (entry.id) return { ...entry, entityRef, id: entry.id };
    const id = entityRefId(entityRef, (entityRef.accountId as string | undefined) ?? (entityRef.account as string | undefined));
    return { ...entry, entityRef, id, idPattern: ENTITY_REF_ID_PATTERN };
  }

  private findAccount(nameOrId: string, kind: string): AccountCredentials {
    const found = this.accounts.all().find((candidate) => candidate.accountId === nameOrId || candidate.name === nameOrId);
    if (!found) throw new Error(`No credentials found for ${kind}: ${nameOrId}`);
    return found;
  }

  private visible(access: CallerAccess, tags: EntityTags): boolean {
    if (!canReadResourceApplication(access, applicationSourceOf(tags.entityRef), { ownName: false })) return false;
    const account = tags.entityRef?.account;
    if (typeof account === 'string' && account !== '' && account !== '*') return access.canReadAccount(account);
    return this.accountsOf(tags.entityRef).every((name) => access.canReadAccount(name));
  }
}

function matchesQuery(tags: EntityTags, query: EntityTagsQuery): boolean {
  const ref = tags.entityRef ?? {};
  if (query.cloudProvider !== undefined && ref.cloudProvider !== query.cloudProvider) return false;
  if (query.application !== undefined && ref.application !== query.application) return false;
  if (query.entityIds && query.entityIds.length > 0 && !query.entityIds.includes(String(ref.entityId))) return false;
  if (query.account !== undefined && ref.account !== query.account) return false;
  if (query.region !== undefined && ref.region !== query.region) return false;
  if (query.idPrefix !== undefined && !globToRegExp(query.idPrefix).test(tags.id)) return false;
  if (query.entityType !== undefined && !globToRegExp(query.entityType.toLowerCase()).test(String(ref.entityType ?? ''))) return false;
  const namespace = query.namespace?.toLowerCase();
  const inNamespace = tags.tags.filter((tag) => namespace === undefined || tag.namespace === namespace);
  const wanted = Object.entries(query.tags ?? {});
  if (wanted.length === 0) return namespace === undefined || inNamespace.length > 0;
  return wanted.every(([name, value]) => inNamespace.some((tag) => tag.name === name.toLowerCase() && (value === '*' || valueText(tag.value) === value)));
}

function valueText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/**
 * What names the application of a tagged entity (Fiat): `entityRef.application`, else the entity
 * itself when it is an application, else the Frigga prefix of a tagged server group, cluster or
 * load balancer.
 */
function applicationSourceOf(ref: EntityTags['entityRef'] | undefined): Record<string, unknown> {
  if (!ref) return {};
  const type = typeof ref.entityType === 'string' ? ref.entityType.toLowerCase() : '';
  const id = typeof ref.entityId === 'string' ? ref.entityId : undefined;
  return {
    application: ref.application ?? (type === 'application' ? id : undefined),
    ...(id && ['servergroup', 'cluster', 'loadbalancer'].includes(type) ? { serverGroup: id } : {}),
  };
}
