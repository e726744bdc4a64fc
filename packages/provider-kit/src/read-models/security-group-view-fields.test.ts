import { describe, expect, it } from 'vitest';
import { securityGroupViewFields } from './security-group-view-fields.js';

describe('securityGroupViewFields', () => {
  it('sets type and cloud provider, the account as accountName, and the application and moniker of the name', () => {
    expect(securityGroupViewFields({ cloudProvider: 'aws', id: 'sg-123', name: 'orders-prod-web', account: 'prod', region: 'us-east-1' })).toEqual({
      type: 'aws',
      cloudProvider: 'aws',
      id: 'sg-123',
      name: 'orders-prod-web',
      accountName: 'prod',
      region: 'us-east-1',
      application: 'orders',
      moniker: { app: 'orders', stack: 'prod', detail: 'web', cluster: 'orders-prod-web' },
    });
  });
});
