import type { OperationDefinition } from '@stratus/plugin-api';
import { Types } from '../keys.js';
import { awaitOperation, gceCall } from '../operations.js';
import { GCE_NAME } from './description.js';
import type { GceOperationDeps } from './gce-operation-deps.js';
import { replaceInstanceTemplate } from './replace-instance-template.js';
import { serverGroupOperation } from './server-group-operations.js';

const PHASE = 'UPSERT_SERVER_GROUP_TAGS';

/**
 * Clouddriver's `upsertServerGroupTags` for GCE: sets the network tags of a group. The group gets a
 * copy of its instance template with the new tags (templates are immutable), its running instances
 * get the tags with `instances.setTags` (so they need no recreation), and the old template is deleted
 * when nothing else uses it.
 */
export function upsertServerGroupTagsOperation(deps: GceOperationDeps): OperationDefinition {
  return serverGroupOperation(deps, {
    name: 'upsertServerGroupTags',
    phase: PHASE,
    validate: (input, errors) => {
      if (!Array.isArray(input.tags)) errors.reject('tags', 'empty', 'tags (the network tags to set) must be a list');
      else
        input.tags.forEach((tag, i) => {
          if (typeof tag !== 'string' || !GCE_NAME.test(tag))
            errors.reject(`tags[${i}]`, 'invalid', `'${String(tag)}' is not a GCE network tag (lower-case letters, digits and dashes)`);
        });
    },
    async act(step) {
      const { clients, account, group, task } = step;
      const tags = [...new Set(step.description.input.tags as string[])];
      const name = step.description.serverGroupName;
      await replaceInstanceTemplate(step, PHASE, (properties) => ({ ...properties, tags: { items: tags } }), `with tags ${tags.join(', ') || '(none)'}`);

      // The group's running instances, as cached (the group relationship is by name).
      const ids = await deps.cache.filterIdentifiers(Types.instances, `gce:instances:${account.name}:${group.region}:*`);
      const members = (await deps.cache.getAllByIds(Types.instances, ids, { relationshipPrefixes: [] })).filter((i) => i.attributes.serverGroup === name);
      for (const member of members) {
        const instance = member.attributes.name as string;
        const zone = member.attributes.zone as string;
        const [live] = await gceCall(`Reading instance ${instance}`, () =>
          clients.instances.get({ project: account.project, zone, instance }, clients.callOptions),
        );
        await task.updateStatus(PHASE, `Setting tags of instance ${instance} to ${tags.join(', ') || '(none)'}`);
        const started = await gceCall(`Setting tags of ${instance}`, () =>
          clients.instances.setTags(
            {
              project: account.project,
              zone,
              instance,
              tagsResource: { items: tags, ...(live.tags?.fingerprint ? { fingerprint: live.tags.fingerprint } : {}) },
            },
            clients.callOptions,
          ),
        );
        await awaitOperation(clients, started, { signal: step.signal });
      }
    },
  });
}
