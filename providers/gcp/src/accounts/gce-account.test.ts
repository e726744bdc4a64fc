import { describe, expect, it } from 'vitest';
import { parseGceAccount } from './gce-account.js';

const base = { name: 'prod', project: 'my-project' };
const failure = (raw: Record<string, unknown>, defaults?: Record<string, unknown>) => {
  try {
    parseGceAccount(raw, defaults);
  } catch (error) {
    return (error as Error).message;
  }
  return undefined;
};

describe('google.accounts[] parsing', () => {
  it('fills defaults and keeps provider-specific fields', () => {
    const account = parseGceAccount({ ...base, permissions: { READ: ['dev'], WRITE: ['ops'] }, requiredGroupMembership: ['x'] });
    expect(account).toMatchObject({
      name: 'prod',
      cloudProvider: 'gce',
      type: 'gce',
      project: 'my-project',
      environment: 'prod',
      accountType: 'prod',
      regions: [{ name: 'us-central1', zones: [] }],
      imageProjects: [],
      timeoutMs: 60_000,
      permissions: { READ: ['dev'], WRITE: ['ops'] },
      requiredGroupMembership: ['x'],
    });
    const withDefaults = parseGceAccount(
      { ...base, regions: undefined },
      { defaultRegions: ['europe-west1'], endpoint: 'http://127.0.0.1:8085', timeoutSeconds: 5 },
    );
    expect(withDefaults).toMatchObject({ regions: [{ name: 'europe-west1', zones: [] }], endpoint: 'http://127.0.0.1:8085', timeoutMs: 5000 });
  });

  it('keeps secrets usable but out of what /credentials serializes', () => {
    const jsonKey = JSON.stringify({
      type: 'service_account',
      client_email: 'sa@my-project.iam.gserviceaccount.com',
      private_key: '-----BEGIN PRIVATE KEY-----\nx\n-----END PRIVATE KEY-----\n',
    });
    const account = parseGceAccount({ ...base, jsonKey, accessToken: 'ya29.token' });
    expect(account.jsonKey).toBe(jsonKey);
    expect(account.accessToken).toBe('ya29.token');
    const shown = JSON.stringify(account);
    expect(shown).not.toContain('PRIVATE KEY');
    expect(shown).not.toContain('ya29');
  });

  it('names the bad field', () => {
    expect(failure({ project: 'my-project' })).toBe("google account field 'name' is required");
    expect(failure({ name: 'prod' })).toBe("google account field 'project' is required");
    expect(failure({ ...base, project: 'My Project' })).toMatch(/field 'project' must be a GCE project id/);
    expect(failure({ ...base, jsonKey: '{not json' })).toBe("google account field 'jsonKey' must be JSON");
    expect(failure({ ...base, jsonKey: '{}' })).toMatch(/field 'jsonKey' must be a service-account key/);
    expect(failure({ ...base, jsonKey: '{}', jsonPath: '/k.json' })).toMatch(/field 'jsonKey' and 'jsonPath' are exclusive/);
    expect(failure({ ...base, regions: ['us-central1', { name: 'Mars' }] })).toMatch(/field 'regions\[1\]\.name' must be a GCE region name/);
    expect(failure({ ...base, regions: [{ name: 'us-central1', zones: ['europe-west1-b'] }] })).toMatch(
      /field 'regions\[0\]\.zones' must be a list of zones of us-central1/,
    );
    expect(failure({ ...base, regions: [] })).toMatch(/field 'regions' must name at least one region/);
    expect(failure({ ...base, endpoint: 'ftp://x' })).toMatch(/field 'endpoint' must be an http\(s\) base URL/);
    expect(failure({ ...base, permissions: { ADMIN: ['x'] } })).toMatch(/field 'permissions.ADMIN' is not READ, WRITE or EXECUTE/);
    expect(failure({ ...base, timeoutSeconds: 0 })).toMatch(/field 'timeoutSeconds' must be a positive number/);
  });
});
