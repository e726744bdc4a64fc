import { ACCESS_RESOLVER, CACHE, KEY_PARSER_REGISTRY, KeyParserRegistry, MapReadModelRegistry, READ_MODEL_REGISTRY, registerReadServices } from '@stratus/core';
import type { ReadModelKind, ReadModels } from '@stratus/plugin-api';
import { ProviderTestHost, SyntheticCloudRegistry, createSyntheticProvider, type SyntheticCloud } from '@stratus/testing';
import type { Express } from 'express';
import request from 'supertest';
import { container as rootContainer } from 'tsyringe';
import { beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/http/create-app.js';
import { READ_ROUTE_MODULES, fakeAccessResolver } from './read-app.js';

/**
 * The read routes over the synthetic provider's real read models and key parser, after its caching
 * agents ran once: every expectation is computed from the fake clouds, not written down.
 */
let app: Express;
let prod: SyntheticCloud;
let secret: SyntheticCloud;
const get = (path: string, user?: string) => (user ? request(app).get(path).set('X-SPINNAKER-USER', user) : request(app).get(path));

beforeAll(async () => {
  const now = () => 1_700_000_000_000;
  const clouds = new SyntheticCloudRegistry(now);
  const accounts = [
    { name: 'prod', regions: ['us-east-1', 'us-west-2'], seed: 3, applications: 3, serverGroupsPerApplication: 3, instancesPerServerGroup: 2 },
    { name: 'secret', regions: ['us-east-1'], seed: 5, applications: 2, serverGroupsPerApplication: 2, instancesPerServerGroup: 1 },
  ];
  const host = await ProviderTestHost.create(createSyntheticProvider({ clouds, now }), { accounts }, now);
  await host.runAgentsWithScheduler();
  prod = clouds.get('prod')!;
  secret = clouds.get('secret')!;

  const registry = new MapReadModelRegistry();
  for (const [kind, model] of Object.entries(host.readModels) as [ReadModelKind, ReadModels[ReadModelKind]][]) {
    registry.register('synthetic', kind, model as never);
  }
  const parsers = new KeyParserRegistry();
  for (const parser of host.keyParsers) parsers.register(parser);
  const container = rootContainer.createChildContainer();
  container.registerInstance(READ_MODEL_REGISTRY, registry);
  container.registerInstance(KEY_PARSER_REGISTRY, parsers);
  container.registerInstance(CACHE, host.cache);
  container.registerInstance(ACCESS_RESOLVER, fakeAccessResolver);
  // What the server's read services module binds; routes only resolve.
  registerReadServices(container);
  app = createApp({ container, routeModules: READ_ROUTE_MODULES }).app;
});

function serverGroupsOf(cloud: SyntheticCloud, application: string) {
  return cloud.regions.flatMap((region) => cloud.listServerGroups(region)).filter((group) => group.name.split('-')[0] === application);
}

describe('read API over the synthetic provider', () => {
  it('lists every application of both accounts, restricted to readable accounts for a limited caller', async () => {
    const all = await get('/applications');
    expect(all.status).toBe(200);
    const expected = [...new Set([...prod.applications(), ...secret.applications()])].sort();
    expect(all.body.map((a: { name: string }) => a.name)).toEqual(expected);
    for (const entry of all.body) expect(entry.attributes.cloudProviders).toBe('synthetic');

    const limited = await get('/applications', 'limited');
    expect(limited.body.map((a: { name: string }) => a.name)).toEqual([...prod.applications()].sort());
    for (const entry of limited.body) expect(Object.keys(entry.clusterNames)).toEqual(['prod']);
  });

  it('serves an application’s server groups in the summary shape, with nothing of the restricted account', async () => {
    const application = prod.applications()[0]!;
    const expected = [...serverGroupsOf(prod, application), ...serverGroupsOf(secret, application)].map((group) => group.name).sort();
    const summaries = await get(`/applications/${application}/serverGroups`);
    expect(summaries.body.map((s: { name: string }) => s.name).sort()).toEqual(expected);
    const first = summaries.body[0];
    expect(first).toMatchObject({ application, cloudProvider: 'synthetic', isDisabled: expect.any(Boolean), capacity: expect.any(Object) });
    expect(first.instances[0]).toEqual(expect.objectContaining({ id: expect.any(String), healthState: expect.any(String) }));

    const limited = await get(`/applications/${application}/serverGroups`, 'limited');
    expect(limited.body.map((s: { name: string }) => s.name).sort()).toEqual(
      serverGroupsOf(prod, application)
        .map((g) => g.name)
        .sort(),
    );
    expect(limited.body.every((s: { account: string }) => s.account === 'prod')).toBe(true);
  });

  it('reads clusters, picks target server groups and serves server groups and instances', async () => {
    const application = prod.applications()[0]!;
    const names = (await get(`/applications/${application}/clusters`)).body;
    const cluster = names.prod[0] as string;
    const inEast = prod
      .listServerGroups('us-east-1')
      .filter((group) => group.name.startsWith(`${cluster}-v`))
      .sort((a, b) => b.createdTime - a.createdTime);
    expect(inEast.length).toBeGreaterThan(0);

    const summaries = await get(`/applications/${application}/clusters/prod`);
    expect(summaries.body.map((c: { name: string }) => c.name)).toContain(cluster);
    const detail = await get(`/applications/${application}/clusters/prod/${cluster}/synthetic`);
    expect(detail.body).toMatchObject({ name: cluster, accountName: 'prod', type: 'synthetic' });

    const current = await get(`/applications/${application}/clusters/prod/${cluster}/synthetic/us-east-1/serverGroups/target/current`);
    expect(current.status).toBe(200);
    expect(current.body.name).toBe(inEast[0]!.name);
    const previous = await get(`/applications/${application}/clusters/prod/${cluster}/synthetic/us-east-1/serverGroups/target/previous`);
    expect(previous.status).toBe(inEast.length > 1 ? 200 : 404);

    const group = inEast[0]!;
    const full = await get(`/serverGroups/prod/us-east-1/${group.name}`);
    expect(full.body).toMatchObject({ name: group.name, region: 'us-east-1', disabled: group.disabled, capacity: group.capacity });
    expect(full.body.instances.map((i: { name: string }) => i.name).sort()).toEqual([...group.instanceIds].sort());
    const instance = await get(`/instances/prod/us-east-1/${group.instanceIds[0]}`);
    expect(instance.status).toBe(200);
    expect(instance.body.name).toBe(group.instanceIds[0]);
  });

  it('hides every resource of the restricted account from a limited caller (404s, empty maps)', async () => {
    const group = secret.listServerGroups('us-east-1')[0]!;
    const application = group.name.split('-')[0]!;
    expect((await get(`/serverGroups/secret/us-east-1/${group.name}`)).status).toBe(200);
    expect((await get(`/serverGroups/secret/us-east-1/${group.name}`, 'limited')).status).toBe(404);
    expect((await get(`/instances/secret/us-east-1/${group.instanceIds[0]}`, 'limited')).status).toBe(404);
    expect((await get(`/applications/${application}/clusters/secret`, 'limited')).status).toBe(404);
    expect((await get('/securityGroups/secret', 'limited')).body).toEqual({});
    const everything = JSON.stringify([
      (await get('/securityGroups', 'limited')).body,
      (await get('/synthetic/loadBalancers', 'limited')).body,
      (await get(`/search?q=${group.name}`, 'limited')).body[0].results,
    ]);
    expect(everything).not.toContain('"secret"');
    expect((await get(`/search?q=${group.name}`)).body[0].totalMatches).toBeGreaterThan(0);
  });

  it('serves load balancers and security groups from the provider', async () => {
    const expectedLbs = prod.regions.flatMap((region) => prod.listLoadBalancers(region).map((lb) => lb.name));
    const tree = await get('/synthetic/loadBalancers', 'limited');
    expect(tree.body.map((item: { name: string }) => item.name).sort()).toEqual([...new Set(expectedLbs)].sort());
    const lb = prod.listLoadBalancers('us-east-1')[0]!;
    const details = await get(`/synthetic/loadBalancers/prod/us-east-1/${lb.name}`);
    expect(details.status).toBe(200);
    expect(details.body.length).toBeGreaterThan(0);

    const groups = await get('/securityGroups/prod/synthetic');
    const expectedGroups = Object.fromEntries(
      prod.regions.map((region) => [
        region,
        prod
          .listSecurityGroups(region)
          .map((g) => g.name)
          .sort(),
      ]),
    );
    expect(Object.fromEntries(Object.entries(groups.body).map(([region, list]) => [region, (list as { name: string }[]).map((g) => g.name).sort()]))).toEqual(
      expectedGroups,
    );
    const sg = prod.listSecurityGroups('us-east-1')[0]!;
    expect((await get(`/securityGroups/prod/synthetic/us-east-1/${sg.id}`)).body).toMatchObject({ id: sg.id, name: sg.name, accountName: 'prod' });
  });

  it('searches server groups with the provider’s key parser and URL templates', async () => {
    const group = prod.listServerGroups('us-west-2')[0]!;
    const result = await get(`/search?q=${group.name}&type=serverGroups`);
    // The same name may exist in several regions and accounts; each is its own key.
    const hits = result.body[0].results.filter((r: { serverGroup?: string; account: string }) => r.serverGroup === group.name && r.account === 'prod');
    const regions = prod.regions.filter((region) => prod.getServerGroup(region, group.name) !== undefined);
    expect(hits.map((r: { region: string }) => r.region).sort()).toEqual([...regions].sort());
    const hit = hits.find((r: { region: string }) => r.region === 'us-west-2');
    expect(hit).toMatchObject({ provider: 'synthetic', type: 'serverGroups', account: 'prod', region: 'us-west-2' });
    expect(hit.url).toBe(`/applications/${hit.application}/clusters/prod/${hit.cluster}/synthetic/serverGroups/${group.name}?region=us-west-2`);
    // The URL the search gives is served by the read API.
    expect((await get(hit.url)).body).toMatchObject({ name: group.name, region: 'us-west-2' });
  });

  it('answers every read endpoint from the provider’s data', async () => {
    const application = prod.applications()[0]!;
    const group = serverGroupsOf(prod, application).find((g) => g.region === 'us-east-1')!;
    const cluster = group.name.replace(/-v\d+$/, '');
    const lb = prod.listLoadBalancers('us-east-1')[0]!;
    const sg = prod.listSecurityGroups('us-east-1')[0]!;
    const base = `/applications/${application}/clusters/prod/${cluster}`;
    const checks: [string, (body: any) => void][] = [
      [`/applications/${application}`, (b) => expect(b.clusters.prod.map((c: { name: string }) => c.name)).toContain(cluster)],
      [`${base}`, (b) => expect(b[0]).toMatchObject({ name: cluster, accountName: 'prod' })],
      [`${base}/synthetic/serverGroups?region=us-east-1`, (b) => expect(b.map((x: { name: string }) => x.name)).toContain(group.name)],
      [`${base}/synthetic/serverGroups/${group.name}?region=us-east-1`, (b) => expect(b).toMatchObject({ name: group.name, region: 'us-east-1' })],
      [`${base}/synthetic/us-east-1a/serverGroups/target/largest`, (b) => expect(b.name).toMatch(new RegExp(`^${cluster}-v`))],
      [
        `/applications/${application}/serverGroups?expand=true&clusters=prod:${cluster}`,
        (b) => expect(b[0]).toMatchObject({ accountName: 'prod', cluster, application }),
      ],
      [`/applications/${application}/serverGroups/prod/us-east-1/${group.name}`, (b) => expect(b.name).toBe(group.name)],
      [`/serverGroups?ids=prod:us-east-1:${group.name}`, (b) => expect(b.map((x: { name: string }) => x.name)).toEqual([group.name])],
      [
        `/serverGroups?applications=${application}`,
        (b) => expect(b.length).toBe(serverGroupsOf(prod, application).length + serverGroupsOf(secret, application).length),
      ],
      [`/applications/${application}/loadBalancers`, (b) => expect(b.every((x: { account: string }) => ['prod', 'secret'].includes(x.account))).toBe(true)],
      [`/synthetic/loadBalancers/${lb.name}`, (b) => expect(b.accounts.map((a: { name: string }) => a.name)).toContain('prod')],
      [`/securityGroups/prod`, (b) => expect(Object.keys(b)).toEqual(['synthetic'])],
      [`/securityGroups/prod/synthetic?region=us-east-1`, (b) => expect(b.map((x: { id: string }) => x.id)).toContain(sg.id)],
      [`/securityGroups/prod?region=us-east-1`, (b) => expect(b.synthetic.map((x: { id: string }) => x.id)).toContain(sg.id)],
      [`/securityGroups/prod/synthetic/${sg.name}`, (b) => expect(b['us-east-1'].map((x: { id: string }) => x.id)).toContain(sg.id)],
      [`/securityGroups/prod/synthetic/us-east-1/${sg.name}?vpcId=${sg.vpcId}`, (b) => expect(b).toMatchObject({ id: sg.id, vpcId: sg.vpcId })],
      [
        `/search?q=${application}&type=applications`,
        (b) => expect(b[0].results).toEqual([expect.objectContaining({ application, url: `/applications/${application}` })]),
      ],
      [`/search?q=${application}&pageSize=1&page=2`, (b) => expect(b[0]).toMatchObject({ pageNumber: 2, pageSize: 1, results: [expect.any(Object)] })],
    ];
    for (const [path, check] of checks) {
      const response = await get(path);
      expect(response.status, path).toBe(200);
      check(response.body);
    }
  });
});
