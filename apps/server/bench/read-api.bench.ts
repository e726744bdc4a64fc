/**
 * Read-API latency for a big application (reference scale-and-users.md, target 2: 5,000 server
 * groups / 50,000 instances, `/applications/{app}/serverGroups` p50 ≤ 50 ms, p99 ≤ 250 ms warm;
 * `…/clusters` p99 ≤ 50 ms). The read models are in-memory fakes holding ready-made views, so this
 * measures what the read services, express and JSON serialisation add on top of a provider's model.
 * Prints a table; asserts nothing.
 *
 *   cd apps/server && pnpm exec tsx --tsconfig ../../tsconfig.base.json bench/read-api.bench.ts [serverGroups] [instancesPerServerGroup]
 */
import 'reflect-metadata';
import { ACCESS_RESOLVER, MapReadModelRegistry, OPEN_ACCESS, READ_MODEL_REGISTRY, ServerGroupReadService, registerReadServices } from '@stratus/core';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { container as rootContainer } from 'tsyringe';
import { createApp } from '../src/http/create-app.js';
import { ROUTE_MODULES } from '../src/routes/index.js';
import { buildFakeClusters, fakeClusterReadModel } from './support/fake-clusters.js';

const SERVER_GROUPS = Number(process.argv[2] ?? 5_000);
const INSTANCES = Number(process.argv[3] ?? 10);
const CLUSTERS = Math.max(1, Math.round(SERVER_GROUPS / 50));

const clusters = buildFakeClusters(SERVER_GROUPS, INSTANCES);
const model = fakeClusterReadModel(clusters);
const registry = new MapReadModelRegistry();
registry.register('aws', 'clusters', model);
const container = rootContainer.createChildContainer();
container.registerInstance(READ_MODEL_REGISTRY, registry);
container.registerInstance(ACCESS_RESOLVER, { resolve: () => OPEN_ACCESS });
// What the server's read services module binds; routes only resolve.
registerReadServices(container);
const { app } = createApp({ container, routeModules: ROUTE_MODULES });
const server = app.listen(0, '127.0.0.1');
await new Promise((resolve) => server.once('listening', resolve));
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

async function measure(path: string, runs: number) {
  let bytes = 0;
  for (let i = 0; i < 3; i++) bytes = (await (await fetch(base + path)).arrayBuffer()).byteLength;
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    const response = await fetch(base + path);
    await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`${path}: ${response.status}`);
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!;
  return { path, runs, 'p50 ms': at(0.5).toFixed(1), 'p99 ms': at(0.99).toFixed(1), 'max ms': times.at(-1)!.toFixed(1), 'body KB': Math.round(bytes / 1024) };
}

const target = clusters[0]!;
console.log(`application "big": ${SERVER_GROUPS} server groups, ${SERVER_GROUPS * INSTANCES} instances, ${CLUSTERS} clusters`);
const rows = [];
rows.push(await measure('/applications/big/clusters', 50));
rows.push(await measure('/applications/big/serverGroups', 20));
rows.push(await measure(`/applications/big/serverGroups?clusters=${target.accountName}:${target.name}`, 50));
rows.push(await measure(`/applications/big/clusters/${target.accountName}/${target.name}/aws/us-east-1/serverGroups/target/current`, 50));
rows.push(await measure('/applications/big/serverGroups?expand=true', 5));
console.table(rows);

// Where the time of the big list goes: the read service's shaping vs JSON serialisation.
const service = new ServerGroupReadService(registry);
const breakdown = [];
for (const expand of [false, true]) {
  const shaping: number[] = [];
  const serialising: number[] = [];
  for (let i = 0; i < 7; i++) {
    const start = performance.now();
    const list = await service.listForApplication(OPEN_ACCESS, 'big', { expand });
    const shaped = performance.now();
    JSON.stringify(list);
    shaping.push(shaped - start);
    serialising.push(performance.now() - shaped);
  }
  const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!.toFixed(1);
  breakdown.push({ list: expand ? 'expand=true' : 'summary', 'service ms (median)': median(shaping), 'JSON.stringify ms (median)': median(serialising) });
}
console.table(breakdown);
server.close();
