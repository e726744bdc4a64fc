import { expect } from 'vitest';

/** HTTP helpers of the authorization matrix tests: a caller's request, polling, the console's event stream. */

export interface Answer {
  status: number;
  text: string;
  body: any;
}

/** A client of the server at `baseUrl()` (read per request: the server starts after the helpers are made). */
export function matrixClient(baseUrl: () => string) {
  /** A request as `user` (anonymous when undefined); the body parsed as JSON when it is JSON. */
  async function call(method: string, path: string, user: string | undefined, body?: unknown): Promise<Answer> {
    const headers: Record<string, string> = {};
    if (user) headers['x-spinnaker-user'] = user;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${baseUrl()}${path}`, {
      method: method.toUpperCase(),
      headers,
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = text;
    }
    return { status: response.status, text, body: parsed };
  }

  /** An open `/console/events` stream as `user`, counting its `change` events. */
  async function openEvents(user: string): Promise<{ changes(): number; close(): void }> {
    const abort = new AbortController();
    const response = await fetch(`${baseUrl()}/console/events`, { headers: { 'x-spinnaker-user': user }, signal: abort.signal });
    expect(response.status).toBe(200);
    let text = '';
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    void (async () => {
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) return;
          text += decoder.decode(value, { stream: true });
        }
      } catch {
        // aborted
      }
    })();
    return { changes: () => text.split('event: change').length - 1, close: () => abort.abort() };
  }

  return { call, openEvents };
}

/** Polls `read` every 50 ms until `accept` takes its value; fails naming `what` after `timeoutMs`. */
export async function until<T>(what: string, read: () => Promise<T>, accept: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (accept(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
