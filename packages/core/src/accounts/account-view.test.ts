import { describe, expect, it } from 'vitest';
import { accountDetails, accountSummary } from './account-view.js';

class SdkClient {
  constructor(readonly endpoint: string) {}
}

describe('account views', () => {
  const account = {
    name: 'prod',
    cloudProvider: 'aws',
    accountId: '123456789012',
    regions: [{ name: 'us-east-1', availabilityZones: ['us-east-1a'] }],
    permissions: { READ: ['Dev'], WRITE: ['ops'] },
    secretAccessKey: 'shh',
    credentials: { token: 'x' },
    client: new SdkClient('https://example.invalid'),
    nested: { password: 'p', keep: 1 },
    refresh: () => undefined,
  };

  it('summarises with Clouddriver’s fields and defaults', () => {
    expect(accountSummary(account)).toEqual({
      name: 'prod',
      environment: 'prod',
      accountType: 'prod',
      cloudProvider: 'aws',
      type: 'aws',
      requiredGroupMembership: [],
      permissions: { READ: ['dev'], WRITE: ['ops'] },
      accountId: '123456789012',
      challengeDestructiveActions: false,
      primaryAccount: false,
    });
  });

  it('expands plain fields but never secrets, live handles or functions', () => {
    const details = accountDetails(account);
    expect(details.regions).toEqual(account.regions);
    expect(details.nested).toEqual({ keep: 1 });
    for (const hidden of ['secretAccessKey', 'credentials', 'client', 'refresh']) expect(details).not.toHaveProperty(hidden);
    expect(details.type).toBe('aws');
  });
});
