import { describe, expect, it } from 'vitest';
import { parseRegionalKey } from '../index.js';

describe('parseRegionalKey', () => {
  const own = (base: { type: string }, parts: readonly string[]) => (base.type === 'images' ? { ...base, name: parts.join('/') } : undefined);

  it('parses the standard regional types itself and hands the rest to the cloud', () => {
    expect(parseRegionalKey('test:applications:shop', 'test', own)).toMatchObject({ type: 'applications', application: 'shop' });
    expect(parseRegionalKey('test:clusters:prod:shop:shop-web', 'test', own)).toMatchObject({ account: 'prod', application: 'shop', cluster: 'shop-web' });
    expect(parseRegionalKey('test:instances:prod:east:i-1', 'test', own)).toMatchObject({ account: 'prod', region: 'east', instanceId: 'i-1' });
    expect(parseRegionalKey('test:loadBalancers:prod:east:web', 'test', own)).toMatchObject({ account: 'prod', region: 'east', loadBalancer: 'web' });
    expect(parseRegionalKey('test:images:prod:base', 'test', own)).toMatchObject({ type: 'images', name: 'prod/base' });
    expect(parseRegionalKey('test:subnets:prod', 'test', own)).toBeUndefined();
    expect(parseRegionalKey('other:applications:shop', 'test', own)).toBeUndefined();
  });
});
