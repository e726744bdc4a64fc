import type { Response } from 'express';

/** Arrays shorter than this go out through `res.json` (one string is cheaper for small bodies). */
export const STREAM_ARRAYS_FROM = 256;

/** Bytes gathered before a write: big enough to keep syscalls few, small enough to keep memory flat. */
const CHUNK_BYTES = 64 * 1024;

/**
 * Whether this response may be streamed: a big array, and nothing upstream captures the body (the
 * application view cache replaces `res.send` on the response to keep, hash and compress the whole
 * body; such responses keep going through `res.json`, so cached bodies, ETags and compression work
 * as they do).
 */
export function streamsAsJsonArray(res: Response, body: unknown): body is readonly unknown[] {
  return Array.isArray(body) && body.length >= STREAM_ARRAYS_FROM && !Object.prototype.hasOwnProperty.call(res, 'send');
}

/**
 * Writes `items` as a JSON array, serialising one item at a time into chunks of about 64 KiB and
 * waiting for `drain` when the socket is behind, so a response of tens of MB never exists as one
 * string (peak memory is one chunk plus the socket's buffer, whatever the array's size). The bytes
 * are exactly `JSON.stringify(items)`'s, as `res.json` sends them (`undefined`, functions and
 * symbols in the array become `null`). A closed connection stops the writing.
 */
export async function writeJsonArray(res: Response, status: number, items: readonly unknown[]): Promise<void> {
  res.status(status);
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  let chunk = '[';
  for (let i = 0; i < items.length; i++) {
    if (res.destroyed) return;
    const json = JSON.stringify(items[i]) as string | undefined;
    chunk += (i === 0 ? '' : ',') + (json ?? 'null');
    if (chunk.length >= CHUNK_BYTES) {
      const flushed = res.write(chunk);
      chunk = '';
      if (!flushed) await drained(res);
    }
  }
  res.end(`${chunk}]`);
}

/** Resolves on `drain`, or when the connection closes first (the loop then sees `destroyed`). */
function drained(res: Response): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}
