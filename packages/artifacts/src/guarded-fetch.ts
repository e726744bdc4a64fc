import { ArtifactError, type ArtifactFetchInit } from '@stratus/plugin-api';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { Readable } from 'node:stream';
import type { NetworkPolicy } from './network-policy.js';

const MAX_REDIRECTS = 5;

/**
 * A GET that honours the {@link NetworkPolicy}: the URL is checked before connecting, every address
 * is checked at connect time, and redirects are followed by hand (each hop checked again, credentials
 * dropped when the origin changes). Answers a WHATWG `Response` whose body streams.
 */
export async function guardedFetch(policy: NetworkPolicy, input: string | URL, init: ArtifactFetchInit & { timeoutMs: number }): Promise<Response> {
  let url = toUrl(input);
  let headers: Record<string, string> = { ...(init.headers ?? {}) };
  for (let hop = 0; ; hop++) {
    await policy.check(url);
    const response = await get(policy, url, headers, init);
    const status = response.statusCode ?? 0;
    if (status >= 300 && status < 400 && response.headers.location && status !== 304) {
      response.resume();
      if (hop >= MAX_REDIRECTS) throw new ArtifactError(502, `too many redirects fetching ${url.origin}${url.pathname}`);
      const next = new URL(response.headers.location, url);
      if (next.origin !== url.origin) headers = withoutCredentials(headers);
      url = next;
      continue;
    }
    const responseHeaders = new Headers();
    for (const [name, value] of Object.entries(response.headers)) {
      if (value !== undefined) responseHeaders.set(name, Array.isArray(value) ? value.join(', ') : value);
    }
    const body = status === 204 || status === 304 ? null : (Readable.toWeb(response) as ReadableStream<Uint8Array>);
    const answer = new Response(body, { status, statusText: response.statusMessage ?? '', headers: responseHeaders });
    Object.defineProperty(answer, 'url', { value: url.toString() });
    return answer;
  }
}

function toUrl(input: string | URL): URL {
  try {
    return input instanceof URL ? input : new URL(input);
  } catch {
    throw new ArtifactError(400, `malformed URL: ${String(input).slice(0, 200)}`);
  }
}

function withoutCredentials(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !/^(authorization|private-token|cookie)$/i.test(name)));
}

function get(policy: NetworkPolicy, url: URL, headers: Record<string, string>, init: ArtifactFetchInit & { timeoutMs: number }): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    // A fresh connection per request (no pool): every connection goes through the policy's lookup, and
    // no request races an upstream closing an idle keep-alive socket.
    const req = send(url, { method: 'GET', headers, agent: false, lookup: policy.lookupFor(url) as never, signal: init.signal }, resolve);
    req.setTimeout(init.timeoutMs, () => req.destroy(new ArtifactError(504, `no answer from ${url.host} within ${init.timeoutMs} ms`)));
    req.on('error', (error) => {
      if (error instanceof ArtifactError) reject(error);
      else if (error.name === 'AbortError') reject(error);
      else reject(new ArtifactError(502, `could not reach ${url.host}: ${error.message}`, { cause: error }));
    });
    req.end();
  });
}
