import { describe, expect, it } from 'vitest';
import { FiatAccessResolver, type FiatUserPermission } from './fiat-access-resolver.js';

/** A Fiat stand-in: each user's current permission, and how often it was asked. */
function fakeFiat(permissions: Record<string, FiatUserPermission | 'down'>) {
  const calls: string[] = [];
  const fetchImpl = (async (url: string) => {
    const user = decodeURIComponent(url.split('/authorize/')[1]!);
    calls.push(user);
    const permission = permissions[user];
    if (permission === 'down') return new Response('boom', { status: 503 });
    if (!permission) return new Response('', { status: 404 });
    return Response.json(permission);
  }) as unknown as typeof fetch;
  return { calls, fetchImpl };
}

const reader = (account: string): FiatUserPermission => ({ accounts: [{ name: account, authorizations: ['READ'] }], applications: [], roles: [] });

describe('FiatAccessResolver reuse of built accesses', () => {
  it('reuses an access for the same user while Fiat’s answer is cached, never across users', async () => {
    const fiat = fakeFiat({ alice: reader('prod'), bob: reader('test') });
    const resolver = new FiatAccessResolver({ baseUrl: 'http://fiat.invalid', fetch: fiat.fetchImpl, now: () => 0 });
    const alice = await resolver.resolve({ 'x-spinnaker-user': 'alice' });
    expect(await resolver.resolve({ 'x-spinnaker-user': 'alice' })).toBe(alice);
    const bob = await resolver.resolve({ 'x-spinnaker-user': 'bob' });
    expect(bob).not.toBe(alice);
    expect([alice.user, alice.canReadAccount('prod'), alice.canReadAccount('test')]).toEqual(['alice', true, false]);
    expect([bob.user, bob.canReadAccount('prod'), bob.canReadAccount('test')]).toEqual(['bob', false, true]);
    expect(Object.isFrozen(alice) && Object.isFrozen(alice.roles)).toBe(true);
    expect(fiat.calls).toEqual(['alice', 'bob']);
  });

  it('keeps the anonymous caller apart from a user named anonymous', async () => {
    const fiat = fakeFiat({ anonymous: reader('open') });
    const resolver = new FiatAccessResolver({ baseUrl: 'http://fiat.invalid', fetch: fiat.fetchImpl, now: () => 0 });
    const nobody = await resolver.resolve({});
    const named = await resolver.resolve({ 'x-spinnaker-user': 'anonymous' });
    expect(nobody.user).toBeUndefined();
    expect(named.user).toBe('anonymous');
    expect(named).not.toBe(nobody);
  });

  it('builds again from a fresh answer once the TTL passed or the user was invalidated', async () => {
    const permissions: Record<string, FiatUserPermission | 'down'> = { alice: reader('prod') };
    const fiat = fakeFiat(permissions);
    let now = 0;
    const resolver = new FiatAccessResolver({ baseUrl: 'http://fiat.invalid', fetch: fiat.fetchImpl, now: () => now, cacheTtlMs: 1_000 });
    const before = await resolver.resolve({ 'x-spinnaker-user': 'alice' });
    permissions.alice = reader('test');
    expect((await resolver.resolve({ 'x-spinnaker-user': 'alice' })).canReadAccount('prod')).toBe(true); // within the TTL, as before
    now = 1_001;
    const afterTtl = await resolver.resolve({ 'x-spinnaker-user': 'alice' });
    expect(afterTtl).not.toBe(before);
    expect([afterTtl.canReadAccount('prod'), afterTtl.canReadAccount('test')]).toEqual([false, true]);
    permissions.alice = reader('prod');
    resolver.invalidate('alice');
    const afterInvalidate = await resolver.resolve({ 'x-spinnaker-user': 'alice' });
    expect([afterInvalidate.canReadAccount('prod'), afterInvalidate.canReadAccount('test')]).toEqual([true, false]);
  });

  it('gives no permissions while Fiat is down, and the user’s grants again once it answers', async () => {
    const permissions: Record<string, FiatUserPermission | 'down'> = { alice: 'down' };
    const fiat = fakeFiat(permissions);
    let now = 0;
    const resolver = new FiatAccessResolver({ baseUrl: 'http://fiat.invalid', fetch: fiat.fetchImpl, now: () => now });
    const down = await resolver.resolve({ 'x-spinnaker-user': 'alice' });
    expect(down.canReadAccount('prod')).toBe(false);
    permissions.alice = reader('prod');
    now = 2_001; // a failure is kept for at most 2 s
    expect((await resolver.resolve({ 'x-spinnaker-user': 'alice' })).canReadAccount('prod')).toBe(true);
  });
});
