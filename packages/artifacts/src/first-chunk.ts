import { Readable } from 'node:stream';

/**
 * Waits for a stream's first chunk (or its end) and answers a stream of the same bytes; rejects
 * when the stream fails first. Lets clients whose errors arrive on the stream (GCS, a git process)
 * fail before the server has sent a status.
 */
export async function firstChunk(stream: Readable): Promise<Readable> {
  const iterator = stream[Symbol.asyncIterator]();
  const first = await iterator.next();
  async function* rest(): AsyncGenerator<Uint8Array> {
    if (first.done) return;
    yield first.value as Uint8Array;
    for (;;) {
      const next = await iterator.next();
      if (next.done) return;
      yield next.value as Uint8Array;
    }
  }
  const replay = Readable.from(rest(), { objectMode: false });
  replay.on('close', () => void iterator.return?.());
  return replay;
}
