import { pino, type Logger } from 'pino';
import type { StratusConfig } from '../config/config-schema.js';

/**
 * The server's logger: JSON lines to `destination` (stdout by default). Buffered unless
 * `logging.buffered` is false: a request's log line is then copied into a 4 KiB buffer instead of a
 * write per line (one write syscall per request was the largest cost of small endpoints after
 * express itself, docs/read-api.md "Small endpoints"); pino flushes the buffer when the process
 * exits, so only a death the process cannot see (SIGKILL, a power loss) can lose its last lines.
 */
export function serverLogger(logging: StratusConfig['logging'], destination: number | string = process.stdout.fd): Logger {
  const stream = pino.destination({ dest: destination, sync: !logging.buffered, ...(logging.buffered ? { minLength: 4096 } : {}) });
  return pino({ level: logging.level, base: { service: 'stratus' } }, stream);
}
