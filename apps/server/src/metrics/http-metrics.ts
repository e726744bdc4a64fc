import type { MetricsRegistry } from '@stratus/core';
import type { RequestHandler } from 'express';

/**
 * Counts and times HTTP requests by method, route template and status. The route is express's
 * matched pattern (`/applications/:application`), never the raw path, so cardinality stays bounded.
 */
export function httpMetrics(metrics: MetricsRegistry): RequestHandler {
  const requests = metrics.counter('http_requests_total', 'HTTP requests by route and status', ['method', 'route', 'status']);
  const duration = metrics.histogram('http_request_duration_seconds', 'HTTP request latency by route and status', ['method', 'route', 'status']);
  return (req, res, next) => {
    const start = process.hrtime.bigint();
    res.on('finish', () => {
      const route = req.route?.path ? `${req.baseUrl}${String(req.route.path)}` : 'unmatched';
      const labels = { method: req.method, route, status: String(res.statusCode) };
      requests.inc(labels);
      duration.observe(labels, Number(process.hrtime.bigint() - start) / 1e9);
    });
    next();
  };
}
