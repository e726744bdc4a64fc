import type { ImageReference, VirtualMachineScaleSet, VirtualMachineScaleSetNetworkProfile, VirtualMachineScaleSetVM } from '@azure/arm-compute';
import type { ApplicationGateway, LoadBalancer, NetworkSecurityGroup, SecurityRule } from '@azure/arm-network';
import type { Plain } from '@stratus/provider-kit';

/** ARM models as `toPlain` leaves them (dates as ISO strings): the SDKs' own types. */
export type PlainScaleSet = Plain<VirtualMachineScaleSet, string>;
export type PlainScaleSetVm = Plain<VirtualMachineScaleSetVM, string>;
export type PlainLoadBalancer = Plain<LoadBalancer, string>;
export type PlainApplicationGateway = Plain<ApplicationGateway, string>;
export type PlainSecurityGroup = Plain<NetworkSecurityGroup, string>;
export type PlainSecurityRule = Plain<SecurityRule, string>;

/** A load balancer or an application gateway: the frontends a scale set's backend pools belong to. */
export type Frontend = LoadBalancer | ApplicationGateway;

/** The part of a scale set `networkOf` reads (the SDK model and its plain JSON both have it). */
export interface NetworkedScaleSet {
  readonly virtualMachineProfile?: { readonly networkProfile?: VirtualMachineScaleSetNetworkProfile };
}

/** The part of a scale set `imageOf` reads. */
export interface ImagedScaleSet {
  readonly virtualMachineProfile?: { readonly storageProfile?: { readonly imageReference?: ImageReference } };
}
