import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { syntheticProvider } from '@stratus/testing';
import { pino } from 'pino';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load-config.js';
import { startServer, type RunningServer } from '../../src/server/start-server.js';

/**
 * The default-config holes and the operator switches around them: API-created accounts
 * that name local files or arbitrary endpoints, file contents in errors, who may name the caller,
 * and the management port.
 */

const SECRET = 'hunter2-super-secret';
const dir = mkdtempSync(join(tmpdir(), 'stratus-secure-defaults-'));
const running: RunningServer[] = [];
afterEach(async () => {
  for (const server of running.splice(0)) await server.shutdown('test done');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function start(raw: Record<string, unknown>): Promise<RunningServer> {
  const full = { server: { port: 0, address: '127.0.0.1' }, admin: { tasks: { shutdownWaitSeconds: 1 } }, ...raw };
  const server = await startServer({ config: parseConfig(full), raw: full, logger: pino({ level: 'silent' }), providers: [syntheticProvider] });
  running.push(server);
  return server;
}

async function call(base: string, method: string, path: string, headers: Record<string, string> = {}, body?: unknown) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { ...headers, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  let parsed: any;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = text;
  }
  return { status: response.status, text, body: parsed };
}

async function until<T>(what: string, read: () => Promise<T>, accept: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (accept(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A loopback TCP listener that counts the connections made to it (a server-side request would be one). */
async function countingListener(): Promise<{ server: Server; port: number; connections: () => number }> {
  let connections = 0;
  const server = createServer((socket) => {
    connections++;
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as { port: number }).port, connections: () => connections };
}

const kubeconfigFor = (server: string) => `apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: "${server}"}}]
users: [{name: u, user: {token: abc}}]
contexts: [{name: x, context: {cluster: c, user: u}}]
current-context: x
`;

describe('accounts created through the API', () => {
  const manager = { 'x-spinnaker-user': 'olga' };
  const security = { accountManagerRoles: ['ops'], users: { olga: ['ops'] } };

  it('may not name local files unless the operator allows a directory, and the refusal never shows the file', async () => {
    const secretFile = join(dir, 'secret.yaml');
    writeFileSync(secretFile, `password: ${SECRET}\n`);
    const server = await start({ account: { storage: { enabled: true } }, security, kubernetes: { enabled: true } });
    for (const definition of [
      { name: 'k1', type: 'kubernetes', kubeconfigFile: secretFile },
      { name: 'k2', type: 'kubernetes', kubeconfigFile: '/etc/passwd' },
      { name: 's1', type: 'synthetic', regions: ['us-east-1'], certificateFile: secretFile },
    ]) {
      const refused = await call(server.url, 'POST', '/credentials', manager, definition);
      expect(refused.status).toBe(400);
      expect(refused.body.message).toContain('account.storage.allowedFileDirectories');
      expect(refused.body.message).toMatch(/kubeconfigFile|certificateFile/);
      expect(refused.text).not.toContain(SECRET);
      expect(refused.text).not.toContain('root:');
    }
    expect((await call(server.url, 'GET', '/credentials', manager)).body).toEqual([]);
  });

  it('accepts a file inside an allowed directory and refuses one outside it (also through ..)', async () => {
    const allowed = join(dir, 'allowed');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(allowed, { recursive: true });
    const inside = join(allowed, 'cert.pem');
    writeFileSync(inside, 'not a secret');
    const server = await start({ account: { storage: { enabled: true, allowedFileDirectories: [allowed] } }, security });
    const ok = await call(server.url, 'POST', '/credentials', manager, { name: 'syn', type: 'synthetic', regions: ['us-east-1'], certificateFile: inside });
    expect(ok.status).toBe(200);
    const escape = await call(server.url, 'POST', '/credentials', manager, {
      name: 'syn2',
      type: 'synthetic',
      regions: ['us-east-1'],
      certificateFile: `${allowed}/../secret.yaml`,
    });
    expect(escape.status).toBe(400);
    expect(escape.body.message).toContain('certificateFile');
  });

  it('may not point at an endpoint the operator did not allow: no connection is ever made', async () => {
    const listener = await countingListener();
    try {
      const server = await start({ account: { storage: { enabled: true } }, security, kubernetes: { enabled: true } });
      for (const definition of [
        { name: 'k3', type: 'kubernetes', kubeconfigContents: kubeconfigFor(`https://127.0.0.1:${listener.port}`) },
        { name: 's2', type: 'synthetic', regions: ['us-east-1'], endpoint: `http://127.0.0.1:${listener.port}/metadata` },
      ]) {
        const refused = await call(server.url, 'POST', '/credentials', manager, definition);
        expect(refused.status).toBe(400);
        expect(refused.body.message).toContain('127.0.0.1');
        expect(refused.body.message).toContain('account.storage.allowedEndpoints');
      }
      await new Promise((r) => setTimeout(r, 300));
      expect(listener.connections()).toBe(0);
    } finally {
      listener.server.close();
    }
  });

  it('checks endpoints against the allow-list by host, wildcard and CIDR', async () => {
    const server = await start({
      account: { storage: { enabled: true, allowedEndpoints: ['*.k8s.internal', '10.1.0.0/16'] } },
      security,
    });
    const post = (name: string, endpoint: string) =>
      call(server.url, 'POST', '/credentials', manager, { name, type: 'synthetic', regions: ['us-east-1'], endpoint });
    expect((await post('a1', 'https://api.k8s.internal:6443')).status).toBe(200);
    expect((await post('a2', 'https://10.1.2.3')).status).toBe(200);
    expect((await post('a3', 'https://10.2.0.1')).status).toBe(400);
    expect((await post('a4', 'https://k8s.internal.evil.com')).status).toBe(400);
    expect((await post('a5', 'http://169.254.169.254/latest')).status).toBe(400);
  });
});

describe('errors from reading a file', () => {
  it('never put the file’s lines into introspection, readiness or the credentials API', async () => {
    const badKubeconfig = join(dir, 'bad-kubeconfig.yaml');
    writeFileSync(badKubeconfig, `apiVersion: v1\nkind: Config\nusers:\n  - name: x\n    user:\n      password: ${SECRET}\n   bad: [indent\n`);
    const server = await start({
      security: { adminRoles: ['admins'], users: { root: ['admins'] } },
      kubernetes: { enabled: true, accounts: [{ name: 'k8s', kubeconfigFile: badKubeconfig, namespaces: ['default'], cacheIntervalSeconds: 1 }] },
    });
    const root = { 'x-spinnaker-user': 'root' };
    // The operator's own config may name the file; loading it fails, and the failure is reported.
    const reported = await until(
      'the kubeconfig failure to be reported',
      async () => {
        const introspection = await call(server.url, 'GET', '/cache/introspection', root);
        const readiness = await call(server.url, 'GET', '/health/readiness', root);
        return { introspection, readiness };
      },
      ({ introspection, readiness }) =>
        /indentation/i.test(
          `${JSON.stringify((introspection.body as any[]).map((r) => r.lastError))}${JSON.stringify(readiness.body.components.accounts?.details?.problems ?? [])}`,
        ),
    );
    expect(reported.introspection.text).not.toContain(SECRET);
    expect(reported.readiness.text).not.toContain(SECRET);
    for (const path of ['/credentials', '/credentials/k8s', '/metrics']) expect((await call(server.url, 'GET', path, root)).text).not.toContain(SECRET);
  });
});

describe('who may name the caller (security.identity)', () => {
  const accounts = [
    { name: 'open', regions: ['us-east-1'], seed: 1, applications: 1 },
    { name: 'teamacct', regions: ['us-east-1'], seed: 2, applications: 1, permissions: { READ: ['team'], WRITE: ['team'] } },
  ];
  const names = async (url: string, headers: Record<string, string>) =>
    ((await call(url, 'GET', '/credentials', headers)).body as { name: string }[]).map((a) => a.name);

  it('believes X-SPINNAKER-USER from every peer while nothing is configured (behind Gate only)', async () => {
    const server = await start({ security: { users: { tess: ['team'] } }, synthetic: { accounts } });
    expect(await names(server.url, { 'x-spinnaker-user': 'tess' })).toEqual(['open', 'teamacct']);
  });

  it('treats the identity headers of untrusted peers as absent, and believes trusted proxies and the shared secret', async () => {
    const secret = 'a-shared-secret-of-some-length';
    const untrusted = await start({
      security: { users: { tess: ['team'] }, identity: { trustedProxies: ['10.9.9.9', '192.168.0.0/16'], sharedSecret: secret } },
      synthetic: { accounts },
    });
    expect(await names(untrusted.url, { 'x-spinnaker-user': 'tess' })).toEqual(['open']);
    expect(await names(untrusted.url, { 'x-spinnaker-user': 'tess', 'x-stratus-identity-secret': 'wrong' })).toEqual(['open']);
    expect(await names(untrusted.url, { 'x-spinnaker-user': 'tess', 'x-stratus-identity-secret': secret })).toEqual(['open', 'teamacct']);
    // Tess's access is now built (and kept): a caller who cannot prove it is a trusted one still gets none of it.
    expect(await names(untrusted.url, { 'x-spinnaker-user': 'tess' })).toEqual(['open']);
    expect(await names(untrusted.url, { 'x-spinnaker-user': 'tess', 'x-stratus-identity-secret': 'wrong' })).toEqual(['open']);
    const trusted = await start({ security: { users: { tess: ['team'] }, identity: { trustedProxies: ['127.0.0.0/8', '::1'] } }, synthetic: { accounts } });
    expect(await names(trusted.url, { 'x-spinnaker-user': 'tess' })).toEqual(['open', 'teamacct']);
  });
});

describe('the management port (management.server.port)', () => {
  it('serves metrics, readiness details and introspection in full there, while the main port shows each caller only what it may read', async () => {
    const server = await start({
      management: { server: { port: 0 } },
      security: { users: { tess: ['team'] } },
      synthetic: {
        agentIntervalMs: 60_000,
        accounts: [
          { name: 'open', regions: ['us-east-1'], seed: 1, applications: 1 },
          { name: 'teamacct', regions: ['eu-west-1'], seed: 2, applications: 1, permissions: { READ: ['team'], WRITE: ['team'] } },
        ],
      },
    });
    expect(server.managementUrl).toBeDefined();
    const management = server.managementUrl!;
    const agents = await until(
      'both accounts’ agents to run',
      async () => ((await call(management, 'GET', '/cache/introspection')).body as { id: string }[]).map((r) => r.id),
      (ids) => ids.some((id) => id.startsWith('teamacct/')) && ids.some((id) => id.startsWith('open/')),
    );
    expect(agents.length).toBeGreaterThan(2);
    expect((await call(management, 'GET', '/metrics')).text).toContain('agent="teamacct/');
    expect((await call(management, 'GET', '/health/readiness')).body.components.accounts.details).toMatchObject({ loaded: 2 });
    expect((await call(management, 'GET', '/credentials')).status).toBe(404);

    const anonymousIntrospection = (await call(server.url, 'GET', '/cache/introspection')).body as { id: string }[];
    expect(anonymousIntrospection.some((r) => r.id.startsWith('open/'))).toBe(true);
    expect(anonymousIntrospection.some((r) => r.id.startsWith('teamacct/'))).toBe(false);
    expect((await call(server.url, 'GET', '/metrics')).text).not.toContain('teamacct');
    expect((await call(server.url, 'GET', '/metrics', { 'x-spinnaker-user': 'tess' })).text).toContain('agent="teamacct/');
    // Readiness details: per account, only the accounts the caller may read; totals and store errors not at all.
    const readinessAccounts = async (headers: Record<string, string>) => {
      const answer = await call(server.url, 'GET', '/health/readiness', headers);
      expect(answer.body.components.accounts.details ?? {}).not.toHaveProperty('loaded');
      return (answer.body.components['synthetic.accounts'].details.accounts as { account: string }[]).map((entry) => entry.account);
    };
    expect(await readinessAccounts({ 'x-spinnaker-user': 'uma' })).toEqual(['open']);
    expect(await readinessAccounts({ 'x-spinnaker-user': 'tess' })).toEqual(['open', 'teamacct']);
    // An anonymous probe is given no permissions at all (it must answer even while Fiat is down).
    expect(await readinessAccounts({})).toEqual([]);
    expect((await call(management, 'GET', '/health/readiness')).body.components['synthetic.accounts'].details.accounts).toHaveLength(2);
  });
});
