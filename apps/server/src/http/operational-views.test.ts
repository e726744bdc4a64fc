import type { CallerAccess } from '@stratus/core';
import { describe, expect, it } from 'vitest';
import type { ReadinessReport } from '../health/server-health.js';
import { accountDetailsFor, readinessFor } from './operational-views.js';

const dev: CallerAccess = {
  user: 'dave',
  roles: ['dev'],
  canReadAccount: (account) => account === 'devacct',
  canWriteAccount: (account) => account === 'devacct',
};
const admin: CallerAccess = { user: 'root', roles: ['admins'], admin: true, canReadAccount: () => true, canWriteAccount: () => true };

/** The shapes the server and the providers report: core accounts, Kubernetes, Docker Registry, a store. */
const report: ReadinessReport = {
  status: 'UP',
  phase: 'ready',
  components: {
    cacheStore: { status: 'DOWN', kind: 'redis', latencyMs: 3, error: 'connect ECONNREFUSED 10.0.0.7:6379' },
    accounts: {
      status: 'UP',
      latencyMs: 0,
      details: {
        loaded: 4,
        problems: [
          { name: 'devacct-broken', cloudProvider: 'kubernetes', error: 'no such context' },
          { name: 'devacct', cloudProvider: 'kubernetes', error: 'reloading' },
          { name: 'opsacct', cloudProvider: 'kubernetes', error: 'cluster ops.internal unreachable' },
        ],
      },
    },
    'kubernetes.accounts': {
      status: 'UP',
      latencyMs: 1,
      details: {
        accounts: [
          { account: 'devacct', reachable: true, openWatches: 3 },
          { account: 'opsacct', reachable: false, lastError: 'dial ops.internal' },
          { reachable: true },
        ],
      },
    },
    'dockerRegistry.accounts': {
      status: 'UP',
      latencyMs: 1,
      details: { accounts: { devacct: { status: 'UP', tags: 4 }, opsacct: { status: 'DOWN', error: '401 from registry.ops' } } },
    },
    'routed.clusters': { status: 'UP', latencyMs: 0, details: { reachable: 1, unreachable: ['opsacct'] } },
  },
};

describe('readinessFor', () => {
  it('shows admins everything', () => {
    expect(readinessFor(admin, report)).toBe(report);
  });

  it('shows a non-admin only the per-account entries of accounts it may read, and no store errors or totals', () => {
    const shown = readinessFor(dev, report);
    expect(shown.status).toBe('UP');
    expect(shown.components.cacheStore).toEqual({ status: 'DOWN', kind: 'redis', latencyMs: 3 });
    expect(shown.components.accounts!.details).toEqual({ problems: [{ name: 'devacct', cloudProvider: 'kubernetes', error: 'reloading' }] });
    expect(shown.components['kubernetes.accounts']!.details).toEqual({ accounts: [{ account: 'devacct', reachable: true, openWatches: 3 }] });
    expect(shown.components['dockerRegistry.accounts']!.details).toEqual({ accounts: { devacct: { status: 'UP', tags: 4 } } });
    // Details of a shape not known to be per account cannot be filtered, so they are not shown.
    expect(shown.components['routed.clusters']).toEqual({ status: 'UP', latencyMs: 0 });
    expect(JSON.stringify(shown)).not.toMatch(/opsacct|ops\.internal|10\.0\.0\.7|"loaded"/);
  });

  it('shows an anonymous caller with no readable account empty lists', () => {
    const nobody: CallerAccess = { roles: [], canReadAccount: () => false, canWriteAccount: () => false };
    const shown = readinessFor(nobody, report);
    expect(shown.components['kubernetes.accounts']!.details).toEqual({ accounts: [] });
    expect(JSON.stringify(shown)).not.toContain('devacct');
  });
});

describe('accountDetailsFor', () => {
  it('is undefined when no part of the details is per account', () => {
    expect(accountDetailsFor(dev, { error: 'cannot tell' })).toBeUndefined();
    expect(accountDetailsFor(dev, { accounts: 'devacct,opsacct' })).toBeUndefined();
  });
});
