import type { InstanceProperties, PlainAutoscalingPolicy } from '../compute-types.js';
import type { OperationContext, OperationDefinition } from '@stratus/plugin-api';
import { BACKEND_SERVICE_NAMES, LOAD_BALANCER_NAMES } from '../caching/server-group-data.js';
import { parseServerGroupName } from '@stratus/plugin-api';
import { cloneServerGroupDefinition, emptyDeploymentResult, startClone } from '@stratus/provider-kit';
import { gceCall } from '../operations.js';
import { csv, lastSegment, metadataMap, toPlain } from '../plain.js';
import { findAutoscaler, type AutoscalingPolicy } from './autoscaler.js';
import {
  bootDiskOf,
  recordDeployment,
  refreshDeployed,
  validateDeployFields,
  type CreateServerGroupDescription,
  type DeploymentResult,
} from './create-server-group.js';
import { DEPLOY_PHASE, deployServerGroup } from './deploy-handler.js';
import { desiredSizeOf, optString, stringList, validateZone } from './description.js';
import type { GceOperationDeps } from './gce-operation-deps.js';
import { requireGroup, resolveImage, zonesOf } from './live-lookups.js';

/** Metadata keys the deploy writes itself; not copied from the source template. */
const MANAGED_METADATA = new Set([LOAD_BALANCER_NAMES, BACKEND_SERVICE_NAMES, 'created-by', 'instance-template']);

/**
 * Copies a server group into the next `vNNN` of its cluster (or of the cluster the description
 * names), taking every field the description leaves out from the source group and its instance
 * template (Clouddriver's `CopyLastGoogleServerGroupAtomicOperation`).
 */
export function cloneServerGroupOperation(deps: GceOperationDeps): OperationDefinition<CreateServerGroupDescription> {
  return cloneServerGroupDefinition({
    cloudLabel: 'GCE',
    accounts: deps.accounts,
    validate(d, errors) {
      if (d.source && typeof d.source === 'object') {
        const source = d.source as Record<string, unknown>;
        validateZone(errors, source.zone, source.region, 'source.zone');
      }
      validateDeployFields(d, errors, deps.accounts, false);
    },
    clone: (d, context) => cloneServerGroup(deps, d, context),
  });
}

// eslint-disable-next-line max-lines-per-function -- to split after the dedupe merge (another helper is rewriting providers' ops/ now)
async function cloneServerGroup(deps: GceOperationDeps, d: CreateServerGroupDescription, context: OperationContext): Promise<DeploymentResult> {
  const { source, sourceAccount } = await startClone(deps.accounts, d, context, DEPLOY_PHASE);
  const sourceName = source.serverGroupName;
  const sourceRegion = source.region;
  const account = deps.accounts.get(d.credentials!)!;
  const sourceClients = deps.clients.forAccount(sourceAccount);
  const clients = deps.clients.forAccount(account);
  const group = await requireGroup(sourceClients, sourceAccount, sourceRegion, sourceName, optString(source.raw.zone));
  const templateName = lastSegment(group.igm.instanceTemplate);
  const [template] = await gceCall(`Reading instance template ${templateName}`, () =>
    sourceClients.instanceTemplates.get({ project: sourceAccount.project, instanceTemplate: templateName }, sourceClients.callOptions),
  );
  const p: InstanceProperties = template.properties ?? {};
  const sourceMetadata = metadataMap(p.metadata);
  const bootDisk = (p.disks ?? []).find((disk) => disk.boot) ?? (p.disks ?? [])[0];
  const nic = (p.networkInterfaces ?? [])[0] ?? {};
  const names = parseServerGroupName(sourceName);
  const region = optString(d.region) ?? sourceRegion;
  const regional = typeof d.regional === 'boolean' ? d.regional : d.zone ? false : !group.zone;
  const zone = optString(d.zone) ?? (region === sourceRegion ? group.zone : undefined) ?? (await zonesOf(clients, account, region))[0]!;
  const sourceZones: string[] = (group.igm.distributionPolicy?.zones ?? []).map((z) => lastSegment(z.zone));
  const distribution = stringList((d.distributionPolicy as Record<string, unknown> | undefined)?.zones);
  const labels = Object.fromEntries(Object.entries((p.labels ?? {}) as Record<string, string>).filter(([k]) => !k.startsWith('spinnaker-')));
  const image = optString(d.image) ? await resolveImage(clients, account, d.image as string) : (bootDisk?.initializeParams?.sourceImage as string | undefined);
  if (!image) throw new Error(`No image: neither the description nor ${sourceName}'s instance template has one`);
  const size = desiredSizeOf(d);
  const sourceAutoscaler = d.autoscalingPolicy ? undefined : await findAutoscaler(sourceClients, group);
  const autoscalingPolicy =
    (d.autoscalingPolicy as AutoscalingPolicy | undefined) ?? (sourceAutoscaler ? copyPolicy(toPlain(sourceAutoscaler.autoscalingPolicy ?? {})) : undefined);
  const boot = bootDiskOf(d);
  const name = await deployServerGroup(
    clients,
    {
      account,
      region,
      regional,
      ...(regional ? {} : { zone }),
      distributionZones: regional
        ? distribution.length > 0
          ? distribution
          : sourceZones.length > 0 && region === sourceRegion
            ? sourceZones
            : await zonesOf(clients, account, region)
        : [],
      application: optString(d.application) ?? names.app,
      ...((optString(d.stack) ?? names.stack) ? { stack: optString(d.stack) ?? names.stack } : {}),
      ...((optString(d.freeFormDetails) ?? names.detail) ? { freeFormDetails: optString(d.freeFormDetails) ?? names.detail } : {}),
      targetSize: typeof size === 'number' ? size : (group.igm.targetSize ?? 0),
      instanceType: optString(d.instanceType) ?? (p.machineType as string),
      image,
      ...(boot.diskSizeGb
        ? { diskSizeGb: boot.diskSizeGb }
        : bootDisk?.initializeParams?.diskSizeGb
          ? { diskSizeGb: Number(bootDisk.initializeParams.diskSizeGb) }
          : {}),
      ...(boot.diskType ? { diskType: boot.diskType } : bootDisk?.initializeParams?.diskType ? { diskType: bootDisk.initializeParams.diskType } : {}),
      network: optString(d.network) ?? (lastSegment(nic.network) || 'default'),
      ...((optString(d.subnet) ?? (nic.subnetwork ? lastSegment(nic.subnetwork) : undefined))
        ? { subnet: optString(d.subnet) ?? lastSegment(nic.subnetwork) }
        : {}),
      tags: Array.isArray(d.tags) ? stringList(d.tags) : (p.tags?.items ?? []),
      labels: { ...labels, ...((d.labels as Record<string, string>) ?? {}) },
      metadata: {
        ...Object.fromEntries(Object.entries(sourceMetadata).filter(([k]) => !MANAGED_METADATA.has(k))),
        ...((d.instanceMetadata as Record<string, string>) ?? {}),
      },
      loadBalancers: Array.isArray(d.loadBalancers) ? stringList(d.loadBalancers) : csv(sourceMetadata[LOAD_BALANCER_NAMES]),
      backendServices: Array.isArray(d.backendServices) ? stringList(d.backendServices) : csv(sourceMetadata[BACKEND_SERVICE_NAMES]),
      associatePublicIpAddress: typeof d.associatePublicIpAddress === 'boolean' ? d.associatePublicIpAddress : (nic.accessConfigs ?? []).length > 0,
      ...(p.serviceAccounts?.[0]?.email ? { serviceAccountEmail: p.serviceAccounts[0].email, authScopes: p.serviceAccounts[0].scopes ?? [] } : {}),
      ...(typeof p.canIpForward === 'boolean' ? { canIpForward: p.canIpForward } : {}),
      ...(autoscalingPolicy ? { autoscalingPolicy } : {}),
    },
    context.task,
    context.signal,
  );
  await refreshDeployed(deps, account.name, region, name);
  const result: DeploymentResult = emptyDeploymentResult();
  recordDeployment(result, region, name);
  return result;
}

/** The settable fields of a source autoscaler's policy. */
function copyPolicy(p: PlainAutoscalingPolicy): AutoscalingPolicy {
  return {
    ...(p.minNumReplicas !== undefined ? { minNumReplicas: p.minNumReplicas } : {}),
    ...(p.maxNumReplicas !== undefined ? { maxNumReplicas: p.maxNumReplicas } : {}),
    ...(p.coolDownPeriodSec !== undefined ? { coolDownPeriodSec: p.coolDownPeriodSec } : {}),
    ...(p.mode ? { mode: p.mode } : {}),
    ...(p.cpuUtilization?.utilizationTarget !== undefined ? { cpuUtilization: { utilizationTarget: p.cpuUtilization.utilizationTarget } } : {}),
  };
}
