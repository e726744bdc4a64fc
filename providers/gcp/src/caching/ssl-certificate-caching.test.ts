import type { FakeGceServer } from '@stratus/testing';
import { isCachingAgent, type CachingAgent } from '@stratus/plugin-api';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { gceKeyParser } from '../keys.js';
import { createGceHost, PROJECT, startFakeGce } from '../test-support/gce-fixture.js';

/** The SSL certificate agent against the fake compute API (pages of 2), and the keys Deck's `/search?type=sslCertificates` parses. */

let server: FakeGceServer;

beforeAll(async () => {
  server = await startFakeGce({ maxPageSize: 2 });
});
afterAll(async () => {
  await server?.close();
});

it('caches every global SSL certificate of the account under gce:sslCertificates:<account>:<name>, without the PEM', async () => {
  for (const name of ['shop-cert', 'api-cert', 'old-cert']) {
    server.cloud.put(PROJECT, 'global', 'sslCertificates', {
      name,
      type: 'SELF_MANAGED',
      certificate: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----',
      subjectAlternativeNames: [`${name}.example.com`],
      expireTime: '2027-01-31T00:00:00.000-08:00',
    });
  }
  const { host } = await createGceHost(server);
  const agent = host.agents().find((a): a is CachingAgent => isCachingAgent(a) && a.agentType === 'prod/global/GoogleSslCertificateCachingAgent');
  expect(
    agent,
    host
      .agents()
      .map((a) => a.agentType)
      .join(', '),
  ).toBeDefined();
  await host.runAgents((a) => a === agent);

  const ids = await host.cache.filterIdentifiers('sslCertificates', 'gce:sslCertificates:prod:*');
  expect(ids.sort()).toEqual(['gce:sslCertificates:prod:api-cert', 'gce:sslCertificates:prod:old-cert', 'gce:sslCertificates:prod:shop-cert']);
  const item = await host.cache.get('sslCertificates', 'gce:sslCertificates:prod:shop-cert');
  expect(item!.attributes).toEqual({
    name: 'shop-cert',
    account: 'prod',
    certificateType: 'SELF_MANAGED',
    selfLink: expect.stringMatching(/projects\/my-project\/global\/sslCertificates\/shop-cert$/),
    subjectAlternativeNames: ['shop-cert.example.com'],
    expireTime: Date.parse('2027-01-31T00:00:00.000-08:00'),
    createdTime: expect.any(Number),
  });
  expect(JSON.stringify(item)).not.toContain('BEGIN CERTIFICATE');

  // A certificate deleted in the cloud leaves the cache with the next run (the agent is authoritative).
  server.cloud.remove(PROJECT, 'global', 'sslCertificates', 'old-cert');
  await host.runAgents((a) => a === agent);
  expect((await host.cache.filterIdentifiers('sslCertificates', 'gce:sslCertificates:prod:*')).sort()).toEqual([
    'gce:sslCertificates:prod:api-cert',
    'gce:sslCertificates:prod:shop-cert',
  ]);
});

it('parses certificate keys into what Deck filters on and makes the type searchable', () => {
  expect(gceKeyParser.parseKey('gce:sslCertificates:prod:shop-cert')).toEqual({ provider: 'gce', type: 'sslCertificates', account: 'prod', name: 'shop-cert' });
  expect(gceKeyParser.parseKey('gce:sslCertificates:prod')).toBeUndefined();
  expect(gceKeyParser.searchableTypes).toContain('sslCertificates');
});
