import { describe, expect, it } from 'vitest';
import { KubernetesApiError } from './kubernetes-api-error.js';

describe('KubernetesApiError.from', () => {
  it('reads an abort (what undici fetch rejects with on a timed-out signal) as a timeout, not as HTTP 23', async () => {
    const signal = AbortSignal.timeout(1);
    const reason = await new Promise<unknown>((resolve) => signal.addEventListener('abort', () => resolve(signal.reason)));
    const error = KubernetesApiError.from(reason, 'list Pod');
    expect(error).toMatchObject({ code: 0, reason: 'Timeout' });
    expect(error.message).toMatch(/^list Pod: .*timeout/i);
    expect(KubernetesApiError.from(new DOMException('stopped', 'AbortError'), 'get Pod web')).toMatchObject({ code: 0, reason: 'Timeout' });
  });

  it('keeps the HTTP status and the Status object of an answered call', () => {
    const body = JSON.stringify({ kind: 'Status', reason: 'NotFound', message: 'pods "web" not found' });
    const error = KubernetesApiError.from(Object.assign(new Error('HTTP 404'), { code: 404, body }), 'get Pod web');
    expect(error).toMatchObject({ code: 404, reason: 'NotFound', message: 'get Pod web: pods "web" not found', notFound: true });
  });

  it('reads a refused connection as unreachable with the socket error code', () => {
    const error = KubernetesApiError.from(Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } }), 'list Pod');
    expect(error).toMatchObject({ code: 0, reason: 'Unreachable', message: 'list Pod: ECONNREFUSED' });
  });
});
