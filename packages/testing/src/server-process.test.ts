import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from './free-port.js';
import { pollUntil } from './poll-until.js';
import { startStratusProcess, stratusServerBin } from './server-process.js';

/**
 * A stand-in for apps/server's bin, so the harness's own behaviour is tested in milliseconds: it
 * reads `--config`, listens on `server.port`, answers readiness 503 twice then 200, echoes requests,
 * shows its environment and configuration, and exits 0 on SIGTERM unless told to ignore it.
 */
const FAKE_BIN = `
const { readFileSync } = require('node:fs');
const { createServer } = require('node:http');
const configPath = process.argv[process.argv.indexOf('--config') + 1];
const config = JSON.parse(readFileSync(configPath, 'utf8'));
if (config.crash) { console.error('boom: ' + config.crash); process.exit(3); }
let readiness = 0;
const server = createServer((req, res) => {
  let body = '';
  req.on('data', (c) => (body += c));
  req.on('end', () => {
    if (req.url === '/health/readiness') { res.statusCode = ++readiness > 2 ? 200 : 503; return res.end('{}'); }
    if (req.url === '/text') return res.end('plain text');
    const answer = { method: req.method, url: req.url, body, headers: req.headers, cwd: process.cwd(), config: JSON.parse(readFileSync(configPath, 'utf8')),
      env: { STRATUS_LEAK: process.env.STRATUS_LEAK ?? null, FAKE_DROP_ME: process.env.FAKE_DROP_ME ?? null, EXTRA: process.env.EXTRA ?? null } };
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify(answer));
  });
});
server.listen(config.server.port, config.server.address, () => console.log('listening'));
process.on('SIGTERM', () => { if (!config.ignoreSigterm) server.close(() => process.exit(0)); });
`;

const root = mkdtempSync(join(tmpdir(), 'stratus-harness-test-'));
mkdirSync(join(root, 'bin'));
const bin = join(root, 'bin', 'fake-stratus.cjs');
writeFileSync(bin, FAKE_BIN);

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('startStratusProcess', () => {
  it('starts the bin with the config, waits for readiness, and wraps HTTP calls', async () => {
    process.env.STRATUS_LEAK = 'leak';
    process.env.FAKE_DROP_ME = 'secret';
    const server = await startStratusProcess({
      serverBin: bin,
      files: { 'extra.txt': 'hello' },
      config: ({ dir }) => ({ fake: { file: join(dir, 'extra.txt') } }),
      env: { EXTRA: 'yes' },
      dropEnvPrefixes: ['FAKE_'],
    }).finally(() => {
      delete process.env.STRATUS_LEAK;
      delete process.env.FAKE_DROP_ME;
    });
    try {
      expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
      const echoed = await server.call('POST', '/ops?x=1', [{ op: 1 }], { 'x-spinnaker-user': 'alice' });
      expect(echoed.status).toBe(200);
      expect(echoed.body).toMatchObject({
        method: 'POST',
        url: '/ops?x=1',
        body: '[{"op":1}]',
        headers: { 'content-type': 'application/json', 'x-spinnaker-user': 'alice' },
      });
      expect(echoed.body.cwd).toBe(root);
      expect(echoed.body.env).toEqual({ STRATUS_LEAK: null, FAKE_DROP_ME: null, EXTRA: 'yes' });
      expect(echoed.body.config).toEqual({
        server: { port: server.port, address: '127.0.0.1' },
        logging: { level: 'warn' },
        fake: { file: join(server.dir, 'extra.txt') },
      });
      expect(readFileSync(join(server.dir, 'extra.txt'), 'utf8')).toBe('hello');
      expect((await server.get('/text')).body).toBe('plain text');
      expect((await server.get('/x')).body.headers).not.toHaveProperty('content-type');

      server.writeConfig({ reloaded: true });
      expect((await server.get('/x')).body.config).toMatchObject({ reloaded: true, server: { port: server.port } });
      server.writeConfig('{"raw": 1}');
      expect((await server.get('/x')).body.config).toEqual({ raw: 1 });
      await expect(
        server.until(
          'never',
          async () => 1,
          () => false,
          300,
        ),
      ).rejects.toThrow(/timed out waiting for never; last: 1\nserver output:\nlistening/);
    } finally {
      await server.stop();
    }
    expect(await server.exited).toBe(0);
    await expect(server.get('/x')).rejects.toThrow();
    expect(() => readFileSync(server.configPath)).toThrow();
  });

  it('kills a process that ignores SIGTERM after the grace period', async () => {
    const server = await startStratusProcess({ serverBin: bin, config: { ignoreSigterm: true } });
    await server.stop(300);
    expect(await server.exited).toBeNull();
    expect(server.child.signalCode).toBe('SIGKILL');
  });

  it('fails at once with the output when the process exits before it is ready', async () => {
    await expect(startStratusProcess({ serverBin: bin, config: { crash: 'bad config' }, readyTimeoutMs: 30_000 })).rejects.toThrow(
      /exited \(3\) before it was ready:\nboom: bad config/,
    );
  });

  it("finds apps/server's bin in this workspace", () => {
    expect(stratusServerBin()).toMatch(/apps[/\\]server[/\\]bin[/\\]stratus\.js$/);
  });
});

describe('pollUntil and freePort', () => {
  it('returns the first accepted value and names what it waited for on timeout', async () => {
    let reads = 0;
    expect(
      await pollUntil(
        'three',
        async () => ++reads,
        (n) => n === 3,
        5_000,
        { intervalMs: 1 },
      ),
    ).toBe(3);
    await expect(
      pollUntil(
        'a miracle',
        async () => ({ n: 1 }),
        () => false,
        50,
        { intervalMs: 5, context: () => 'the log' },
      ),
    ).rejects.toThrow('timed out waiting for a miracle; last: {"n":1}\nserver output:\nthe log');
  });

  it('gives a port nothing listens on, that can be bound', async () => {
    const port = await freePort();
    const server = createServer();
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, '127.0.0.1', resolve));
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
});
