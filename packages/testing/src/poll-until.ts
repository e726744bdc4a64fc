/** Options of {@link pollUntil}. */
export interface PollOptions {
  /** Pause between reads (default 100 ms). */
  readonly intervalMs?: number;
  /** Extra text for the timeout error, e.g. the last lines a server process printed. */
  readonly context?: () => string;
}

/**
 * Reads `read()` until `accept` takes its value and returns that value; after `timeoutMs` throws an
 * error naming `what`, the last value read and the `context` (for an e2e test, the server's output).
 */
export async function pollUntil<T>(
  what: string,
  read: () => Promise<T>,
  accept: (value: T) => boolean,
  timeoutMs = 20_000,
  options: PollOptions = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  while (Date.now() < deadline) {
    last = await read();
    if (accept(last)) return last;
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 100));
  }
  const context = options.context?.();
  throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(last)?.slice(0, 800)}${context ? `\nserver output:\n${context}` : ''}`);
}
