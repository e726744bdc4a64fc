import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Starts one server of the small-endpoint bench; resolves with its base URL. */
export async function serveRole(role: string, bodyFile: string): Promise<string> {
  if (role === 'stratus') return startStratus();
  const body = readFileSync(bodyFile);
  if (role === 'express') {
    const { default: express } = await import('express');
    const app = express();
    app.get('/credentials', (_req, res) => {
      res.type('application/json').send(body);
    });
    return listen(app.listen(0, '127.0.0.1'));
  }
  if (role === 'node-http') {
    return listen(
      createServer((_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
        res.end(body);
      }).listen(0, '127.0.0.1'),
    );
  }
  throw new Error(`unknown role ${role}`);
}

async function listen(server: import('node:http').Server): Promise<string> {
  await new Promise((resolve) => (server.listening ? resolve(undefined) : server.once('listening', resolve)));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** The real server: synthetic provider with 20 small accounts, memory storage, info-level logs to /dev/null. */
async function startStratus(): Promise<string> {
  const { mkdtempSync, writeFileSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { SyntheticCloudRegistry, createSyntheticProvider } = await import('@stratus/testing');
  const { loadConfig } = await import('../../src/config/load-config.js');
  const { startServer } = await import('../../src/server/start-server.js');
  const path = join(mkdtempSync(join(tmpdir(), 'stratus-small-bench-')), 'stratus.yml');
  writeFileSync(
    path,
    [
      'server: {port: 0, address: 127.0.0.1}',
      'logging: {level: info}',
      'dynamicConfig: {enabled: false}',
      'synthetic:',
      '  accounts:',
      ...Array.from(
        { length: 20 },
        (_, i) => `    - {name: acct-${i}, regions: [us-east-1], seed: ${i + 1}, applications: 1, serverGroupsPerApplication: 1, instancesPerServerGroup: 1}`,
      ),
    ].join('\n'),
  );
  const { config, raw } = loadConfig({ path, env: {} });
  const provider = createSyntheticProvider({ clouds: new SyntheticCloudRegistry(), agentIntervalMs: 3_600_000 });
  // The server's own logger (as configured: info, buffered), writing to nowhere.
  const { serverLogger } = await import('../../src/logging/server-logger.js');
  const logger = serverLogger(config.logging, '/dev/null');
  const server = await startServer({ config, raw, configPath: path, logger, providers: [provider] });
  return server.url;
}
