import { CreateTagsCommand, DescribeImagesCommand, ModifyImageAttributeCommand, type Image } from '@aws-sdk/client-ec2';
import type { AtomicOperation, OperationDefinition } from '@stratus/plugin-api';
import type { AwsAccount } from '../accounts/aws-account.js';
import type { AwsRegionClients } from '../accounts/aws-clients.js';
import type { AwsOperationDeps } from './aws-operation-deps.js';
import { str, validateAccount, validateRegion } from './description.js';

/**
 * `allowLaunchDescription`, as Orca's AmazonServerGroupCreator sends it before deploying into an
 * account other than the bake account: `{account: <deploy account>, credentials: <bake account>,
 * region, amiName}`.
 */
export interface AllowLaunchDescription {
  readonly credentials?: string | undefined;
  readonly targetAccount?: string;
  readonly region: string;
  readonly amiName: string;
}

async function findImage(clients: AwsRegionClients, amiName: string, owners?: string[]): Promise<Image | undefined> {
  const filters = amiName.startsWith('ami-') ? { ImageIds: [amiName] } : { Filters: [{ Name: 'name', Values: [amiName] }] };
  try {
    const out = await clients.ec2.send(new DescribeImagesCommand({ ...filters, ...(owners ? { Owners: owners } : {}) }));
    return (out.Images ?? []).sort((a, b) => (b.CreationDate ?? '').localeCompare(a.CreationDate ?? ''))[0];
  } catch (error) {
    // An unknown id is an error in EC2; treat it as "not visible here".
    if ((error as { name?: string }).name === 'InvalidAMIID.NotFound' || (error as { name?: string }).name === 'InvalidAMIID.Malformed') return undefined;
    throw error;
  }
}

/** Clouddriver's `ResolvedAmiResult`. */
function resolvedAmi(image: Image, amiName: string, region: string): Record<string, unknown> {
  return {
    amiName: image.Name ?? amiName,
    amiId: image.ImageId,
    region,
    virtualizationType: image.VirtualizationType,
    ownerId: image.OwnerId,
    blockDeviceMappings: (image.BlockDeviceMappings ?? []).map((m) => ({
      deviceName: m.DeviceName,
      virtualName: m.VirtualName,
      ebs: m.Ebs ? { snapshotId: m.Ebs.SnapshotId, volumeSize: m.Ebs.VolumeSize, volumeType: m.Ebs.VolumeType } : undefined,
    })),
  };
}

/**
 * Lets the deploy account launch the image: when the deploy account already sees it (its own,
 * public, or shared earlier) nothing changes; otherwise the bake account adds a launch permission
 * for the deploy account's id and the image's tags are copied onto it in the deploy account, as
 * Clouddriver's AllowLaunchAtomicOperation does. Returns the resolved image.
 */
export function allowLaunchOperation(deps: AwsOperationDeps): OperationDefinition<AllowLaunchDescription> {
  return {
    name: 'allowLaunchDescription',
    converter: {
      convertDescription: (input) => ({
        ...(typeof input.credentials === 'string' ? { credentials: input.credentials } : {}),
        ...(typeof (input.account ?? input.targetAccount) === 'string' ? { targetAccount: (input.account ?? input.targetAccount) as string } : {}),
        region: str(input.region),
        amiName: str(input.amiName),
      }),
      convertOperation: (d): AtomicOperation => ({
        async operate(_prior, context) {
          const source = deps.accounts.get(d.credentials!)!;
          const target = deps.accounts.get(d.targetAccount!)!;
          await context.task.updateStatus(
            'ALLOW_LAUNCH',
            `Initializing Allow Launch Operation of ${d.amiName} from ${source.name} to ${target.name} in ${d.region}`,
          );
          const targetClients = deps.clients.forRegion(target, d.region);
          const visible = await findImage(targetClients, d.amiName);
          if (visible && (visible.OwnerId === target.accountId || visible.Public || source === target || source.accountId === target.accountId)) {
            await context.task.updateStatus('ALLOW_LAUNCH', `Image ${visible.ImageId} is already launchable in ${target.name}`);
            return resolvedAmi(visible, d.amiName, d.region);
          }
          const sourceClients = deps.clients.forRegion(source, d.region);
          const image = await findImage(sourceClients, d.amiName);
          if (!image?.ImageId) throw new Error(`Unable to find AMI ${d.amiName} in ${source.name}/${d.region} or ${target.name}/${d.region}`);
          if (visible?.ImageId !== image.ImageId) {
            await context.task.updateStatus('ALLOW_LAUNCH', `Allowing launch of ${image.ImageId} from ${source.name} by ${target.name} (${target.accountId})`);
            await sourceClients.ec2.send(
              new ModifyImageAttributeCommand({ ImageId: image.ImageId, LaunchPermission: { Add: [{ UserId: target.accountId! }] } }),
            );
          }
          if ((image.Tags ?? []).length > 0) {
            await context.task.updateStatus('ALLOW_LAUNCH', `Copying ${image.Tags!.length} tag(s) of ${image.ImageId} to ${target.name}`);
            try {
              await targetClients.ec2.send(new CreateTagsCommand({ Resources: [image.ImageId], Tags: image.Tags }));
            } catch (error) {
              await context.task.updateStatus('ALLOW_LAUNCH', `Could not copy tags to ${target.name}: ${(error as Error).message}`);
            }
          }
          await context.task.updateStatus('ALLOW_LAUNCH', `Done allowing launch of ${image.ImageId} from ${source.name}`);
          return resolvedAmi(image, d.amiName, d.region);
        },
      }),
    },
    validator: {
      validate(d, errors) {
        const source = validateAccount(errors, deps.accounts, d.credentials);
        let target: AwsAccount | undefined;
        if (!d.targetAccount) errors.reject('account', 'empty', 'account (the account to deploy into) is required');
        else {
          target = deps.accounts.get(d.targetAccount);
          if (!target) errors.reject('account', 'invalid', `'${d.targetAccount}' is not a configured AWS account`);
          else if (!target.accountId && source !== target)
            errors.reject('account', 'invalid', `account '${d.targetAccount}' has no accountId to share images with`);
        }
        validateRegion(errors, target ?? source, d.region, 'region');
        if (!d.amiName) errors.reject('amiName', 'empty', 'amiName is required');
      },
    },
    accountsOf: (d) => [d.credentials, d.targetAccount].filter((a): a is string => !!a),
  };
}
