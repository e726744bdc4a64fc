import { pino, type Logger } from 'pino';
import type { StratusConfig } from '../config/config-schema.js';

/** How long a buffered line may wait for the buffer to fill before it is written anyway. */
const BUFFERED_FLUSH_MS = 1_000;

/**
 * The server's logger: JSON lines to `destination` (stdout by default), each written at once. With
 * `logging.buffered`, lines are copied into a 4 KiB buffer instead of a write syscall per line (the
 * largest cost of a small request after express itself, docs/read-api.md "Small endpoints"), and the
 * buffer is written when full, every second, and when the process exits (pino's exit hook): a line
 * may then show up to a second late, and a death the process cannot see (SIGKILL) loses the last ones.
 */
export function serverLogger(logging: StratusConfig['logging'], destination: number | string = process.stdout.fd): Logger {
  const stream = pino.destination({ dest: destination, sync: !logging.buffered, ...(logging.buffered ? { minLength: 4096 } : {}) });
  if (logging.buffered) {
    // sonic-boom writes a buffered stream only once `minLength` is reached: a quiet server would hold
    // its last lines back indefinitely without this.
    // With a callback, flush reports a closed stream (after shutdown) instead of throwing.
    setInterval(() => stream.flush(() => {}), BUFFERED_FLUSH_MS).unref();
  }
  return pino({ level: logging.level, base: { service: 'stratus' } }, stream);
}
