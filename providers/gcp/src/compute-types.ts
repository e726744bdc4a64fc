import type { protos } from '@google-cloud/compute';
import type { Plain } from '@stratus/provider-kit';

/** compute/v1 resources as `toPlain` leaves them: the SDK's own interfaces, nulls dropped. */
export type PlainInstanceGroupManager = Plain<protos.google.cloud.compute.v1.IInstanceGroupManager>;
export type PlainInstanceTemplate = Plain<protos.google.cloud.compute.v1.IInstanceTemplate>;
export type PlainInstanceProperties = Plain<protos.google.cloud.compute.v1.IInstanceProperties>;
export type PlainInstance = Plain<protos.google.cloud.compute.v1.IInstance>;
export type PlainAttachedDisk = Plain<protos.google.cloud.compute.v1.IAttachedDisk>;
export type PlainBackendService = Plain<protos.google.cloud.compute.v1.IBackendService>;
export type PlainBackend = Plain<protos.google.cloud.compute.v1.IBackend>;
export type PlainAutoscaler = Plain<protos.google.cloud.compute.v1.IAutoscaler>;
export type PlainAutoscalingPolicy = Plain<protos.google.cloud.compute.v1.IAutoscalingPolicy>;
export type PlainUrlMap = Plain<protos.google.cloud.compute.v1.IUrlMap>;
export type PlainFirewall = Plain<protos.google.cloud.compute.v1.IFirewall>;
export type PlainNetworkInterface = Plain<protos.google.cloud.compute.v1.INetworkInterface>;

/** compute/v1 resources as the SDK returns them. */
export type InstanceGroupManager = protos.google.cloud.compute.v1.IInstanceGroupManager;
export type Autoscaler = protos.google.cloud.compute.v1.IAutoscaler;
export type InstanceTemplate = protos.google.cloud.compute.v1.IInstanceTemplate;
export type Instance = protos.google.cloud.compute.v1.IInstance;
export type BackendService = protos.google.cloud.compute.v1.IBackendService;
export type NetworkInterface = protos.google.cloud.compute.v1.INetworkInterface;
export type InstanceProperties = protos.google.cloud.compute.v1.IInstanceProperties;
