import type { RequestHandler } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import { callerAccessOf } from './caller-access-middleware.js';

/** `server.rateLimit`: how many `POST` requests one caller may send per window. */
export interface PostRateLimit {
  readonly windowMs: number;
  readonly max: number;
}

/**
 * Limits `POST` requests per caller: the user the HTTP layer established (so Orca's service user
 * and each Gate user count separately), else the peer address. Over the limit: 429 naming the key,
 * with `RateLimit` and `Retry-After` headers (express-rate-limit).
 */
export function postRateLimit(limit: PostRateLimit): RequestHandler {
  return rateLimit({
    windowMs: limit.windowMs,
    limit: limit.max,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    skip: (req) => req.method !== 'POST',
    keyGenerator: (req) => {
      const user = callerAccessOf(req).user;
      return user ? `user:${user}` : `ip:${ipKeyGenerator(req.socket.remoteAddress ?? 'unknown')}`;
    },
    handler: (_req, res) => {
      res.status(429).json({
        error: 'Too Many Requests',
        message: `Too many POST requests from this caller: at most ${limit.max} per ${Math.round(limit.windowMs / 1000)} s (server.rateLimit)`,
        status: 429,
      });
    },
  });
}
