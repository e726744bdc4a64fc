import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

/** A moto_server on 127.0.0.1 owned by one test file. */
export interface Moto {
  readonly endpoint: string;
  reset(): Promise<void>;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Starts moto_server on a free loopback port and waits until `/moto-api/` answers. */
export async function startMoto(): Promise<Moto> {
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
  let exited = false;
  child.once('exit', () => (exited = true));
  // Generous: under a loaded machine moto's first answer can take a while.
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited) throw new Error('moto_server exited before it answered');
    try {
      const res = await fetch(`${endpoint}/moto-api/`);
      if (res.ok) break;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) {
      child.kill();
      throw new Error('moto_server did not answer within 60 s');
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  return {
    endpoint,
    async reset() {
      const res = await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
      if (!res.ok) throw new Error(`moto reset failed: ${res.status}`);
    },
    async stop() {
      if (exited) return;
      await new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => {
          if (!exited) child.kill('SIGKILL');
        }, 3000).unref();
      });
    },
  };
}

/** Static credentials moto accepts; the default account is 123456789012. */
export const MOTO_CREDENTIALS = { accessKeyId: 'testing', secretAccessKey: 'testing' };
export const MOTO_ACCOUNT_ID = '123456789012';

const imageIds = new Map<string, Promise<string>>();

/**
 * An AMI from moto's built-in public catalogue (1000+ images: listing them is slow, so the id is
 * looked up once per server; moto re-seeds the same ids after a reset).
 */
export function motoImageId(endpoint: string, describe: () => Promise<string>): Promise<string> {
  let id = imageIds.get(endpoint);
  if (!id) imageIds.set(endpoint, (id = describe()));
  return id;
}
