import type { RequestHandler, Response } from 'express';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Logger } from 'pino';

/** The request id header: reused when a caller (Gate, Orca, a proxy) sends one, echoed back. */
export const REQUEST_ID_HEADER = 'x-request-id';

const QUIET_PATHS = (url: string) => url === '/metrics' || url.startsWith('/health');

/**
 * Request ids and one concise log line per request (`GET /path 200 3 ms`, `req: {id, method, url,
 * user}`, `res: {statusCode}`, `responseTime`, plus `error` for a 4xx/5xx with a message; headers
 * only at debug level, credentials redacted). Level by status: 5xx error, 4xx warn, else info.
 *
 * Replaces pino-http, whose per-request child logger, serializers and response wrapping led the
 * profile of small endpoints: here the child logger is built once, nothing is allocated for a
 * request whose line the level would drop, and the line is written when the response finishes.
 */
export function requestLog(logger: Logger): RequestHandler {
  const http = logger.child({ component: 'http' });
  // Only debug lines carry headers, so only they pay for redaction (its path walk showed in the profile).
  const withHeaders = logger.child({ component: 'http' }, { redact: ['req.headers.authorization', 'req.headers.cookie'] });
  return (req, res, next) => {
    const incoming = req.headers[REQUEST_ID_HEADER];
    const id = typeof incoming === 'string' && incoming.length > 0 && incoming.length <= 200 ? incoming : randomUUID();
    res.setHeader('X-Request-Id', id);
    (req as IncomingMessage & { id?: string }).id = id;
    const url = req.url;
    if (QUIET_PATHS(url) || !http.isLevelEnabled('info')) {
      // Below info nothing of a 2xx/3xx is kept; 4xx/5xx still are when warn/error are enabled.
      if (!http.isLevelEnabled('warn')) return next();
    }
    const start = process.hrtime.bigint();
    // 'close' comes after 'finish', and alone when the client went away first. A response closes
    // once: `on`, not `once`, spares a wrapper per request.
    res.on('close', () => {
      const status = res.writableFinished ? res.statusCode : 499;
      const level = status >= 500 ? 'error' : status >= 400 ? 'warn' : 'info';
      if (level === 'info' && QUIET_PATHS(url)) return;
      if (!http.isLevelEnabled(level)) return;
      const responseTime = Math.round(Number(process.hrtime.bigint() - start) / 1e6);
      const message = (res as Response).locals?.errorMessage as string | undefined;
      const debug = http.isLevelEnabled('debug');
      const line: Record<string, unknown> = {
        req: debug
          ? { id, method: req.method, url, user: req.headers['x-spinnaker-user'], headers: req.headers }
          : { id, method: req.method, url, user: req.headers['x-spinnaker-user'] },
        res: { statusCode: status },
        responseTime,
      };
      if (message !== undefined) line.error = message;
      (debug ? withHeaders : http)[level](line, `${req.method} ${url} ${status} ${responseTime} ms`);
    });
    next();
  };
}
