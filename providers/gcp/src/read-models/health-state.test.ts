import type { InstanceView } from '@stratus/plugin-api';
import { describe, expect, it } from 'vitest';
import { countInstances } from '@stratus/provider-kit';
import { healthStateOf } from './views.js';

const h = (...states: string[]) => states.map((state, i) => ({ type: `h${i}`, state }));

describe('GCE instance health state and counts (Clouddriver GoogleInstance order)', () => {
  it.each([
    [h('Up'), 'Up'],
    [h('Up', 'Unknown'), 'Up'],
    [h('Unknown'), 'Unknown'],
    [[], 'Unknown'],
    [h('Starting', 'OutOfService'), 'Starting'],
    [h('Starting', 'Down'), 'Starting'],
    [h('Up', 'Down'), 'Down'],
    [h('Up', 'OutOfService'), 'OutOfService'],
    [h('Down', 'OutOfService'), 'Down'],
  ])('%j is %s', (health, state) => {
    expect(healthStateOf(health)).toBe(state);
  });

  it('counts instances by state in the six buckets Clouddriver serializes', () => {
    const views = (['Up', 'Up', 'Down', 'Starting', 'OutOfService', 'Unknown'] as const).map(
      (healthState, i) => ({ name: `i${i}`, healthState }) as unknown as InstanceView,
    );
    expect(countInstances(views)).toEqual({ total: 6, up: 2, down: 1, starting: 1, outOfService: 1, unknown: 1 });
  });
});
