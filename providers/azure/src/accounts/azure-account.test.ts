import { describe, expect, it } from 'vitest';
import { AzureClientFactory, staticTokenCredential } from './azure-clients.js';
import { parseAzureAccount } from './azure-account.js';

const valid = {
  name: 'prod',
  clientId: 'app-id',
  appKey: 'secret!',
  tenantId: 'contoso.onmicrosoft.com',
  subscriptionId: '00000000-0000-0000-0000-000000000001',
  defaultResourceGroup: 'spinnaker-rg',
  regions: ['eastus', { name: 'westeurope' }],
};

describe('azure.accounts[] parsing', () => {
  it('accepts a service principal account, keeping the secret out of what is serialized', () => {
    const account = parseAzureAccount({ ...valid, permissions: { READ: ['dev'], WRITE: ['ops'] } });
    expect(account).toMatchObject({
      name: 'prod',
      cloudProvider: 'azure',
      type: 'azure',
      environment: 'prod',
      regions: [{ name: 'eastus' }, { name: 'westeurope' }],
      permissions: { READ: ['dev'], WRITE: ['ops'] },
    });
    expect(account.appKey).toBe('secret!');
    expect(JSON.stringify(account)).not.toContain('secret!');
  });

  it('fills regions and endpoint from the azure block, and needs no service principal with an access token', () => {
    const account = parseAzureAccount(
      { name: 'dev', accessToken: 'tok', subscriptionId: 'sub-1', defaultResourceGroup: 'rg' },
      { defaultRegions: ['northeurope'], endpoint: 'https://127.0.0.1:8443/' },
    );
    expect(account).toMatchObject({ regions: [{ name: 'northeurope' }], endpoint: 'https://127.0.0.1:8443' });
    expect(JSON.stringify(account)).not.toContain('tok');
  });

  it.each([
    [{ ...valid, name: undefined }, "'name' is required"],
    [{ ...valid, clientId: undefined }, "'clientId' is required"],
    [{ ...valid, appKey: undefined }, "'appKey' is required"],
    [{ ...valid, subscriptionId: 'not a sub' }, "'subscriptionId' must be a subscription id"],
    [{ ...valid, defaultResourceGroup: undefined }, "'defaultResourceGroup' is required"],
    [{ ...valid, regions: ['East US'] }, "'regions[0]' must be an Azure location"],
    [{ ...valid, regions: [] }, "'regions' must name at least one location"],
    [{ ...valid, endpoint: 'http://127.0.0.1:80' }, "'endpoint' must be an https base URL"],
    [{ ...valid, permissions: { ADMIN: ['x'] } }, "'permissions.ADMIN' is not READ, WRITE or EXECUTE"],
  ])('rejects %j naming the field', (raw, message) => {
    expect(() => parseAzureAccount(raw as Record<string, unknown>)).toThrow(message);
  });

  it('builds SDK clients per account object, with the supplied credential and the ARM endpoint', async () => {
    const calls: string[] = [];
    const factory = new AzureClientFactory({
      credential: () => ({ getToken: async (scopes) => (calls.push(String(scopes)), staticTokenCredential('t').getToken(scopes)) }),
      pollIntervalMs: 7,
    });
    const account = parseAzureAccount({ ...valid, endpoint: 'https://127.0.0.1:1' });
    const clients = factory.forAccount(account);
    expect(factory.forAccount(account)).toBe(clients);
    expect(clients.pollOptions).toEqual({ updateIntervalInMs: 7 });
    expect(clients.subscriptionId).toBe(valid.subscriptionId);
    // A changed account (a config reload builds a new object) gets its own clients.
    expect(factory.forAccount(parseAzureAccount({ ...valid, endpoint: 'https://127.0.0.1:1' }))).not.toBe(clients);
    // Port 1 refuses the connection; the token was asked for the endpoint's scope first.
    await expect(clients.compute.virtualMachineScaleSets.listAll().next()).rejects.toThrow();
    expect(calls).toEqual(['https://127.0.0.1:1/.default']);
  });
});
