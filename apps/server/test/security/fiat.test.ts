import { syntheticProvider } from '@stratus/testing';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load-config.js';
import { startServer, type RunningServer } from '../../src/server/start-server.js';
import { fiatView as view, startFakeFiat, type FakeFiat } from './fake-fiat.js';

/**
 * Permissions from Fiat (`services.fiat.enabled`): a loopback fake Fiat answers
 * `GET /authorize/{user}` with `UserPermission.View` JSON as Fiat serialises it (every field,
 * authorizations as lists); unknown users get Fiat's 404. Accounts carry no permissions in the
 * Stratus config: Fiat alone decides, accounts and applications alike.
 */

let fiat: FakeFiat;
let server: RunningServer;
let apps: string[] = [];

async function call(method: string, path: string, user?: string, body?: unknown) {
  const headers: Record<string, string> = {};
  if (user) headers['x-spinnaker-user'] = user;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${server.url}${path}`, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  const text = await response.text();
  return { status: response.status, text, body: text ? (JSON.parse(text) as any) : undefined };
}

async function until<T>(what: string, read: () => Promise<T>, accept: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const value = await read();
    if (accept(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

beforeAll(async () => {
  fiat = await startFakeFiat();
  const fiatUrl = fiat.url;
  const permissions = fiat.permissions;
  permissions.set('root', view('root', { admin: true, roles: [{ name: 'admins', source: 'EXTERNAL' }] }));

  const raw = {
    server: { port: 0, address: '127.0.0.1' },
    admin: { tasks: { shutdownWaitSeconds: 1 } },
    services: { fiat: { enabled: true, baseUrl: fiatUrl, cacheTtlSeconds: 1.5 } },
    synthetic: {
      agentIntervalMs: 60_000,
      accounts: [
        { name: 'devacct', regions: ['us-east-1'], seed: 5, applications: 3 },
        { name: 'opsacct', regions: ['eu-west-1'], seed: 6, applications: 2 },
      ],
    },
  };
  server = await startServer({ config: parseConfig(raw), raw, logger: pino({ level: 'silent' }), providers: [syntheticProvider] });
  const listed = await until(
    'applications of both accounts',
    async () => (await call('GET', '/applications', 'root')).body as { name: string; clusterNames: Record<string, string[]> }[],
    (list) => Array.isArray(list) && list.filter((app) => 'devacct' in app.clusterNames).length >= 3,
  );
  apps = listed
    .filter((app) => 'devacct' in app.clusterNames)
    .map((app) => app.name)
    .sort();
  const [full, readOnly] = apps as [string, string, string];
  permissions.set(
    'dave',
    view('dave', {
      accounts: [
        { name: 'devacct', authorizations: ['READ', 'WRITE'] },
        { name: 'opsacct', authorizations: ['READ'] },
      ],
      applications: [
        { name: full, authorizations: ['READ', 'WRITE', 'EXECUTE'] },
        { name: readOnly, authorizations: ['READ'] },
      ],
      roles: [{ name: 'dev', source: 'EXTERNAL' }],
    }),
  );
  permissions.set(
    'una',
    view('una', {
      accountManager: true,
      accounts: [{ name: 'devacct', authorizations: ['READ', 'WRITE'] }],
      applications: [{ name: readOnly, authorizations: ['READ'] }],
      allowAccessToUnknownApplications: true,
    }),
  );
}, 90_000);

afterAll(async () => {
  await server?.shutdown('test done');
  await fiat?.close();
});

async function serverGroupOf(application: string, user = 'root') {
  const summaries = (await call('GET', `/applications/${application}/serverGroups`, user)).body as { name: string; account: string; region: string }[];
  return summaries.find((entry) => entry.account === 'devacct')!;
}

const resize = (group: { name: string; region: string }) => [
  { resizeServerGroup: { credentials: 'devacct', region: group.region, serverGroupName: group.name, capacity: { min: 1, max: 1, desired: 1 } } },
];

describe('Fiat permissions', () => {
  it('takes account READ/WRITE from Fiat: WRITE does not come with READ, and a user Fiat does not know gets nothing', async () => {
    expect(((await call('GET', '/credentials', 'dave')).body as { name: string }[]).map((a) => a.name)).toEqual(['devacct', 'opsacct']);
    expect(((await call('GET', '/credentials', 'root')).body as { name: string }[]).map((a) => a.name)).toEqual(['devacct', 'opsacct']);
    expect((await call('GET', '/credentials', 'stranger')).body).toEqual([]);
    expect((await call('GET', '/credentials')).body).toEqual([]);
    // Account management: Fiat's accountManager flag opens it (account.storage is off here, hence the 404
    // that comes after the permission check); without it the 403 names the key.
    expect((await call('POST', '/credentials', 'una', { name: 'x', type: 'synthetic' })).status).toBe(404);
    const refused = await call('POST', '/credentials', 'dave', { name: 'x', type: 'synthetic' });
    expect(refused.status).toBe(403);
    expect(refused.body.message).toContain('security.accountManagerRoles');
    // dave may READ opsacct but not WRITE it: he sees its server groups and may not resize them.
    const opsApp = ((await call('GET', '/applications', 'root')).body as { name: string; clusterNames: Record<string, string[]> }[]).find(
      (app) => 'opsacct' in app.clusterNames,
    )!;
    const opsGroup = (
      (await call('GET', `/applications/${opsApp.name}/serverGroups`, 'root')).body as { name: string; account: string; region: string }[]
    ).find((g) => g.account === 'opsacct')!;
    const onOps = await call('POST', '/synthetic/ops', 'dave', [
      { resizeServerGroup: { credentials: 'opsacct', region: opsGroup.region, serverGroupName: opsGroup.name, capacity: { min: 1, max: 1, desired: 1 } } },
    ]);
    expect(onOps.status).toBe(403);
    expect(onOps.body.message).toContain('opsacct');
  });

  it('enforces application permissions on reads: an application without READ is missing', async () => {
    const [full, readOnly, none] = apps as [string, string, string];
    const listed = ((await call('GET', '/applications', 'dave')).body as { name: string }[]).map((app) => app.name);
    expect(listed).toEqual(expect.arrayContaining([full, readOnly]));
    expect(listed).not.toContain(none);
    expect((await call('GET', `/applications/${readOnly}`, 'dave')).status).toBe(200);
    expect((await call('GET', `/applications/${none}`, 'dave')).status).toBe(404);
    expect((await call('GET', `/applications/${none}/serverGroups`, 'dave')).status).toBe(404);
    expect((await call('GET', `/serverGroups?applications=${none}`, 'dave')).body).toEqual([]);
    const hidden = await serverGroupOf(none);
    expect((await call('GET', `/serverGroups/devacct/${hidden.region}/${hidden.name}`, 'root')).status).toBe(200);
    const direct = await call('GET', `/serverGroups/devacct/${hidden.region}/${hidden.name}`, 'dave');
    expect(direct.status).toBe(404);
    expect(direct.body.message).toBe(
      (await call('GET', `/serverGroups/devacct/${hidden.region}/${hidden.name}-v999`, 'dave')).body.message.replace('-v999', ''),
    );
    const search = await call('GET', `/search?q=${none}&type=serverGroups`, 'dave');
    expect(search.text).not.toContain(`"application":"${none}"`);
  });

  it('enforces application WRITE on operations: READ alone is refused, no task is created', async () => {
    const [full, readOnly] = apps as [string, string, string];
    const denied = await call('POST', '/synthetic/ops', 'dave', resize(await serverGroupOf(readOnly)));
    expect(denied.status).toBe(403);
    expect(denied.body.message).toContain(readOnly);
    const allowed = await call('POST', '/synthetic/ops', 'dave', resize(await serverGroupOf(full)));
    expect(allowed.status).toBe(200);
    const task = await until(
      'the resize',
      () => call('GET', `/task/${allowed.body.id}`, 'dave'),
      (answer) => answer.body?.status?.completed === true,
    );
    expect(task.body.status.failed).toBe(false);
  });

  it('opens applications Fiat has no permissions for when allowAccessToUnknownApplications is set', async () => {
    const [full, readOnly, none] = apps as [string, string, string];
    // `full` is listed for dave only: to una it is unknown too, as is `none`.
    expect((await call('GET', `/applications/${none}`, 'una')).status).toBe(200);
    expect((await call('POST', '/synthetic/ops', 'una', resize(await serverGroupOf(full)))).status).toBe(200);
    expect((await call('POST', '/synthetic/ops', 'una', resize(await serverGroupOf(readOnly)))).status).toBe(403);
  });

  it('caches permissions briefly, then asks again; with Fiat down callers get nothing and no Fiat body is echoed', async () => {
    // A TTL of 1.5 s: long enough that five calls fit in it on a loaded machine, short enough to wait out.
    fiat.calls.length = 0;
    await new Promise((r) => setTimeout(r, 1_600));
    for (let i = 0; i < 5; i++) await call('GET', '/credentials', 'dave');
    expect(fiat.calls.filter((user) => user === 'dave')).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 1_600));
    fiat.up = false;
    try {
      const answer = await call('GET', '/credentials', 'dave');
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual([]);
      expect(answer.text).not.toContain('secret internals');
      expect((await call('GET', `/applications/${apps[0]}`, 'dave')).status).toBe(404);
      // Probes never wait for Fiat.
      expect((await call('GET', '/health')).status).toBe(200);
      expect((await call('GET', '/health/readiness')).status).toBe(200);
    } finally {
      fiat.up = true;
    }
  });
});
