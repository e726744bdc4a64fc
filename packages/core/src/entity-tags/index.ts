export {
  ENTITY_REF_ID_PATTERN,
  entityRefId,
  mergeEntityTags,
  normalizeEntityRef,
  normalizeTag,
  withoutTags,
  type EntityRef,
  type EntityTag,
  type EntityTagInput,
  type EntityTagMetadata,
  type EntityTags,
  type EntityTagsInput,
} from './entity-tags-model.js';
export { CacheStoreEntityTagsStore, ENTITY_TAGS_NAMESPACE, type EntityTagsStore } from './entity-tags-store.js';
export { EntityTagsService, type BulkUpsertResult, type EntityTagsQuery } from './entity-tags-service.js';
export { ENTITY_TAGS_SERVICE } from './tokens.js';
