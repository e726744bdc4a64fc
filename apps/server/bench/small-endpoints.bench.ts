/**
 * Small endpoints under load: `GET /credentials` of the real server (synthetic provider, 20
 * accounts, memory storage, request logs at info level written to /dev/null) against bare express 5
 * and raw `node:http` serving the same body, each in a process of its own, driven by the same
 * keep-alive load generator (this process). Ratios are what count. Asserts nothing.
 *
 *   cd apps/server && pnpm exec tsx --tsconfig ../../tsconfig.base.json bench/small-endpoints.bench.ts [--seconds=5] [--connections=50] [--json=out.json]
 */
import 'reflect-metadata';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { driveLoad, type LoadResult } from './support/load.js';

const arg = (name: string, fallback: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback;
const role = arg('role', '');

if (role) {
  const { serveRole } = await import('./support/small-endpoint-servers.js');
  const url = await serveRole(role, arg('body', ''));
  process.stdout.write(`URL ${url}\n`);
} else {
  const seconds = Number(arg('seconds', '5'));
  const connections = Number(arg('connections', '50'));
  const start = async (which: string, body = ''): Promise<{ child: ChildProcess; url: string }> => {
    const child = spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), `--role=${which}`, ...(body ? [`--body=${body}`] : [])], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const match = /URL (\S+)/.exec(out);
        if (match) resolve(match[1]!);
      });
      child.once('exit', (code) => reject(new Error(`${which} exited ${code}`)));
    });
    return { child, url };
  };

  const stratus = await start('stratus');
  const body = await (await fetch(`${stratus.url}/credentials`)).text();
  const bodyFile = `${process.env.TMPDIR ?? '/tmp'}/stratus-small-endpoint-body-${process.pid}.json`;
  writeFileSync(bodyFile, body);
  const results: (LoadResult & { server: string; cpuUsPerRequest: number })[] = [];
  // CPU time the server process spent per request: far steadier than req/s on a shared machine.
  const cpuMs = (pid: number) => {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime + stime, in 100 Hz ticks
  };
  const run = async (server: string, url: string, pid: number) => {
    await driveLoad(`${url}/credentials`, 1, connections); // warm-up
    const before = cpuMs(pid);
    const result = await driveLoad(`${url}/credentials`, seconds, connections);
    const cpuUsPerRequest = Math.round(((cpuMs(pid) - before) * 1000) / Math.max(1, result.requests));
    results.push({ server, ...result, cpuUsPerRequest });
  };
  await run('stratus', stratus.url, stratus.child.pid!);
  stratus.child.kill();
  for (const which of ['express', 'node-http']) {
    const server = await start(which, bodyFile);
    await run(which === 'express' ? 'bare express 5' : 'raw node:http', server.url, server.child.pid!);
    server.child.kill();
  }
  const express = results.find((r) => r.server === 'bare express 5')!;
  console.log(`GET /credentials (${body.length} bytes), ${connections} keep-alive connections, ${seconds} s each`);
  console.log('| server | req/s | p50 ms | p99 ms | req/s × bare express | server CPU µs/request | CPU × bare express |');
  console.log('|---|---|---|---|---|---|---|');
  for (const r of results) {
    const cells = [
      r.server,
      Math.round(r.rps),
      r.p50,
      r.p99,
      (r.rps / express.rps).toFixed(2),
      r.cpuUsPerRequest,
      (r.cpuUsPerRequest / express.cpuUsPerRequest).toFixed(2),
    ];
    console.log(`| ${cells.join(' | ')} |`);
  }
  const json = arg('json', '');
  if (json) writeFileSync(json, JSON.stringify({ bytes: body.length, connections, seconds, results }, null, 2));
  process.exit(0);
}
