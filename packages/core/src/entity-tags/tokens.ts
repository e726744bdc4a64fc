import { createToken } from '@stratus/plugin-api';
import type { EntityTagsService } from './entity-tags-service.js';

/** Entity tags (`GET /tags`, the entity tag operations), kept in the configured store. */
export const ENTITY_TAGS_SERVICE = createToken<EntityTagsService>('core.entity-tags');
