import express from 'express';
import { pino } from 'pino';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { requestLog } from './request-log.js';

/** The request log's lines, as pino writes them, for a logger at `level`. */
function appLogging(level: string): { app: express.Express; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const logger = pino({ level }, { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) });
  const app = express();
  app.use(requestLog(logger));
  app.get('/things', (_req, res) => {
    res.json([]);
  });
  return { app, lines };
}

describe('request log', () => {
  it('at info: one line per request, without headers', async () => {
    const { app, lines } = appLogging('info');
    await request(app).get('/things').set('Authorization', 'Bearer secret').set('X-SPINNAKER-USER', 'alice');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ component: 'http', req: { method: 'GET', url: '/things', user: 'alice' }, res: { statusCode: 200 } });
    expect(JSON.stringify(lines[0])).not.toContain('secret');
    expect((lines[0]!.req as Record<string, unknown>).headers).toBeUndefined();
  });

  it('at debug: headers are logged with credentials redacted', async () => {
    const { app, lines } = appLogging('debug');
    await request(app).get('/things').set('Authorization', 'Bearer secret').set('Cookie', 'session=secret').set('X-Other', 'visible');
    const headers = (lines[0]!.req as { headers: Record<string, unknown> }).headers;
    expect(headers['x-other']).toBe('visible');
    expect(headers.authorization).toBe('[Redacted]');
    expect(headers.cookie).toBe('[Redacted]');
    expect(JSON.stringify(lines)).not.toContain('secret');
  });
});
