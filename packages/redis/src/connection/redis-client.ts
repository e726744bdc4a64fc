import { Redis, ReplyError, type RedisOptions } from 'ioredis';
import { RedisUnavailableError } from './redis-unavailable-error.js';

export interface RedisClientOptions {
  /** `redis://[user:password@]host:port[/db]` or `rediss://…` (TLS). */
  readonly url: string;
  /** Shown in `CLIENT LIST` (`stratus-cache`, `stratus-scheduler`, …). */
  readonly connectionName?: string;
  readonly connectTimeoutMs?: number;
  /** Upper bound for one command; a hung server then fails requests instead of hanging them. */
  readonly commandTimeoutMs?: number;
  /** Longest pause between reconnect attempts. */
  readonly maxReconnectDelayMs?: number;
}

/**
 * One ioredis connection with the behaviour every adapter wants: reconnect forever (with a capped
 * back-off) so the server recovers by itself, but fail each command after one retry instead of
 * queueing it indefinitely, so callers see an error (→ 503) while Redis is away.
 */
export function createRedisClient(options: RedisClientOptions): Redis {
  const parsed = new URL(options.url);
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    throw new Error(`redis.connection must start with redis:// or rediss://, got ${parsed.protocol}//`);
  }
  const maxDelay = options.maxReconnectDelayMs ?? 1000;
  const redisOptions: RedisOptions = {
    connectionName: options.connectionName,
    connectTimeout: options.connectTimeoutMs ?? 5000,
    commandTimeout: options.commandTimeoutMs ?? 30_000,
    maxRetriesPerRequest: 1,
    retryStrategy: (attempt) => Math.min(50 * 2 ** Math.min(attempt, 10), maxDelay),
  };
  // ioredis parses redis://, rediss:// (enables TLS) and the db index in the path itself.
  const client = new Redis(options.url, redisOptions);
  // Connection errors surface through the failing commands and ping(); without a listener ioredis
  // would print every failed reconnect attempt while Redis is away.
  client.on('error', () => undefined);
  return client;
}

/** True for errors the Redis server replied with (WRONGTYPE, NOSCRIPT, …), as opposed to connectivity. */
export function isReplyError(error: unknown): boolean {
  return error instanceof ReplyError || (error instanceof Error && error.name === 'ReplyError');
}

/** Runs a Redis call and turns connectivity failures into {@link RedisUnavailableError}. */
export async function withRedis<T>(operation: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (isReplyError(error) || error instanceof RedisUnavailableError) throw error;
    throw new RedisUnavailableError(operation, error);
  }
}

/** Pings with a deadline; used by readiness. */
export async function pingRedis(redis: Redis, timeoutMs = 2000): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await withRedis('ping', () =>
      Promise.race([
        redis.ping(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
        }),
      ]),
    );
  } finally {
    clearTimeout(timer);
  }
}

/** Quits gracefully when connected, otherwise just drops the socket (never hangs on a dead server). */
export async function closeRedis(redis: Redis): Promise<void> {
  if (redis.status === 'end') return;
  if (redis.status === 'ready') {
    try {
      await redis.quit();
      return;
    } catch {
      // fall through to a hard disconnect
    }
  }
  redis.disconnect();
}

/** Deletes every key matching `pattern` (SCAN, never KEYS); for test cleanup and namespace resets. */
export async function deleteKeysMatching(redis: Redis, pattern: string): Promise<number> {
  let cursor = '0';
  let deleted = 0;
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) deleted += await redis.unlink(...keys);
  } while (cursor !== '0');
  return deleted;
}
