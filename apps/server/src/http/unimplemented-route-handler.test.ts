import { METRICS } from '@stratus/core';
import request from 'supertest';
import { container as rootContainer } from 'tsyringe';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { PromMetricsRegistry } from '../metrics/prom-metrics-registry.js';
import type { RegisterRoutes } from '../routes/route-module.js';
import { PROM_METRICS } from '../tokens.js';
import { CLIENT_CONTRACT, matchClientEndpoint } from './client-contract.js';
import { createApp } from './create-app.js';
import { defineRoute } from './define-route.js';

const served: RegisterRoutes = (router, openapi) => {
  defineRoute(router, openapi, { method: 'get', path: '/tags', summary: 'tags', response: z.array(z.unknown()), handler: () => [] });
};

function setup() {
  const container = rootContainer.createChildContainer();
  const metrics = new PromMetricsRegistry({ defaultMetrics: false });
  container.registerInstance(PROM_METRICS, metrics);
  container.registerInstance(METRICS, metrics);
  return { app: createApp({ container, routeModules: [served] }).app, metrics };
}

describe('unimplemented client-contract routes', () => {
  it('lists the 93 distinct endpoints Gate and Orca call, once each', () => {
    const keys = CLIENT_CONTRACT.map((endpoint) => `${endpoint.method} ${endpoint.path}`);
    expect(new Set(keys).size).toBe(93);
    expect(keys).toHaveLength(93);
  });

  it('is listed in full in docs/read-api.md', () => {
    const docs = readFileSync(new URL('../../../../docs/read-api.md', import.meta.url), 'utf8');
    const missing = CLIENT_CONTRACT.filter(
      (endpoint) => !docs.includes(`| \`${endpoint.method.toUpperCase()} ${endpoint.path}\` | ${endpoint.callers.join(', ')} | ${endpoint.needs} |`),
    );
    expect(missing).toEqual([]);
  });

  it('matches the most specific template', () => {
    expect(matchClientEndpoint('GET', '/ecs/secrets')?.path).toBe('/ecs/secrets');
    expect(matchClientEndpoint('GET', '/aws/images/tags')?.path).toBe('/{provider}/images/tags');
    expect(matchClientEndpoint('GET', '/aws/cloudFormation/stacks/arn:aws:x')?.path).toBe('/aws/cloudFormation/stacks/{stackId}');
    expect(matchClientEndpoint('POST', '/ecs/secrets')).toBeUndefined();
    expect(matchClientEndpoint('GET', '/not/a/clouddriver/path/at/all')).toBeUndefined();
  });

  it('answers 404 naming the endpoint and counts it by template; other paths keep "No handler"', async () => {
    const { app, metrics } = setup();
    const first = await request(app).get('/reports/reservation/my-report');
    expect(first.status).toBe(404);
    expect(first.body).toMatchObject({ error: 'Not Found', status: 404, unimplemented: true, route: '/reports/reservation/{name}' });
    expect(first.body.message).toContain('Stratus does not implement GET /reports/reservation/{name}');
    expect(first.body.message).toContain('Gate calls');
    await request(app).get('/reports/reservation/other').expect(404);
    await request(app).get('/servicebroker/acct/serviceInstance').expect(404);

    const unknown = await request(app).get('/definitely/unknown');
    expect(unknown.status).toBe(404);
    expect(unknown.body.message).toBe('No handler for GET /definitely/unknown');

    await request(app).get('/tags').expect(200);

    const text = (await metrics.render()).body;
    expect(text).toContain('stratus_unimplemented_requests_total{method="GET",route="/reports/reservation/{name}",callers="Gate"} 2');
    expect(text).toContain('stratus_unimplemented_requests_total{method="GET",route="/servicebroker/{account}/serviceInstance",callers="Gate,Orca"} 1');
    expect(text.split('\n').filter((line) => line.startsWith('stratus_unimplemented') && line.includes('route="/tags"'))).toEqual([]);
  });
});
