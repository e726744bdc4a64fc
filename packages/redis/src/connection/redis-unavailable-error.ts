/**
 * Thrown by every Redis adapter when the server cannot be reached (connection refused, closed,
 * retries exhausted, command timed out). It carries `statusCode = 503` so the HTTP layer can answer
 * "Service Unavailable" instead of a generic 500; errors Redis itself replied with are not wrapped.
 */
export class RedisUnavailableError extends Error {
  readonly statusCode = 503;
  readonly code = 'REDIS_UNAVAILABLE';

  constructor(operation: string, cause: unknown) {
    super(`Redis is unavailable (${operation}): ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'RedisUnavailableError';
  }
}
