/** Runs one SDK call (or a long-running operation to its end) in the name of `what`. */
export type CloudCall = <T>(what: string, call: () => Promise<T>) => Promise<T>;

/**
 * A cloud's {@link CloudCall}: a failure becomes an `Error` "`<what>` failed: `<the cloud's message>`"
 * (the SDK error kept as `cause`), so a task's history says what failed in the cloud's own words.
 */
export function cloudCallWith(messageOf: (error: unknown) => string): CloudCall {
  return async (what, call) => {
    try {
      return await call();
    } catch (error) {
      throw new Error(`${what} failed: ${messageOf(error)}`, { cause: error });
    }
  };
}
