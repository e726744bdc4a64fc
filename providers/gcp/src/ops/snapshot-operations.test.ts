import type { FakeGceServer, ProviderTestHost } from '@stratus/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGceHost, startFakeGce } from '../test-support/gce-fixture.js';

/** The snapshot operations' checks that need no Front50 (the whole path is in test/http-e2e-snapshot.test.ts). */
let server: FakeGceServer;
let host: ProviderTestHost;

beforeAll(async () => {
  server = await startFakeGce();
  ({ host } = await createGceHost(server));
});
afterAll(async () => {
  await server?.close();
});

describe('GCE snapshot operations', () => {
  it('reject descriptions naming the field', async () => {
    const fields = async (name: string, input: Record<string, unknown>) => (await host.runOperation(name, input)).errors.map((e) => `${e.field}:${e.code}`);
    expect(await fields('saveSnapshot', { credentials: 'nope' })).toEqual(['credentials:invalid', 'applicationName:empty']);
    expect(await fields('saveSnapshot', { credentials: 'prod', applicationName: 'shop_web' })).toEqual(['applicationName:invalid']);
    expect(await fields('restoreSnapshot', { credentials: 'prod', applicationName: 'shop' })).toEqual(['snapshotTimestamp:empty']);
    expect(await fields('restoreSnapshot', { credentials: 'prod', applicationName: 'shop', snapshotTimestamp: -5 })).toEqual(['snapshotTimestamp:invalid']);
    // A string of digits is a timestamp: it passes validation and reaches the (absent) snapshot store.
    await expect(host.runOperation('restoreSnapshot', { credentials: 'prod', applicationName: 'shop', snapshotTimestamp: '1700000000000' })).rejects.toThrow(
      'Front50',
    );
  });

  it('fail the task saying Front50 is not configured when the server has no snapshot store', async () => {
    await expect(host.runOperation('saveSnapshot', { credentials: 'prod', applicationName: 'shop' })).rejects.toThrow(
      'Snapshots are kept in Front50, which is not configured',
    );
  });
});
