import { DescribeSubnetsCommand, DescribeVpcsCommand } from '@aws-sdk/client-ec2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCountingProxy, type CountingProxy } from '../test-support/counting-proxy.js';
import { MOTO_CREDENTIALS, startMoto, type Moto } from '../test-support/moto.js';
import { AccountRetryStrategy } from './account-retry-strategy.js';
import { parseAwsAccount } from './aws-account.js';
import { AwsClientFactory } from './aws-clients.js';

describe('AccountRetryStrategy', () => {
  const strategy = (now: { t: number }, random = 0.5) => new AccountRetryStrategy({ maxAttempts: 4, random: () => random, now: () => now.t });

  it('backs off with full jitter, longer for throttling, capped, and stops at maxAttempts', async () => {
    const now = { t: 1_000 };
    const s = strategy(now, 0.999);
    let token = await s.acquireInitialRetryToken('');
    token = await s.refreshRetryTokenForRetry(token, { errorType: 'THROTTLING' });
    expect([token.getRetryCount(), token.getRetryDelay()]).toEqual([1, 499]);
    token = await s.refreshRetryTokenForRetry(token, { errorType: 'THROTTLING' });
    expect(token.getRetryDelay()).toBe(999);
    token = await s.refreshRetryTokenForRetry(token, { errorType: 'TRANSIENT' });
    expect(token.getRetryDelay()).toBe(399);
    await expect(s.refreshRetryTokenForRetry(token, { errorType: 'THROTTLING' })).rejects.toThrow('no retry left');
    expect(s.throttledCount).toBe(3);
    const other = strategy(now, 0.25);
    const t1 = await other.refreshRetryTokenForRetry(await other.acquireInitialRetryToken(''), { errorType: 'THROTTLING' });
    expect(t1.getRetryDelay()).toBe(125);
  });

  it('does not retry client errors, and honours a longer Retry-After', async () => {
    const now = { t: 0 };
    const s = strategy(now, 0);
    await expect(s.refreshRetryTokenForRetry(await s.acquireInitialRetryToken(''), { errorType: 'CLIENT_ERROR' })).rejects.toThrow();
    const hinted = await s.refreshRetryTokenForRetry(await s.acquireInitialRetryToken(''), { errorType: 'THROTTLING', retryAfterHint: new Date(3_000) });
    expect(hinted.getRetryDelay()).toBe(3_000);
  });
});

/**
 * Against moto behind two proxies, one per account: account A's proxy answers its first calls with
 * EC2's RequestLimitExceeded. A's call succeeds after backing off, each throttled attempt is counted
 * for A alone, A's next call waits behind A's gate, and account B is served meanwhile.
 */
describe('per-account throttling through the SDK', () => {
  let moto: Moto;
  let proxyA: CountingProxy;
  let proxyB: CountingProxy;
  beforeAll(async () => {
    moto = await startMoto();
    [proxyA, proxyB] = await Promise.all([startCountingProxy(moto.endpoint), startCountingProxy(moto.endpoint)]);
  }, 90_000);
  afterAll(async () => {
    await proxyA?.close();
    await proxyB?.close();
    await moto?.stop();
  });

  it('backs off account A without slowing account B, and counts A’s throttled attempts', async () => {
    const throttled: string[] = [];
    // One throttled attempt, then an 8 s back-off (16 s base × the fixed jitter 0.5): long enough for B on a busy machine.
    const factory = new AwsClientFactory({
      credentials: MOTO_CREDENTIALS,
      maxAttempts: 3,
      throttlingBaseDelayMs: 16_000,
      retryJitter: () => 0.5,
      onThrottled: (a) => throttled.push(a),
    });
    const a = parseAwsAccount({ name: 'acct-a', accountId: '111111111111', endpoint: proxyA.url, regions: [{ name: 'us-east-1' }] }, {});
    const b = parseAwsAccount({ name: 'acct-b', accountId: '222222222222', endpoint: proxyB.url, regions: [{ name: 'us-east-1' }] }, {});
    // Warm moto's EC2 backend so B's call below is quick.
    await factory.forRegion(b, 'us-east-1').ec2.send(new DescribeVpcsCommand({}));
    proxyB.seen.length = 0;
    let throttleLeft = 1;
    proxyA.intercept = (action) =>
      action === 'DescribeVpcs' && throttleLeft-- > 0
        ? {
            status: 503,
            contentType: 'text/xml',
            body: '<Response><Errors><Error><Code>RequestLimitExceeded</Code><Message>Request limit exceeded.</Message></Error></Errors><RequestID>r-1</RequestID></Response>',
          }
        : undefined;
    const firstThrottle = new Promise<void>((resolve) => (proxyA.onRequest = () => resolve()));

    let aDone = false;
    const aCall = factory
      .forRegion(a, 'us-east-1')
      .ec2.send(new DescribeVpcsCommand({}))
      .finally(() => (aDone = true));
    await firstThrottle;
    // A is backing off: B's call is answered meanwhile.
    const bOut = await factory.forRegion(b, 'us-east-1').ec2.send(new DescribeVpcsCommand({}));
    expect(bOut.Vpcs!.length).toBeGreaterThan(0);
    expect(aDone).toBe(false);
    // A new call of A (another API) waits behind A's gate instead of adding to the throttled load.
    const aSecond = factory.forRegion(a, 'us-east-1').ec2.send(new DescribeSubnetsCommand({}));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(proxyA.seen).toEqual(['DescribeVpcs']);
    const aOut = await aCall;
    await aSecond;
    expect(aOut.$metadata.attempts).toBe(2);
    expect([...proxyA.seen].sort()).toEqual(['DescribeSubnets', 'DescribeVpcs', 'DescribeVpcs']);
    expect(proxyB.seen).toEqual(['DescribeVpcs']);
    expect(throttled).toEqual(['acct-a']);
    factory.dispose(a);
    factory.dispose(b);
  }, 60_000);
});
