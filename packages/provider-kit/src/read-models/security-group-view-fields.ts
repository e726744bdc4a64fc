import type { SecurityGroupView } from '@stratus/plugin-api';
import { monikerOf, parseServerGroupName } from '@stratus/plugin-api';

/** What identifies a security group's view. */
export interface SecurityGroupIdentity {
  readonly cloudProvider: string;
  /** The id Deck addresses it by (AWS's group id; the name where the cloud's id is a long path). */
  readonly id: string;
  readonly name: string;
  readonly account: string;
  readonly region: string;
}

/** The fields Deck reads of every cloud's security group. */
export type SecurityGroupViewFields = Pick<SecurityGroupView, 'type' | 'cloudProvider' | 'id' | 'name' | 'accountName' | 'region' | 'application' | 'moniker'>;

/**
 * The fields every security group view starts with (Clouddriver's `SecurityGroup`): type, id, name,
 * account, region, and the application and moniker its name parses to.
 */
export function securityGroupViewFields(identity: SecurityGroupIdentity): SecurityGroupViewFields {
  const { cloudProvider, id, name, account, region } = identity;
  return {
    type: cloudProvider,
    cloudProvider,
    id,
    name,
    accountName: account,
    region,
    application: parseServerGroupName(name).app,
    moniker: monikerOf(name) as SecurityGroupView['moniker'],
  };
}
