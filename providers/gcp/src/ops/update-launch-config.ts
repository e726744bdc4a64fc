import type { OperationDefinition } from '@stratus/plugin-api';
import { BACKEND_SERVICE_NAMES, LOAD_BALANCER_NAMES } from '../caching/server-group-data.js';
import { metadataMap } from '../plain.js';
import { GCE_NAME, optString, validateStringList, validateStringMap } from './description.js';
import type { GceOperationDeps } from './gce-operation-deps.js';
import { resolveImage } from './live-lookups.js';
import { replaceInstanceTemplate } from './replace-instance-template.js';
import { serverGroupOperation } from './server-group-operations.js';

const PHASE = 'UPDATE_LAUNCH_CONFIG';

/**
 * Clouddriver's `updateLaunchConfig` for GCE (`ModifyGoogleServerGroupInstanceTemplateAtomicOperation`):
 * the group gets a copy of its instance template with the given `instanceType`, `image`, `tags`,
 * `labels` and `instanceMetadata` (fields left out keep the template's values; the load balancer
 * and backend service names in the metadata are kept, since enable reads them). Running instances
 * are not touched.
 */
export function updateLaunchConfigOperation(deps: GceOperationDeps): OperationDefinition {
  return serverGroupOperation(deps, {
    name: 'updateLaunchConfig',
    phase: PHASE,
    validate: (input, errors) => {
      if (input.instanceType !== undefined && (typeof input.instanceType !== 'string' || !/^[a-z0-9-]+$/.test(input.instanceType)))
        errors.reject('instanceType', 'invalid', 'instanceType must be a machine type such as e2-small');
      if (input.image !== undefined && (typeof input.image !== 'string' || input.image === ''))
        errors.reject('image', 'invalid', 'image must be an image name or URL');
      validateStringList(errors, input.tags, 'tags');
      if (Array.isArray(input.tags))
        input.tags.forEach((t, i) => typeof t === 'string' && !GCE_NAME.test(t) && errors.reject(`tags[${i}]`, 'invalid', `'${t}' is not a GCE network tag`));
      validateStringMap(errors, input.labels, 'labels');
      validateStringMap(errors, input.instanceMetadata, 'instanceMetadata');
    },
    async act(step) {
      const input = step.description.input;
      const image = optString(input.image) ? await resolveImage(step.clients, step.account, input.image as string) : undefined;
      const changed = ['instanceType', 'image', 'tags', 'labels', 'instanceMetadata'].filter((k) => input[k] !== undefined);
      await replaceInstanceTemplate(
        step,
        PHASE,
        (p) => {
          const machineType = optString(input.instanceType);
          if (machineType) p.machineType = machineType;
          if (image) {
            const boot = (p.disks ?? []).find((d) => d.boot) ?? p.disks?.[0];
            if (boot) boot.initializeParams = { ...(boot.initializeParams ?? {}), sourceImage: image };
          }
          if (Array.isArray(input.tags)) p.tags = { items: [...new Set(input.tags as string[])] };
          if (input.labels !== undefined) p.labels = { ...(input.labels as Record<string, string>) };
          if (input.instanceMetadata !== undefined) {
            const current = metadataMap(p.metadata);
            const kept = Object.fromEntries([LOAD_BALANCER_NAMES, BACKEND_SERVICE_NAMES].filter((k) => current[k] !== undefined).map((k) => [k, current[k]!]));
            const next = { ...(input.instanceMetadata as Record<string, string>), ...kept };
            p.metadata = { items: Object.entries(next).map(([key, value]) => ({ key, value })) };
          }
          return p;
        },
        changed.length > 0 ? `with new ${changed.join(', ')}` : '(unchanged copy)',
      );
    },
  });
}
