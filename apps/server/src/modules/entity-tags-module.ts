import {
  ACCOUNT_LOOKUP,
  CACHE_STORE_FACTORY,
  CacheStoreEntityTagsStore,
  ENTITY_TAGS_NAMESPACE,
  ENTITY_TAGS_SERVICE,
  EntityTagsService,
  OPERATION_REGISTRY,
} from '@stratus/core';
import { entityTagsOperations } from '../entity-tags/entity-tags-operations.js';
import { defineServerModule } from './define-server-module.js';

/** Entity tags live in the configured store, and their operations belong to no cloud. */
export const entityTagsModule = defineServerModule({
  id: 'core.entity-tags',
  deps: { stores: CACHE_STORE_FACTORY, accounts: ACCOUNT_LOOKUP, operations: OPERATION_REGISTRY },
  register({ deps, bind }) {
    const entityTags = new EntityTagsService(new CacheStoreEntityTagsStore(deps.stores.getStore(ENTITY_TAGS_NAMESPACE)), deps.accounts);
    bind(ENTITY_TAGS_SERVICE, entityTags);
    for (const definition of entityTagsOperations(entityTags)) deps.operations.registerProviderIndependent(definition);
  },
});
