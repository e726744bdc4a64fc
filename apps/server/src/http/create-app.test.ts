import { METRICS } from '@stratus/core';
import { pino } from 'pino';
import request from 'supertest';
import { container as rootContainer } from 'tsyringe';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ServerHealth } from '../health/server-health.js';
import { PromMetricsRegistry } from '../metrics/prom-metrics-registry.js';
import type { RegisterRoutes } from '../routes/route-module.js';
import { PROM_METRICS, SERVER_HEALTH } from '../tokens.js';
import { createApp } from './create-app.js';
import { HttpError, defineRoute } from './define-route.js';

const echoRoutes: RegisterRoutes = (router, openapi) => {
  defineRoute(router, openapi, {
    method: 'post',
    path: '/echo/{name}',
    summary: 'echo',
    params: z.object({ name: z.string().regex(/^[a-z]+$/) }),
    query: z.object({ times: z.coerce.number().int().positive().default(1) }),
    body: z.object({ greeting: z.string() }),
    response: z.object({ text: z.string() }),
    handler: ({ params, query, body }) => ({ text: `${body.greeting} ${params.name}`.repeat(query.times) }),
  });
  defineRoute(router, openapi, {
    method: 'get',
    path: '/boom/{kind}',
    summary: 'fails',
    params: z.object({ kind: z.string() }),
    response: z.object({}),
    handler: ({ params }) => {
      if (params.kind === 'http') throw new HttpError(409, 'already there', { errors: ['name: taken'] });
      throw new Error('secret internal detail');
    },
  });
};

function setup() {
  const container = rootContainer.createChildContainer();
  const health = new ServerHealth();
  const metrics = new PromMetricsRegistry({ defaultMetrics: false });
  container.registerInstance(SERVER_HEALTH, health);
  container.registerInstance(PROM_METRICS, metrics);
  container.registerInstance(METRICS, metrics);
  const { app } = createApp({ container, routeModules: [echoRoutes] });
  return { app, health };
}

describe('createApp', () => {
  it('validates params, query and body and names every bad field', async () => {
    const { app } = setup();
    const ok = await request(app).post('/echo/bob?times=2').send({ greeting: 'hi' });
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({ text: 'hi bobhi bob' });

    const bad = await request(app).post('/echo/B0b?times=-1').send({ greeting: 3 });
    expect(bad.status).toBe(400);
    expect(bad.body.status).toBe(400);
    expect(bad.body.error).toBe('Bad Request');
    expect(bad.body.errors.map((e: string) => e.split(':')[0]).sort()).toEqual(['greeting', 'name', 'times']);
  });

  it('answers malformed JSON, unknown paths and thrown errors in the Clouddriver error shape', async () => {
    const { app } = setup();
    const malformed = await request(app).post('/echo/bob').set('Content-Type', 'application/json').send('{"greeting":');
    expect(malformed.status).toBe(400);
    expect(malformed.body).toMatchObject({ error: 'Bad Request', status: 400 });
    expect(malformed.body.message).toContain('malformed JSON');

    const missing = await request(app).get('/nope');
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({ error: 'Not Found', message: 'No handler for GET /nope', status: 404 });

    const conflict = await request(app).get('/boom/http');
    expect(conflict.status).toBe(409);
    expect(conflict.body).toEqual({ error: 'Conflict', message: 'already there', status: 409, errors: ['name: taken'] });

    const crash = await request(app).get('/boom/other');
    expect(crash.status).toBe(500);
    expect(JSON.stringify(crash.body)).not.toContain('secret internal detail');
  });

  it("reads a JSON body sent without a JSON content type (curl's default form encoding)", async () => {
    const { app } = setup();
    const unlabelled = await request(app).post('/echo/bob').type('form').send('{"greeting":"hi"}');
    expect(unlabelled.status).toBe(200);
    expect(unlabelled.body).toEqual({ text: 'hi bob' });
    const notJson = await request(app).post('/echo/bob').type('form').send('greeting=hi');
    expect(notJson.status).toBe(400);
    expect(notJson.body.message).toContain('malformed JSON');
  });

  it('logs one concise line per request, with the error message of a 4xx and no headers', async () => {
    const lines: Record<string, unknown>[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) });
    const container = rootContainer.createChildContainer();
    const { app } = createApp({ container, routeModules: [echoRoutes], logger });
    await request(app).get('/boom/http').set('X-SPINNAKER-USER', 'alice');
    await request(app).post('/echo/bob').send({ greeting: 'hi' });
    const [conflict, ok] = lines.filter((line) => line.component === 'http');
    expect(conflict).toMatchObject({ level: 40, msg: 'GET /boom/http 409 ' + String(conflict?.responseTime) + ' ms', error: 'already there' });
    expect(conflict?.req).toEqual({ id: expect.any(String), method: 'GET', url: '/boom/http', user: 'alice' });
    expect(conflict?.res).toEqual({ statusCode: 409 });
    expect(ok).toMatchObject({ level: 30, res: { statusCode: 200 } });
    expect(ok).not.toHaveProperty('error');
  });

  it('echoes or assigns request ids', async () => {
    const { app } = setup();
    const given = await request(app).get('/health').set('X-Request-Id', 'abc-123');
    expect(given.headers['x-request-id']).toBe('abc-123');
    const assigned = await request(app).get('/health');
    expect(assigned.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('reports liveness always and readiness from the phase and the checks', async () => {
    const { app, health } = setup();
    let storeUp = true;
    health.addCheck({
      name: 'cacheStore',
      kind: 'memory',
      check: async () =>
        void (
          storeUp ||
          (() => {
            throw new Error('connection refused');
          })()
        ),
    });

    expect((await request(app).get('/health')).body).toEqual({ status: 'UP' });
    const starting = await request(app).get('/health/readiness');
    expect(starting.status).toBe(503);
    expect(starting.body).toMatchObject({ status: 'DOWN', phase: 'starting' });

    health.markReady();
    const ready = await request(app).get('/health/readiness');
    expect(ready.status).toBe(200);
    expect(ready.body.components.cacheStore).toMatchObject({ status: 'UP', kind: 'memory' });

    storeUp = false;
    const down = await request(app).get('/health/ready');
    expect(down.status).toBe(503);
    // The error (it may name a store or an account) is for admins: everyone else sees the status.
    expect(down.body.components.cacheStore).toEqual({ status: 'DOWN', kind: 'memory', latencyMs: expect.any(Number) });

    storeUp = true;
    health.markStopping();
    const stopping = await request(app).get('/health/readiness');
    expect(stopping.status).toBe(503);
    expect(stopping.body.status).toBe('OUT_OF_SERVICE');
  });

  it('serves HTTP metrics by route template and an OpenAPI document of every route', async () => {
    const { app } = setup();
    await request(app).post('/echo/alice').send({ greeting: 'yo' });
    await request(app).post('/echo/carol').send({ greeting: 'yo' });
    const metrics = await request(app).get('/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.headers['content-type']).toContain('text/plain');
    expect(metrics.text).toContain('stratus_http_requests_total{method="POST",route="/echo/:name",status="200"} 2');

    const doc = await request(app).get('/openapi.json');
    expect(doc.status).toBe(200);
    expect(doc.body.openapi).toBe('3.1.0');
    expect(Object.keys(doc.body.paths)).toEqual(expect.arrayContaining(['/echo/{name}', '/boom/{kind}', '/health', '/health/readiness', '/metrics']));
    expect(doc.body.paths['/echo/{name}'].post.requestBody).toBeDefined();
  });
});
