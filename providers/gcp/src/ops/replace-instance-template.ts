import type { InstanceProperties } from '../compute-types.js';
import { awaitOperation, gceCall } from '../operations.js';
import { lastSegment } from '../plain.js';
import type { ServerGroupStep } from './server-group-operations.js';

/**
 * Points a group at a changed copy of its instance template (templates are immutable): reads the
 * current one, inserts `<group>-<suffix>` with `change(properties)`, sets it on the group, then
 * deletes the old template (kept, with a history line, when something else still uses it). Running
 * instances keep their configuration; new and recreated ones get the new template. Returns the new
 * template's name.
 */
export async function replaceInstanceTemplate(
  step: ServerGroupStep,
  phase: string,
  change: (properties: InstanceProperties) => InstanceProperties,
  what: string,
): Promise<string> {
  const { clients, account, group, task } = step;
  const name = step.description.serverGroupName;
  const oldName = lastSegment(group.igm.instanceTemplate);
  const [old] = await gceCall(`Reading instance template ${oldName}`, () =>
    clients.instanceTemplates.get({ project: account.project, instanceTemplate: oldName }, clients.callOptions),
  );
  const newName = `${name}-${Date.now().toString(36)}`.slice(0, 63);
  await task.updateStatus(phase, `Creating instance template ${newName} ${what}`);
  const properties = change(structuredClone(old.properties ?? {}));
  const inserted = await gceCall(`Creating instance template ${newName}`, () =>
    clients.instanceTemplates.insert(
      { project: account.project, instanceTemplateResource: { name: newName, ...(old.description ? { description: old.description } : {}), properties } },
      clients.callOptions,
    ),
  );
  await awaitOperation(clients, inserted, { signal: step.signal });
  const instanceTemplate = `projects/${account.project}/global/instanceTemplates/${newName}`;
  await task.updateStatus(phase, `Setting instance template of ${name} to ${newName}`);
  const where = { project: account.project, instanceGroupManager: name };
  const set = await gceCall(`Setting the instance template of ${name}`, () =>
    group.zone
      ? clients.zonalGroups.setInstanceTemplate(
          { ...where, zone: group.zone, instanceGroupManagersSetInstanceTemplateRequestResource: { instanceTemplate } },
          clients.callOptions,
        )
      : clients.regionalGroups.setInstanceTemplate(
          { ...where, region: group.region, regionInstanceGroupManagersSetTemplateRequestResource: { instanceTemplate } },
          clients.callOptions,
        ),
  );
  await awaitOperation(clients, set, { signal: step.signal });
  try {
    await task.updateStatus(phase, `Deleting instance template ${oldName}`);
    const deleted = await gceCall(`Deleting instance template ${oldName}`, () =>
      clients.instanceTemplates.delete({ project: account.project, instanceTemplate: oldName }, clients.callOptions),
    );
    await awaitOperation(clients, deleted, { signal: step.signal });
  } catch (error) {
    await task.updateStatus(phase, `Kept instance template ${oldName}: ${(error as Error).message}`);
  }
  return newName;
}
