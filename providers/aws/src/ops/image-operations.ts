import { DeleteLaunchConfigurationCommand } from '@aws-sdk/client-auto-scaling';
import { CreateTagsCommand, DeleteLaunchTemplateCommand, DeleteSnapshotCommand, DeregisterImageCommand, DescribeImagesCommand } from '@aws-sdk/client-ec2';
import type { OperationDefinition } from '@stratus/plugin-api';
import { Keys, Types } from '../keys.js';
import type { AwsOperationDeps } from './aws-operation-deps.js';
import { regionalOperation, requireString } from './regional-operation.js';

/**
 * `upsertImageTags` (`upsertAmiTagsDescription`): `{amiName, regions, tags}` — tags every image of
 * that name (or id) the account sees in each region. Fails when a region has none.
 */
export function upsertImageTagsOperation(deps: AwsOperationDeps): OperationDefinition {
  return regionalOperation(deps, {
    name: 'upsertImageTags',
    phase: 'UPSERT_AMI_TAGS',
    validate(input, errors) {
      requireString(errors, input, 'amiName');
      const tags = input.tags;
      if (!tags || typeof tags !== 'object' || Array.isArray(tags) || Object.keys(tags).length === 0)
        errors.reject('tags', 'empty', 'tags must map at least one name to a value');
      else for (const [k, v] of Object.entries(tags)) if (typeof v !== 'string') errors.reject(`tags.${k}`, 'invalid', `tags.${k} must be a string`);
    },
    async act({ account, region, clients, task, input }) {
      const amiName = input.amiName as string;
      const out = await clients.ec2.send(
        new DescribeImagesCommand(amiName.startsWith('ami-') ? { ImageIds: [amiName] } : { Filters: [{ Name: 'name', Values: [amiName] }] }),
      );
      const ids = (out.Images ?? []).map((i) => i.ImageId!).filter(Boolean);
      if (ids.length === 0) throw new Error(`No image named ${amiName} found in ${account.name}/${region}`);
      const tags = Object.entries(input.tags as Record<string, string>).map(([Key, Value]) => ({ Key, Value }));
      await task.updateStatus('UPSERT_AMI_TAGS', `Tagging ${ids.join(', ')} with ${tags.map((t) => t.Key).join(', ')}`);
      await clients.ec2.send(new CreateTagsCommand({ Resources: ids, Tags: tags }));
      await deps.refresher.agent(account.name, region, 'ImageCachingAgent');
    },
  });
}

/** `deleteImage`: deregisters one AMI (`{imageId, region}`) and evicts it. */
export function deleteImageOperation(deps: AwsOperationDeps): OperationDefinition {
  return regionalOperation(deps, {
    name: 'deleteImage',
    phase: 'DELETE_IMAGE',
    validate: (input, errors) => requireString(errors, input, 'imageId', /^ami-[0-9a-f]+$/, 'an AMI id'),
    async act({ account, region, clients, task, input }) {
      const imageId = input.imageId as string;
      await task.updateStatus('DELETE_IMAGE', `Deregistering image ${imageId}`);
      await clients.ec2.send(new DeregisterImageCommand({ ImageId: imageId }));
      await deps.refresher.agent(account.name, region, 'ImageCachingAgent', { [Types.images]: [Keys.image(account.name, region, imageId)] });
    },
  });
}

/** `deleteSnapshot`: deletes one EBS snapshot (`{snapshotId, region}`); snapshots are not cached. */
export function deleteSnapshotOperation(deps: AwsOperationDeps): OperationDefinition {
  return regionalOperation(deps, {
    name: 'deleteSnapshot',
    phase: 'DELETE_SNAPSHOT',
    validate: (input, errors) => requireString(errors, input, 'snapshotId', /^snap-[0-9a-f]+$/, 'a snapshot id'),
    async act({ clients, task, input }) {
      await task.updateStatus('DELETE_SNAPSHOT', `Deleting snapshot ${input.snapshotId as string}`);
      await clients.ec2.send(new DeleteSnapshotCommand({ SnapshotId: input.snapshotId as string }));
      return { snapshotId: input.snapshotId };
    },
  });
}

/** `deleteLaunchConfiguration`: deletes one launch configuration (`{launchConfigurationName, region}`). */
export function deleteLaunchConfigurationOperation(deps: AwsOperationDeps): OperationDefinition {
  return regionalOperation(deps, {
    name: 'deleteLaunchConfiguration',
    phase: 'DELETE_LAUNCH_CONFIGURATION',
    validate: (input, errors) => requireString(errors, input, 'launchConfigurationName'),
    async act({ account, region, clients, task, input }) {
      const name = input.launchConfigurationName as string;
      await task.updateStatus('DELETE_LAUNCH_CONFIGURATION', `Deleting launch configuration ${name}`);
      await clients.autoScaling.send(new DeleteLaunchConfigurationCommand({ LaunchConfigurationName: name }));
      await deps.refresher.agent(account.name, region, 'LaunchConfigCachingAgent', { [Types.launchConfigs]: [Keys.launchConfig(account.name, region, name)] });
    },
  });
}

/** `deleteLaunchTemplate`: deletes one launch template (`{launchTemplateId, region}`) and re-reads the templates. */
export function deleteLaunchTemplateOperation(deps: AwsOperationDeps): OperationDefinition {
  return regionalOperation(deps, {
    name: 'deleteLaunchTemplate',
    phase: 'DELETE_LAUNCH_TEMPLATE',
    validate: (input, errors) => requireString(errors, input, 'launchTemplateId', /^lt-[0-9a-f]+$/, 'a launch template id'),
    async act({ account, region, clients, task, input }) {
      const id = input.launchTemplateId as string;
      await task.updateStatus('DELETE_LAUNCH_TEMPLATE', `Deleting launch template ${id}`);
      const out = await clients.ec2.send(new DeleteLaunchTemplateCommand({ LaunchTemplateId: id }));
      const name = out.LaunchTemplate?.LaunchTemplateName;
      await deps.refresher.agent(
        account.name,
        region,
        'LaunchTemplateCachingAgent',
        name ? { [Types.launchTemplates]: [Keys.launchTemplate(account.name, region, name)] } : {},
      );
    },
  });
}
