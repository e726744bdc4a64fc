/**
 * The names Clouddriver registers each AWS operation under besides its primary one: the older
 * `*Description` bean names Orca still posts (stages built before the `AtomicOperations` constants,
 * and Orca's AWS-specific tasks), keyed by the primary name Stratus registers. Clouddriver's own
 * spelling is kept, including `registerInstancesFromLoadBalancerDescription`.
 */
export const AWS_OPERATION_ALIASES: Readonly<Record<string, readonly string[]>> = {
  createServerGroup: ['basicAmazonDeployDescription'],
  cloneServerGroup: ['copyLastAsgDescription'],
  resizeServerGroup: ['resizeAsgDescription'],
  enableServerGroup: ['enableAsgDescription'],
  disableServerGroup: ['disableAsgDescription'],
  destroyServerGroup: ['destroyAsgDescription'],
  upsertServerGroupTags: ['upsertAsgTagsDescription'],
  updateLaunchConfig: ['modifyAsgLaunchConfigurationDescription'],
  updateLaunchTemplate: ['modifyServerGroupLaunchTemplateDescription'],
  upsertScalingPolicy: ['upsertScalingPolicyDescription'],
  deleteScalingPolicy: ['deleteScalingPolicyDescription'],
  terminateInstances: ['terminateInstancesDescription'],
  rebootInstances: ['rebootInstancesDescription'],
  terminateInstanceAndDecrementServerGroup: ['terminateInstanceAndDecrementAsgDescription'],
  detachInstances: ['detachInstancesDescription'],
  updateInstances: ['updateInstancesDescription'],
  enableInstancesInDiscovery: ['enableInstancesInDiscoveryDescription'],
  disableInstancesInDiscovery: ['disableInstancesInDiscoveryDescription'],
  registerInstancesWithLoadBalancer: ['registerInstancesFromLoadBalancerDescription', 'registerInstancesWithLoadBalancerDescription'],
  deregisterInstancesFromLoadBalancer: ['deregisterInstancesFromLoadBalancerDescription'],
  upsertSecurityGroup: ['upsertSecurityGroupDescription'],
  deleteSecurityGroup: ['deleteSecurityGroupDescription'],
  upsertLoadBalancer: ['upsertAmazonLoadBalancerDescription'],
  deleteLoadBalancer: ['deleteAmazonLoadBalancerDescription'],
  upsertImageTags: ['upsertAmiTagsDescription'],
  deployCloudFormation: ['deployCloudFormationDescription'],
  deleteCloudFormation: ['deleteCloudFormationDescription'],
  executeCloudFormationChangeSet: ['executeCloudFormationChangeSetDescription'],
  deleteCloudFormationChangeSet: ['deleteCloudFormationChangeSetDescription'],
  // Registered under Clouddriver's bean names (it has no short constant for these); the short
  // names are accepted too.
  upsertAlarmDescription: ['upsertAlarm'],
  deleteAlarmDescription: ['deleteAlarm'],
  upsertAsgLifecycleHookDescription: ['upsertAsgLifecycleHook'],
  deleteAsgTagsDescription: ['deleteAsgTags'],
};
