import type { MetricsRegistry } from '@stratus/core';
import type { Request, RequestHandler, Response } from 'express';
import { matchClientEndpoint, type ClientEndpoint } from './client-contract.js';
import { errorBody, notFoundHandler } from './error-handler.js';

/**
 * The answer for a request no route matched. When Spinnaker's clients do call such a path (a
 * Clouddriver endpoint of the client contract that Stratus does not serve, usually one of a cloud
 * it does not ship, or of a provider that is not enabled), the 404 says so, naming the endpoint
 * and who calls it, and `stratus_unimplemented_requests_total{method,route,caller}` counts it: the
 * route label is the contract's template, so its cardinality stays bounded. Other paths get the
 * plain "No handler" 404.
 */
export function unimplementedRouteHandler(metrics: MetricsRegistry): RequestHandler {
  const answer = unimplementedAnswer(metrics);
  return (req, res, next) => {
    const endpoint = matchClientEndpoint(req.method, req.path);
    if (!endpoint) {
      notFoundHandler(req, res, next);
      return;
    }
    answer(req, res, endpoint);
  };
}

/** Answers one unimplemented endpoint: the 404 naming it, counted by its template. */
export function unimplementedAnswer(metrics: MetricsRegistry): (req: Request, res: Response, endpoint: ClientEndpoint) => void {
  const unimplemented = metrics.counter(
    'unimplemented_requests_total',
    'Requests for Clouddriver endpoints Spinnaker clients call but Stratus does not serve, by route template',
    ['method', 'route', 'callers'],
  );
  return (req, res, endpoint) => {
    const method = req.method.toUpperCase();
    unimplemented.inc({ method, route: endpoint.path, callers: endpoint.callers.join(',') });
    const part = endpoint.needs === 'core' ? 'provider-independent' : `of the ${endpoint.needs} provider`;
    res
      .status(404)
      .json(
        errorBody(
          404,
          `Stratus does not implement ${method} ${endpoint.path} (requested: ${req.path}), a Clouddriver endpoint ${endpoint.callers.join(' and ')} call${endpoint.callers.length > 1 ? '' : 's'}, ${part}`,
          { unimplemented: true, route: endpoint.path },
        ),
      );
  };
}
