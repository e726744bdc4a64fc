import { METRICS, NOOP_METRICS } from '@stratus/core';
import { CLIENT_CONTRACT } from '../http/client-contract.js';
import { toExpressPath } from '../http/define-route.js';
import { unimplementedAnswer } from '../http/unimplemented-route-handler.js';
import { resolveOptional } from '../di.js';
import type { RegisterRoutes } from './route-module.js';

/**
 * Client-contract endpoints that a more general generic route would otherwise swallow (Spring picks
 * the most specific pattern; express the first): `…/serverGroups/{account}/{serverGroup}/events`
 * looks like `…/serverGroups/{account}/{region}/{serverGroup}`. Mounted after the provider routes,
 * so a provider serving one still answers, and before the generic ones.
 */
export const SHADOWED_ENDPOINTS = ['/applications/{app}/serverGroups/{account}/{serverGroup}/events'] as const;

/**
 * Answers the client-contract endpoints that a generic route would otherwise mistake for one of its
 * own (see {@link SHADOWED_ENDPOINTS}) with the "Stratus does not implement" 404. Listed right after
 * the provider routes, so a provider that serves such an endpoint still wins.
 */
export const registerShadowedEndpointRoutes: RegisterRoutes = (router, _openapi, container) => {
  const answer = unimplementedAnswer(resolveOptional(container, METRICS) ?? NOOP_METRICS);
  for (const path of SHADOWED_ENDPOINTS) {
    const endpoint = CLIENT_CONTRACT.find((candidate) => candidate.path === path)!;
    router[endpoint.method](toExpressPath(path.replace('{app}', '{application}')), (req, res) => answer(req, res, endpoint));
  }
};
