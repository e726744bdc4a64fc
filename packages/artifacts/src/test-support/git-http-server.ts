import { spawn } from 'node:child_process';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { startLoopbackServer, type LoopbackServer } from './loopback-server.js';

/**
 * Serves the bare repositories under `root` over smart HTTP on loopback by running
 * `git http-backend` as a CGI per request; `authorization`, when set, is the only accepted
 * `Authorization` header (others get 401, as a git host answers).
 */
export function startGitHttpServer(root: string, authorization?: string): Promise<LoopbackServer> {
  return startLoopbackServer(
    (req: IncomingMessage, res: ServerResponse) =>
      new Promise<void>((resolve) => {
        if (authorization && req.headers.authorization !== authorization) {
          res.writeHead(401, { 'www-authenticate': 'Basic realm="git"' }).end();
          return resolve();
        }
        const url = new URL(req.url ?? '/', 'http://x');
        const child = spawn('git', ['http-backend'], {
          env: {
            PATH: process.env.PATH,
            GIT_PROJECT_ROOT: root,
            GIT_HTTP_EXPORT_ALL: '1',
            REQUEST_METHOD: req.method ?? 'GET',
            PATH_INFO: decodeURIComponent(url.pathname),
            QUERY_STRING: url.search.slice(1),
            CONTENT_TYPE: req.headers['content-type'] ?? '',
            HTTP_CONTENT_ENCODING: String(req.headers['content-encoding'] ?? ''),
            GIT_PROTOCOL: String(req.headers['git-protocol'] ?? ''),
            REMOTE_ADDR: '127.0.0.1',
            ...(authorization ? { REMOTE_USER: 'git' } : {}),
          },
          stdio: ['pipe', 'pipe', 'inherit'],
        });
        req.pipe(child.stdin);
        let head = Buffer.alloc(0);
        let headersDone = false;
        child.stdout.on('data', (chunk: Buffer) => {
          if (headersDone) return void res.write(chunk);
          head = Buffer.concat([head, chunk]);
          const end = head.indexOf('\r\n\r\n');
          if (end < 0) return;
          headersDone = true;
          let status = 200;
          for (const line of head.subarray(0, end).toString().split('\r\n')) {
            const colon = line.indexOf(':');
            const name = line.slice(0, colon).trim();
            const value = line.slice(colon + 1).trim();
            if (name.toLowerCase() === 'status') status = Number(value.split(' ')[0]);
            else res.setHeader(name, value);
          }
          res.writeHead(status);
          res.write(head.subarray(end + 4));
        });
        child.on('close', () => {
          res.end();
          resolve();
        });
      }),
  );
}
