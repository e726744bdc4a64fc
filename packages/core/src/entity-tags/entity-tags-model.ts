/**
 * Clouddriver's `EntityTags` JSON (what Gate, Deck and Orca read and write): a set of named tags on
 * one entity (a server group, cluster, load balancer, application, pipeline…) identified by
 * `entityRef`. Names and namespaces are lower case; `valueType` is `literal` (string or number) or
 * `object`. docs/entity-tags.md describes the store and the differences from Clouddriver.
 */
export interface EntityTag {
  readonly name: string;
  /** Default `default`. */
  readonly namespace: string;
  readonly category?: string;
  readonly value: unknown;
  readonly valueType?: 'literal' | 'object' | string;
}

export interface EntityTagMetadata {
  readonly name: string;
  readonly created: number;
  readonly createdBy: string;
  readonly lastModified: number;
  readonly lastModifiedBy: string;
}

export interface EntityRef {
  readonly cloudProvider?: string;
  readonly application?: string;
  readonly accountId?: string;
  readonly account?: string;
  readonly region?: string;
  /** Lower case (`servergroup`, `cluster`, `loadbalancer`, `application`, …). */
  readonly entityType?: string;
  readonly entityId?: string;
  readonly [attribute: string]: unknown;
}

export interface EntityTags {
  /** `cloudProvider:entityType:entityId:accountId-or-account:region`, lower case, `*` for what is absent. */
  readonly id: string;
  readonly idPattern?: string;
  readonly lastModified?: number;
  readonly lastModifiedBy?: string;
  readonly tags: EntityTag[];
  readonly tagsMetadata: EntityTagMetadata[];
  readonly entityRef: EntityRef;
}

/** Clouddriver's id template for ids it builds. */
export const ENTITY_REF_ID_PATTERN = '{{cloudProvider}}:{{entityType}}:{{entityId}}:{{account}}:{{region}}';

/** An `EntityTags` as a client sent it (an upsert description), before it has an id. */
export interface EntityTagsInput {
  readonly id?: string;
  readonly idPattern?: string;
  readonly tags: readonly EntityTagInput[];
  readonly entityRef: EntityRef;
}

/** A tag as sent: `timestamp` (epoch ms) sets its metadata times instead of now. */
export interface EntityTagInput extends Omit<EntityTag, 'namespace'> {
  readonly namespace?: string;
  readonly timestamp?: number;
}

/** Clouddriver's `EntityRefIdBuilder.buildId`: the id of the tags of one entity. */
export function entityRefId(entityRef: EntityRef, accountIdOrName: string | undefined): string {
  for (const field of ['cloudProvider', 'entityType', 'entityId'] as const) {
    if (typeof entityRef[field] !== 'string' || entityRef[field] === '') throw new Error(`entityRef.${field} must be set to build the tags' id`);
  }
  return [entityRef.cloudProvider, entityRef.entityType, entityRef.entityId, accountIdOrName, entityRef.region]
    .map((part) => (part === undefined || part === null || part === '' ? '*' : String(part)))
    .join(':')
    .toLowerCase();
}

/** A tag as stored and answered: lower-case name and namespace (default `default`), no `timestamp`. */
export function normalizeTag(tag: EntityTagInput): EntityTag {
  const { timestamp: _timestamp, ...rest } = tag;
  return { ...rest, name: String(tag.name).toLowerCase(), namespace: (tag.namespace || 'default').toLowerCase() } as EntityTag;
}

export function normalizeEntityRef(entityRef: EntityRef): EntityRef {
  return typeof entityRef.entityType === 'string' ? { ...entityRef, entityType: entityRef.entityType.toLowerCase() } : { ...entityRef };
}

function metadataFor(tag: EntityTagInput, now: number, user: string): EntityTagMetadata {
  const time = typeof tag.timestamp === 'number' ? tag.timestamp : now;
  return { name: String(tag.name).toLowerCase(), created: time, createdBy: user, lastModified: time, lastModifiedBy: user };
}

function sameTags(source: readonly EntityTag[], target: readonly EntityTag[]): boolean {
  return target.every((wanted) => source.some((tag) => tag.name === wanted.name && JSON.stringify(tag.value) === JSON.stringify(wanted.value)));
}

/**
 * Clouddriver's `mergeExistingTagsAndMetadata`: the tags to store for an upsert of `update` over
 * `current`, and whether anything changed. Partial (the default) keeps current tags the update does
 * not name; otherwise the update replaces them. Updated tags get fresh `lastModified*` metadata
 * (keeping `created*` of tags that existed); new ones get created metadata too.
 */
export function mergeEntityTags(
  current: EntityTags | undefined,
  update: EntityTagsInput & { readonly id: string },
  options: { readonly isPartial: boolean; readonly now: number; readonly user: string },
): { merged: EntityTags; modified: boolean } {
  const tags = update.tags.map(normalizeTag);
  const base = { id: update.id, ...(update.idPattern ? { idPattern: update.idPattern } : {}), entityRef: normalizeEntityRef(update.entityRef) };
  if (!current) {
    const metadata: EntityTagMetadata[] = [];
    for (const tag of update.tags) upsertMetadata(metadata, metadataFor(tag, options.now, options.user));
    return { merged: { ...base, tags, tagsMetadata: metadata }, modified: true };
  }
  let modified = !sameTags(current.tags, tags);
  let currentTags = current.tags;
  let metadata = current.tagsMetadata.map((entry) => ({ ...entry }));
  if (!options.isPartial) {
    modified = modified || !sameTags(tags, current.tags);
    currentTags = tags;
    const names = new Set(tags.map((tag) => tag.name));
    metadata = metadata.filter((entry) => names.has(entry.name));
  }
  for (const tag of update.tags) upsertMetadata(metadata, metadataFor(tag, options.now, options.user));
  const merged = [...tags];
  for (const tag of currentTags) if (!merged.some((existing) => existing.name === tag.name)) merged.push(tag);
  return { merged: { ...base, tags: merged, tagsMetadata: metadata }, modified };
}

/** Clouddriver's `putEntityTagMetadata`: a known name only gets its `lastModified*` updated. */
function upsertMetadata(metadata: EntityTagMetadata[], entry: EntityTagMetadata): void {
  const index = metadata.findIndex((existing) => existing.name === entry.name);
  if (index === -1) metadata.push(entry);
  else metadata[index] = { ...metadata[index]!, lastModified: entry.lastModified, lastModifiedBy: entry.lastModifiedBy };
}

/** The tags without `names` (and their metadata): Clouddriver's `removeEntityTag`. */
export function withoutTags(current: EntityTags, names: readonly string[]): EntityTags {
  const removed = new Set(names.map((name) => name.toLowerCase()));
  return {
    ...current,
    tags: current.tags.filter((tag) => !removed.has(tag.name)),
    tagsMetadata: current.tagsMetadata.filter((entry) => !removed.has(entry.name)),
  };
}
