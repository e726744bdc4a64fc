import { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { ON_DEMAND_CACHE_UPDATER, OPERATION_LIMITS, OPERATION_REGISTRY, OPERATIONS_SERVICE, READ_SERVICES } from '@stratus/core';
import express from 'express';
import { container as rootContainer } from 'tsyringe';
import { describe, expect, it } from 'vitest';
import { ROUTE_MODULES } from './index.js';

/** Routes only resolve services per request; the server's feature modules bind them (docs/architecture.md, "Feature modules"). */
describe('route modules', () => {
  it('register no service while they mount', () => {
    const container = rootContainer.createChildContainer();
    const serviceTokens = [OPERATIONS_SERVICE, OPERATION_REGISTRY, OPERATION_LIMITS, ON_DEMAND_CACHE_UPDATER, ...READ_SERVICES.map(([token]) => token)];
    expect(ROUTE_MODULES.length).toBeGreaterThan(10);
    for (const register of ROUTE_MODULES) register(express.Router(), new OpenAPIRegistry(), container);
    expect(serviceTokens.filter((token) => container.isRegistered(token, true)).map((token) => token.description)).toEqual([]);
  });
});
