import { currentCallSignal } from './call-signal.js';

/** The SDK's retry error classes (`RetryErrorInfo.errorType` of `@smithy/types`). */
type RetryErrorType = 'TRANSIENT' | 'THROTTLING' | 'SERVER_ERROR' | 'CLIENT_ERROR';

interface RetryErrorInfo {
  readonly errorType: RetryErrorType;
  readonly retryAfterHint?: Date;
}

interface RetryToken {
  getRetryCount(): number;
  getRetryDelay(): number;
}

export interface AccountRetryOptions {
  /** Attempts per call, the first included (the SDK's `maxAttempts`). */
  readonly maxAttempts: number;
  /** Called once per throttled attempt (a `Throttling`, `RequestLimitExceeded`, … answer). */
  readonly onThrottled?: () => void;
  /** Base delays (ms) of the exponential back-off; the SDK's own defaults when absent. */
  readonly baseDelayMs?: number;
  readonly throttlingBaseDelayMs?: number;
  readonly maxDelayMs?: number;
  /** Randomness in [0, 1) for the jitter (tests pass a fixed one). */
  readonly random?: () => number;
  readonly now?: () => number;
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (ms <= 0) return resolve();
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });

/**
 * The retry strategy every SDK client of one account shares (an SDK `RetryStrategyV2`). A
 * throttled attempt is retried after a "full jitter" exponential delay (random in
 * [0, min(max, base × 2^retry)]), and it also closes the account's gate for that long: new calls of
 * the same account — any region or service — wait for the gate before their first attempt, so the
 * account as a whole slows down while AWS throttles it. Other accounts have their own strategy and
 * never wait. Transient and 5xx errors are retried with the shorter base delay without closing the
 * gate; client errors are not retried. Waiting honours the call's abort signal.
 */
export class AccountRetryStrategy {
  readonly mode = 'standard';
  private gateUntil = 0;
  private throttled = 0;

  constructor(private readonly options: AccountRetryOptions) {}

  /** Throttled attempts seen so far (also reported through `onThrottled`). */
  get throttledCount(): number {
    return this.throttled;
  }

  async acquireInitialRetryToken(_scope: string): Promise<RetryToken> {
    const wait = this.gateUntil - this.now();
    if (wait > 0) await sleep(wait, currentCallSignal());
    return token(0, 0);
  }

  async refreshRetryTokenForRetry(previous: RetryToken, error: RetryErrorInfo): Promise<RetryToken> {
    const retries = previous.getRetryCount() + 1;
    if (error.errorType === 'THROTTLING') {
      this.throttled++;
      this.options.onThrottled?.();
    }
    if (error.errorType === 'CLIENT_ERROR' || retries >= this.options.maxAttempts) throw new Error('no retry left');
    const throttling = error.errorType === 'THROTTLING';
    const base = throttling ? (this.options.throttlingBaseDelayMs ?? 500) : (this.options.baseDelayMs ?? 100);
    const ceiling = Math.min(this.options.maxDelayMs ?? 20_000, base * 2 ** (retries - 1));
    let delay = Math.floor((this.options.random ?? Math.random)() * ceiling);
    const hinted = error.retryAfterHint ? error.retryAfterHint.getTime() - this.now() : 0;
    if (hinted > delay) delay = Math.min(hinted, this.options.maxDelayMs ?? 20_000);
    if (throttling) this.gateUntil = Math.max(this.gateUntil, this.now() + delay);
    return token(retries, delay);
  }

  recordSuccess(_token: RetryToken): void {}

  private now(): number {
    return (this.options.now ?? Date.now)();
  }
}

function token(count: number, delay: number): RetryToken {
  return { getRetryCount: () => count, getRetryDelay: () => delay };
}
