import type { AtomicOperation, OperationDefinition } from '@stratus/plugin-api';
import { awaitOperation, gceCall, gceErrorStatus } from '../operations.js';
import { accountNameOf, str, validateAccount, validateName, validateStringMap } from './description.js';
import type { GceOperationDeps } from './gce-operation-deps.js';

const PHASE = 'UPSERT_IMAGE_TAGS';

/** Clouddriver's `UpsertGoogleImageTagsDescription`: GCE image "tags" are its labels. */
export interface UpsertImageTagsDescription {
  readonly credentials?: string | undefined;
  readonly imageName: string;
  readonly tags: unknown;
}

/** GCE label keys and values: lower-case letters, digits, `_` and `-`, at most 63; keys start with a letter. */
const LABEL_KEY = /^[a-z][a-z0-9_-]{0,62}$/;
const LABEL_VALUE = /^[a-z0-9_-]{0,63}$/;

/**
 * Merges `tags` into an image's labels (`images.setLabels` with the image's label fingerprint, so a
 * concurrent change is refused rather than lost), looking in the account's project. The image cache
 * is refreshed so `/gce/images/…` shows the tags when the task completes.
 */
export function upsertImageTagsOperation(deps: GceOperationDeps): OperationDefinition<UpsertImageTagsDescription> {
  return {
    name: 'upsertImageTags',
    converter: {
      convertDescription: (input) => ({ credentials: accountNameOf(input), imageName: str(input.imageName), tags: input.tags }),
      convertOperation: (d): AtomicOperation => ({
        async operate(_prior, context) {
          const account = deps.accounts.get(d.credentials!)!;
          const clients = deps.clients.forAccount(account);
          const tags = d.tags as Record<string, string>;
          await context.task.updateStatus(PHASE, `Initializing upsert of image tags for ${d.imageName} in ${account.name}`);
          const [image] = await gceCall(`Reading image ${d.imageName}`, () =>
            clients.images.get({ project: account.project, image: d.imageName }, clients.callOptions).catch((error: unknown) => {
              if (gceErrorStatus(error) === 404) throw new Error(`Image ${d.imageName} not found in project ${account.project}`);
              throw error;
            }),
          );
          const labels = { ...(image.labels ?? {}), ...tags };
          await context.task.updateStatus(
            PHASE,
            `Setting labels of image ${d.imageName} to ${Object.entries(labels)
              .map(([k, v]) => `${k}=${v}`)
              .join(', ')}`,
          );
          const started = await gceCall(`Setting labels of image ${d.imageName}`, () =>
            clients.images.setLabels(
              {
                project: account.project,
                resource: d.imageName,
                globalSetLabelsRequestResource: { labels, ...(image.labelFingerprint ? { labelFingerprint: image.labelFingerprint } : {}) },
              },
              clients.callOptions,
            ),
          );
          await awaitOperation(clients, started, { signal: context.signal });
          await deps.refresher.agent(account.name, 'global', 'GoogleImageCachingAgent');
          await context.task.updateStatus(PHASE, `Done tagging image ${d.imageName}`);
          return undefined;
        },
      }),
    },
    validator: {
      validate(d, errors) {
        validateAccount(errors, deps.accounts, d.credentials);
        validateName(errors, d.imageName, 'imageName');
        validateStringMap(errors, d.tags, 'tags');
        if (d.tags === undefined || d.tags === null) errors.reject('tags', 'empty', 'tags (the labels to set) is required');
        else if (typeof d.tags === 'object' && !Array.isArray(d.tags)) {
          for (const [k, v] of Object.entries(d.tags as Record<string, unknown>)) {
            if (!LABEL_KEY.test(k))
              errors.reject(`tags.${k}`, 'invalid', `label key '${k}' must be lower-case letters, digits, _ or -, starting with a letter (at most 63)`);
            else if (typeof v === 'string' && !LABEL_VALUE.test(v))
              errors.reject(`tags.${k}`, 'invalid', `label value '${v}' must be lower-case letters, digits, _ or - (at most 63)`);
          }
        }
      },
    },
    accountsOf: (d) => (d.credentials ? [d.credentials] : []),
  };
}
