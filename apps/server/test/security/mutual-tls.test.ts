import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { syntheticProvider } from '@stratus/testing';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load-config.js';
import { startServer, type RunningServer } from '../../src/server/start-server.js';

/**
 * Mutual TLS as the way to trust `X-SPINNAKER-USER` (server.ssl.clientAuth): the identity headers
 * count only on connections whose client certificate the configured CA signed. Certificates are
 * made here with the system `openssl` (EC keys, valid for a day, in a temporary directory).
 */

let dir: string;
const files = {} as Record<'caCert' | 'serverCert' | 'serverKey' | 'clientCert' | 'clientKey' | 'rogueCert' | 'rogueKey', string>;
const running: RunningServer[] = [];

function openssl(...args: string[]): void {
  execFileSync('openssl', args, { stdio: 'ignore' });
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'stratus-mtls-'));
  const at = (name: string) => join(dir, name);
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  // The CA that signs callers' certificates (Gate's, in a real install).
  openssl(
    'req',
    '-x509',
    ...ec,
    '-days',
    '1',
    '-subj',
    '/CN=stratus-test-client-ca',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign',
    '-keyout',
    at('ca.key'),
    '-out',
    at('ca.pem'),
  );
  // The server's own certificate, self-signed for 127.0.0.1 (the clients below trust it directly).
  openssl(
    'req',
    '-x509',
    ...ec,
    '-days',
    '1',
    '-subj',
    '/CN=127.0.0.1',
    '-addext',
    'subjectAltName=IP:127.0.0.1',
    '-keyout',
    at('server.key'),
    '-out',
    at('server.pem'),
  );
  // A caller the CA signed, and a rogue one that signed itself.
  writeFileSync(at('client.ext'), 'extendedKeyUsage=clientAuth\n');
  openssl('req', '-new', ...ec, '-subj', '/CN=gate', '-keyout', at('client.key'), '-out', at('client.csr'));
  openssl(
    'x509',
    '-req',
    '-in',
    at('client.csr'),
    '-CA',
    at('ca.pem'),
    '-CAkey',
    at('ca.key'),
    '-CAcreateserial',
    '-days',
    '1',
    '-extfile',
    at('client.ext'),
    '-out',
    at('client.pem'),
  );
  openssl('req', '-x509', ...ec, '-days', '1', '-subj', '/CN=gate', '-keyout', at('rogue.key'), '-out', at('rogue.pem'));
  Object.assign(files, {
    caCert: at('ca.pem'),
    serverCert: at('server.pem'),
    serverKey: at('server.key'),
    clientCert: at('client.pem'),
    clientKey: at('client.key'),
    rogueCert: at('rogue.pem'),
    rogueKey: at('rogue.key'),
  });
});

afterEach(async () => {
  for (const server of running.splice(0)) await server.shutdown('test done');
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function start(ssl: Record<string, unknown>): Promise<RunningServer> {
  const raw = {
    server: { port: 0, address: '127.0.0.1', ssl },
    admin: { tasks: { shutdownWaitSeconds: 1 } },
    security: { users: { dave: ['team'] } },
    synthetic: {
      agentIntervalMs: 60_000,
      accounts: [
        { name: 'open', regions: ['us-east-1'], seed: 1, applications: 1 },
        { name: 'teamacct', regions: ['eu-west-1'], seed: 2, applications: 1, permissions: { READ: ['team'], WRITE: ['team'] } },
      ],
    },
  };
  const server = await startServer({ config: parseConfig(raw), raw, logger: pino({ level: 'silent' }), providers: [syntheticProvider] });
  running.push(server);
  return server;
}

/** GET over HTTPS as `dave`, with the given client certificate (or none); the account names the caller may read. */
function credentialsAs(server: RunningServer, client?: { cert: string; key: string }): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${server.url}/credentials`,
      {
        ca: readFileSync(files.serverCert),
        headers: { 'x-spinnaker-user': 'dave' },
        ...(client ? { cert: readFileSync(client.cert), key: readFileSync(client.key) } : {}),
        agent: false,
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => {
          if (res.statusCode !== 200) reject(new Error(`${res.statusCode}: ${text}`));
          else resolve((JSON.parse(text) as { name: string }[]).map((account) => account.name).sort());
        });
      },
    );
    req.on('error', reject);
    req.end();
  });
}

const signed = () => ({ cert: files.clientCert, key: files.clientKey });
const rogue = () => ({ cert: files.rogueCert, key: files.rogueKey });

describe('server.ssl with client certificates', () => {
  it('with clientAuth want: believes X-SPINNAKER-USER only on connections whose certificate the CA signed', async () => {
    const server = await start({ enabled: true, certificateFile: files.serverCert, keyFile: files.serverKey, clientCaFile: files.caCert, clientAuth: 'want' });
    expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(await credentialsAs(server, signed())).toEqual(['open', 'teamacct']);
    // Without a certificate, or with one the CA did not sign, the same header makes an anonymous caller.
    expect(await credentialsAs(server)).toEqual(['open']);
    expect(await credentialsAs(server, rogue())).toEqual(['open']);
  });

  it('with clientAuth need: refuses connections without a certificate the CA signed', async () => {
    const server = await start({ enabled: true, certificateFile: files.serverCert, keyFile: files.serverKey, clientCaFile: files.caCert, clientAuth: 'need' });
    expect(await credentialsAs(server, signed())).toEqual(['open', 'teamacct']);
    await expect(credentialsAs(server)).rejects.toThrow();
    await expect(credentialsAs(server, rogue())).rejects.toThrow();
  });

  it('without client authentication: HTTPS only, and the header is believed as before', async () => {
    const server = await start({ enabled: true, certificateFile: files.serverCert, keyFile: files.serverKey });
    expect(await credentialsAs(server)).toEqual(['open', 'teamacct']);
  });

  it('names the missing key, or the unreadable file without its contents', async () => {
    expect(() => parseConfig({ server: { ssl: { enabled: true, keyFile: files.serverKey } } })).toThrow(/server\.ssl\.certificateFile/);
    expect(() => parseConfig({ server: { ssl: { enabled: true, certificateFile: files.serverCert, keyFile: files.serverKey, clientAuth: 'need' } } })).toThrow(
      /server\.ssl\.clientCaFile/,
    );
    await expect(start({ enabled: true, certificateFile: files.serverCert, keyFile: join(dir, 'missing.key') })).rejects.toThrow(
      /server\.ssl\.keyFile: cannot read .*missing\.key \(ENOENT\)/,
    );
    // A key file with the wrong contents fails without showing them.
    let message = '';
    await start({ enabled: true, certificateFile: files.serverCert, keyFile: files.caCert }).catch((error: Error) => (message = error.message));
    expect(message).not.toBe('');
    expect(message).not.toContain('BEGIN CERTIFICATE');
  });
});
