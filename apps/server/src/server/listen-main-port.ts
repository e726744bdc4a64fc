import { readFileSync } from 'node:fs';
import { createServer as createHttpsServer } from 'node:https';
import type { Server } from 'node:http';
import type { RequestListener } from 'node:http';
import type { StratusConfig } from '../config/config-schema.js';

type ServerConfig = Pick<StratusConfig['server'], 'port' | 'address' | 'ssl'>;

/** Something that answers HTTP requests and can listen itself (an Express app). */
interface ListeningApp extends RequestListener {
  listen(port: number, address: string, callback: (error?: Error) => void): Server;
}

/**
 * Listens on the main port: plain HTTP, or HTTPS with `server.ssl` (and, with `clientAuth`, client
 * certificates checked against `clientCaFile`; `need` refuses connections without a valid one in
 * the handshake, `want` lets them in, and the identity middleware treats them as anonymous).
 */
export function listenMainPort(app: ListeningApp, server: ServerConfig): Promise<Server> {
  const { port, address, ssl } = server;
  return new Promise<Server>((resolve, reject) => {
    if (!ssl.enabled) {
      // Express 5 calls this back on 'error' too, with the error.
      const listening = app.listen(port, address, (error?: Error) => (error ? reject(error) : resolve(listening)));
      return;
    }
    const clientAuth = ssl.clientAuth !== 'none';
    const https = createHttpsServer(
      {
        cert: readPem('server.ssl.certificateFile', ssl.certificateFile),
        key: readPem('server.ssl.keyFile', ssl.keyFile),
        ...(clientAuth ? { ca: readPem('server.ssl.clientCaFile', ssl.clientCaFile), requestCert: true, rejectUnauthorized: ssl.clientAuth === 'need' } : {}),
      },
      app,
    );
    https.once('error', reject);
    https.listen(port, address, () => {
      https.off('error', reject);
      resolve(https);
    });
  });
}

/** A PEM file's text; a failure names the key and the path, never the contents. */
function readPem(key: string, path: string | undefined): string {
  if (!path) throw new Error(`${key} is not set`);
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new Error(`${key}: cannot read ${path} (${code})`, { cause: error });
  }
}
