/**
 * How long one caching run takes against the real distribution registry, for a registry of
 * REPOS repositories × TAGS tags: the first run with trackDigests + sortTagsByDate (HEAD, manifest
 * and config per tag), the next run over the unchanged registry (one HEAD per tag), and a run
 * without digests (one tag list per repository). Also how many requests each run sent.
 *
 *   pnpm --filter @stratus/provider-docker-registry bench            # REPOS=10 TAGS=20 by default
 */
import 'reflect-metadata';
import { createServer, request as httpRequest } from 'node:http';
import { ProviderTestHost } from '@stratus/testing';
import { createDockerRegistryProvider } from '../src/index.js';
import { RegistryServer } from '../src/test-support/registry-server.js';

const REPOS = Number(process.env.REPOS ?? 10);
const TAGS = Number(process.env.TAGS ?? 20);

async function main(): Promise<void> {
  const registry = await RegistryServer.start();
  // A counting pass-through proxy in front of the registry, to report requests per run.
  let requests = 0;
  const target = new URL(registry.url);
  const proxy = createServer((req, res) => {
    requests += 1;
    const upstream = httpRequest({ host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const proxyUrl = `http://127.0.0.1:${(proxy.address() as { port: number }).port}`;
  try {
    const started = Date.now();
    const jobs: (() => Promise<unknown>)[] = [];
    for (let r = 0; r < REPOS; r++)
      for (let t = 0; t < TAGS; t++)
        jobs.push(() => registry.pushImage(`bench/repo-${r}`, `1.0.${t}`, { created: new Date(Date.UTC(2024, 0, 1) + t * 60_000).toISOString() }));
    let next = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < jobs.length) await jobs[next++]!();
      }),
    );
    console.log(`seeded ${REPOS} repositories × ${TAGS} tags in ${((Date.now() - started) / 1000).toFixed(1)} s`);

    const provider = createDockerRegistryProvider();
    const run = async (label: string, host: ProviderTestHost) => {
      requests = 0;
      const t0 = performance.now();
      await host.runAgents();
      const ms = performance.now() - t0;
      console.log(`${label}: ${ms.toFixed(0)} ms, ${requests} registry requests, ${(await host.cache.getIdentifiers('taggedImage')).length} tagged images`);
    };
    const full = await ProviderTestHost.create(provider, { accounts: [{ name: 'bench', address: proxyUrl, trackDigests: true, sortTagsByDate: true }] });
    await run('first run, trackDigests + sortTagsByDate', full);
    await run('second run, nothing changed', full);
    const plain = await ProviderTestHost.create(provider, { accounts: [{ name: 'bench', address: proxyUrl }] });
    await run('run without digests or dates', plain);
  } finally {
    proxy.close();
    await registry.stop();
  }
}

await main();
