import type { AtomicOperation, OperationDefinition } from '@stratus/plugin-api';
import { z } from 'zod';
import type { EntityTagsInput, EntityTagsService } from '@stratus/core';

const PHASE = 'ENTITY_TAGS';

const tagSchema = z.looseObject({
  name: z.string().min(1),
  namespace: z
    .string()
    .optional()
    .nullable()
    .transform((value) => value ?? undefined),
  category: z
    .string()
    .optional()
    .nullable()
    .transform((value) => value ?? undefined),
  value: z.unknown(),
  valueType: z
    .string()
    .optional()
    .nullable()
    .transform((value) => value ?? undefined),
  timestamp: z
    .number()
    .optional()
    .nullable()
    .transform((value) => value ?? undefined),
});

const entityTagsSchema = z.looseObject({
  id: z
    .string()
    .min(1)
    .optional()
    .nullable()
    .transform((value) => value ?? undefined),
  idPattern: z
    .string()
    .optional()
    .nullable()
    .transform((value) => value ?? undefined),
  tags: z.array(tagSchema).default([]),
  entityRef: z.looseObject({}).default({}),
});

const upsertSchema = entityTagsSchema.extend({ isPartial: z.boolean().default(true) });
const bulkUpsertSchema = z.looseObject({ isPartial: z.boolean().default(true), entityTags: z.array(entityTagsSchema).default([]) });
const deleteSchema = z.looseObject({
  id: z.string().min(1),
  tags: z
    .array(z.string())
    .nullable()
    .optional()
    .transform((value) => value ?? []),
  deleteAll: z.boolean().default(false),
});

type UpsertDescription = z.infer<typeof upsertSchema>;
type BulkUpsertDescription = z.infer<typeof bulkUpsertSchema>;
type DeleteDescription = z.infer<typeof deleteSchema>;

const asInput = (entry: z.infer<typeof entityTagsSchema>): EntityTagsInput => entry as unknown as EntityTagsInput;

/** Without an id, the id is built from the entity reference, which then needs these three. */
function missingRefFields(entry: z.infer<typeof entityTagsSchema>): string[] {
  if (entry.id) return [];
  return (['cloudProvider', 'entityType', 'entityId'] as const).filter((field) => typeof entry.entityRef[field] !== 'string' || entry.entityRef[field] === '');
}

/**
 * Clouddriver's three entity tag operations (`upsertEntityTags`, `bulkUpsertEntityTags`,
 * `deleteEntityTags`), over {@link EntityTagsService}. They belong to no cloud: the server registers
 * them provider-independently, so Orca's `POST /ops` and `POST /{cloudProvider}/ops` both reach
 * them, and `/features/stages` lists `upsertEntityTags`, which is how Orca decides entity tags are
 * available. The caller needs WRITE on the account the tags name, when they name one.
 */
export function entityTagsOperations(service: EntityTagsService): OperationDefinition[] {
  const upsert: OperationDefinition<UpsertDescription> = {
    name: 'upsertEntityTags',
    converter: {
      convertDescription: (input) => upsertSchema.parse(input),
      convertOperation: (description): AtomicOperation => ({
        async operate(_prior, context) {
          const names = description.tags.map((tag) => tag.name.toLowerCase()).join(', ');
          await context.task.updateStatus(
            PHASE,
            `Updating entity tags for ${description.id ?? JSON.stringify(description.entityRef)} (isPartial: ${description.isPartial}, tags: ${names})`,
          );
          const result = await service.upsert([asInput(description)], { isPartial: description.isPartial, ...(context.user ? { user: context.user } : {}) });
          if (result.failures.length > 0) throw new Error(`Failed to build tag id: ${result.failures[0]!.error}`);
          await context.task.updateStatus(PHASE, result.upserted.length > 0 ? `Updated ${result.upserted[0]!.id}` : 'No tags have been modified');
          return undefined;
        },
      }),
    },
    validator: {
      validate(description, errors) {
        for (const field of missingRefFields(description))
          errors.reject(`entityRef.${field}`, 'required', `entityRef.${field} is required when no id is given`);
      },
    },
    accountsOf: (description) => service.accountsOf(description.entityRef),
  };

  const bulkUpsert: OperationDefinition<BulkUpsertDescription> = {
    name: 'bulkUpsertEntityTags',
    converter: {
      convertDescription: (input) => bulkUpsertSchema.parse(input),
      convertOperation: (description): AtomicOperation => ({
        async operate(_prior, context) {
          await context.task.updateStatus(PHASE, `Upserting ${description.entityTags.length} entity tags (isPartial: ${description.isPartial})`);
          const result = await service.upsert(description.entityTags.map(asInput), {
            isPartial: description.isPartial,
            ...(context.user ? { user: context.user } : {}),
          });
          for (const failure of result.failures) await context.task.updateStatus(PHASE, `Failed to build tag id, reason: ${failure.error}`);
          await context.task.updateStatus(PHASE, result.upserted.length > 0 ? `Upserted ${result.upserted.length} entity tags` : 'No tags have been modified');
          return result;
        },
      }),
    },
    validator: {
      validate(description, errors) {
        description.entityTags.forEach((entry, index) => {
          for (const field of missingRefFields(entry))
            errors.reject(`entityTags[${index}].entityRef.${field}`, 'required', `entityRef.${field} is required when no id is given`);
        });
      },
    },
    accountsOf: (description) => description.entityTags.flatMap((entry) => service.accountsOf(entry.entityRef)),
  };

  const remove: OperationDefinition<DeleteDescription> = {
    name: 'deleteEntityTags',
    converter: {
      convertDescription: (input) => deleteSchema.parse(input),
      convertOperation: (description): AtomicOperation => ({
        async operate(_prior, context) {
          await context.task.updateStatus(PHASE, `Retrieving ${description.id}`);
          const outcome = await service.delete(description.id, description.tags, description.deleteAll, context.user ? { user: context.user } : {});
          const message =
            outcome === 'missing'
              ? `Did not find ${description.id}`
              : outcome === 'deleted'
                ? `Deleted ${description.id}`
                : `Removed tags from ${description.id} (tags: ${description.tags.join(', ')})`;
          await context.task.updateStatus(PHASE, message);
          return undefined;
        },
      }),
    },
    // The id ends with `:<account or accountId>:<region>`; entity ids may themselves hold colons.
    accountsOf: (description) => {
      const parts = description.id.split(':');
      return parts.length >= 5 ? service.accountsOf({ accountId: parts[parts.length - 2]! }) : [];
    },
  };

  return [upsert, bulkUpsert, remove];
}
