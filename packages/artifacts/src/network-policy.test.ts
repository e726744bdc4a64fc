import { ArtifactError } from '@stratus/plugin-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guardedFetch } from './guarded-fetch.js';
import { NetworkPolicy, isPrivateAddress } from './network-policy.js';
import { startLoopbackServer, type LoopbackServer } from './test-support/loopback-server.js';

describe('NetworkPolicy', () => {
  it('knows internal addresses', () => {
    for (const address of [
      '127.0.0.1',
      '10.1.2.3',
      '172.16.0.1',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '::1',
      'fe80::1',
      'fd00::1',
      '::ffff:127.0.0.1',
    ]) {
      expect(isPrivateAddress(address), address).toBe(true);
    }
    for (const address of ['8.8.8.8', '140.82.112.3', '2606:4700::1111']) expect(isPrivateAddress(address), address).toBe(false);
  });

  it('refuses names that resolve to internal addresses unless listed exactly or allowed', async () => {
    await expect(new NetworkPolicy({ allowedHosts: [], allowPrivateAddresses: false }).check(new URL('http://localhost:1/x'))).rejects.toMatchObject({
      status: 403,
      message: expect.stringContaining('resolves to the internal address'),
    });
    expect(await new NetworkPolicy({ allowedHosts: ['localhost'], allowPrivateAddresses: false }).check(new URL('http://localhost:1/x'))).toContain(
      '127.0.0.1',
    );
    await expect(
      new NetworkPolicy({ allowedHosts: ['*.localhost', 'localhost:2'], allowPrivateAddresses: false }).check(new URL('http://localhost:1/x')),
    ).rejects.toBeInstanceOf(ArtifactError);
    expect(await new NetworkPolicy({ allowedHosts: [], allowPrivateAddresses: true }).check(new URL('http://127.0.0.1:1/x'))).toEqual(['127.0.0.1']);
    expect(await new NetworkPolicy({ allowedHosts: ['[::1]'], allowPrivateAddresses: false }).check(new URL('http://[::1]:1/x'))).toEqual(['::1']);
  });
});

describe('guardedFetch', () => {
  let server: LoopbackServer;
  let other: LoopbackServer;
  beforeAll(async () => {
    other = await startLoopbackServer((_req, res) => void res.end('elsewhere'));
    server = await startLoopbackServer((req, res) => {
      if (req.url === '/silent') return; // never answers
      if (req.url === '/away') return void res.writeHead(302, { location: `${other.url.replace('127.0.0.1', 'localhost')}/file` }).end();
      res.end('ok');
    });
  });
  afterAll(async () => {
    await Promise.all([server.close(), other.close()]);
  });

  it('times out a silent upstream with 504', async () => {
    const policy = new NetworkPolicy({ allowedHosts: ['127.0.0.1'], allowPrivateAddresses: false });
    await expect(guardedFetch(policy, `${server.url}/silent`, { timeoutMs: 200 })).rejects.toMatchObject({ status: 504 });
  });

  it('drops credentials on a redirect to another origin', async () => {
    const policy = new NetworkPolicy({ allowedHosts: ['127.0.0.1', 'localhost'], allowPrivateAddresses: false });
    const res = await guardedFetch(policy, `${server.url}/away`, { timeoutMs: 5_000, headers: { authorization: 'Bearer secret', accept: 'text/plain' } });
    expect(await res.text()).toBe('elsewhere');
    const followed = other.requests.at(-1)!;
    expect(followed.headers.authorization).toBeUndefined();
    expect(followed.headers.accept).toBe('text/plain');
    expect(server.requests.at(-1)!.headers.authorization).toBe('Bearer secret');
  });
});
