import type { OperationDefinition } from '@stratus/plugin-api';
import { awaitOperation, gceCall } from '../operations.js';
import type { GceOperationDeps } from './gce-operation-deps.js';
import { resolveImage } from './live-lookups.js';
import { replaceInstanceTemplate } from './replace-instance-template.js';
import { serverGroupOperation } from './server-group-operations.js';

const PHASE = 'STATEFULLY_UPDATE_BOOT_IMAGE';

/**
 * Clouddriver's `statefullyUpdateBootImage`: for a stateful group (it must have a `statefulPolicy`),
 * a copy of the instance template whose single boot disk starts from `bootImage`, set on the group
 * with an `OPPORTUNISTIC` update policy (instances take it when they are recreated, keeping their
 * preserved disks); the old template is deleted.
 */
export function statefullyUpdateBootImageOperation(deps: GceOperationDeps): OperationDefinition {
  return serverGroupOperation(deps, {
    name: 'statefullyUpdateBootImage',
    phase: PHASE,
    validate: (input, errors) => {
      if (typeof input.bootImage !== 'string' || input.bootImage === '') errors.reject('bootImage', 'empty', 'bootImage (an image name or URL) is required');
    },
    async act(step) {
      const { clients, account, group } = step;
      const name = step.description.serverGroupName;
      if (!group.igm.statefulPolicy?.preservedState) throw new Error(`Server group ${name} does not have a StatefulPolicy`);
      if ((group.igm.versions ?? []).length > 1) throw new Error(`Found more than one instance template for the server group ${name}`);
      const image = await resolveImage(clients, account, step.description.input.bootImage as string);
      await replaceInstanceTemplate(
        step,
        PHASE,
        (p) => {
          const boots = (p.disks ?? []).filter((d) => d.boot);
          if (boots.length !== 1) throw new Error(`Expected exactly one boot disk, found ${boots.length}`);
          const boot = boots[0]!;
          boot.initializeParams = { ...(boot.initializeParams ?? {}), sourceImage: image };
          return p;
        },
        `booting ${image.slice(image.lastIndexOf('/') + 1)}`,
      );
      await step.task.updateStatus(PHASE, `Setting the update policy of ${name} to OPPORTUNISTIC`);
      const where = { project: account.project, instanceGroupManager: name, instanceGroupManagerResource: { updatePolicy: { type: 'OPPORTUNISTIC' } } };
      const started = await gceCall(`Updating ${name}`, () =>
        group.zone
          ? clients.zonalGroups.patch({ ...where, zone: group.zone }, clients.callOptions)
          : clients.regionalGroups.patch({ ...where, region: group.region }, clients.callOptions),
      );
      await awaitOperation(clients, started, { signal: step.signal });
    },
  });
}
