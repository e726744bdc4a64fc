import { describe, expect, it } from 'vitest';
import { clusterName, monikerOf, nextSequence, parseServerGroupName, serverGroupName } from './naming.js';

describe('parseServerGroupName (Frigga Names.parseName)', () => {
  it('splits app, stack, detail and sequence', () => {
    expect(parseServerGroupName('app')).toEqual({ app: 'app', cluster: 'app' });
    expect(parseServerGroupName('app-v000')).toEqual({ app: 'app', cluster: 'app', sequence: 0 });
    expect(parseServerGroupName('app-main-v012')).toEqual({ app: 'app', stack: 'main', cluster: 'app-main', sequence: 12 });
    expect(parseServerGroupName('shop-prod-blue-v012')).toEqual({ app: 'shop', stack: 'prod', detail: 'blue', cluster: 'shop-prod-blue', sequence: 12 });
    expect(parseServerGroupName('shop')).toEqual({ app: 'shop', cluster: 'shop' });
  });

  it('keeps dashes in the detail and leaves an empty stack out', () => {
    expect(parseServerGroupName('app--canary-west-v1000')).toEqual({ app: 'app', detail: 'canary-west', cluster: 'app--canary-west', sequence: 1000 });
    expect(parseServerGroupName('shop--canary-v003')).toEqual({ app: 'shop', cluster: 'shop--canary', detail: 'canary', sequence: 3 });
    expect(parseServerGroupName('shop--worker-v001')).toEqual({ app: 'shop', detail: 'worker', cluster: 'shop--worker', sequence: 1 });
    expect(parseServerGroupName('app-a-b-c-d')).toEqual({ app: 'app', stack: 'a', detail: 'b-c-d', cluster: 'app-a-b-c-d' });
  });

  it('only takes a -v suffix of three or more digits as the sequence', () => {
    expect(parseServerGroupName('app-main-vx')).toEqual({ app: 'app', stack: 'main', detail: 'vx', cluster: 'app-main-vx' });
    expect(parseServerGroupName('app-main-v12')).toEqual({ app: 'app', stack: 'main', detail: 'v12', cluster: 'app-main-v12' });
    expect(parseServerGroupName('app-v001-v002')).toEqual({ app: 'app', stack: 'v001', cluster: 'app-v001', sequence: 2 });
  });

  it('leaves out empty parts of trailing dashes and copes with an empty name', () => {
    expect(parseServerGroupName('app-')).toEqual({ app: 'app', cluster: 'app-' });
    expect(parseServerGroupName('app--')).toEqual({ app: 'app', cluster: 'app--' });
    expect(parseServerGroupName('')).toEqual({ app: '', cluster: '' });
  });
});

describe('clusterName and serverGroupName', () => {
  it('builds cluster names from their parts', () => {
    expect(clusterName('app')).toBe('app');
    expect(clusterName('app', 'main')).toBe('app-main');
    expect(clusterName('app', undefined, 'canary')).toBe('app--canary');
    expect(clusterName('shop', undefined, 'canary')).toBe('shop--canary');
    expect(clusterName('app', 'main', 'canary')).toBe('app-main-canary');
    expect(clusterName('app', '', '')).toBe('app');
  });

  it('zero-pads the sequence and wraps it after 999', () => {
    expect(serverGroupName('app-main', 0)).toBe('app-main-v000');
    expect(serverGroupName('app-main', 42)).toBe('app-main-v042');
    expect(serverGroupName('shop-prod', 7)).toBe('shop-prod-v007');
    expect(serverGroupName('app-main', 999)).toBe('app-main-v999');
    expect(serverGroupName('app-main', 1000)).toBe('app-main-v000');
    expect(serverGroupName('shop-web', 1000)).toBe('shop-web-v000');
  });

  it('round-trips through parseServerGroupName', () => {
    const cluster = clusterName('app', undefined, 'canary-west');
    expect(parseServerGroupName(serverGroupName(cluster, 17))).toEqual({ app: 'app', detail: 'canary-west', cluster, sequence: 17 });
  });
});

describe('nextSequence', () => {
  it('is 0 for a cluster with no server groups', () => {
    expect(nextSequence([], 'app-main')).toBe(0);
    expect(nextSequence(['app-other-v004', 'app-main-canary-v009'], 'app-main')).toBe(0);
  });

  it('is one past the highest sequence of the cluster, ignoring other clusters and unversioned names', () => {
    expect(nextSequence(['app-main-v001', 'app-main-v007', 'app-main-v003', 'app-main-canary-v020', 'app-main'], 'app-main')).toBe(8);
    expect(nextSequence(new Set(['app-v999']), 'app')).toBe(1000);
    expect(serverGroupName('app', nextSequence(['app-v999'], 'app'))).toBe('app-v000');
  });
});

describe('monikerOf', () => {
  it('is the parsed name without absent parts', () => {
    expect(monikerOf('app-main-v002')).toEqual({ app: 'app', cluster: 'app-main', stack: 'main', sequence: 2 });
    expect(monikerOf('shop-web-v007')).toEqual({ app: 'shop', cluster: 'shop-web', stack: 'web', sequence: 7 });
    expect(monikerOf('shop-prod-v003')).toEqual({ app: 'shop', cluster: 'shop-prod', stack: 'prod', sequence: 3 });
    expect(monikerOf('shop--canary-east')).toEqual({ app: 'shop', cluster: 'shop--canary-east', detail: 'canary-east' });
  });
});
