import { cloudCallWith, type CloudCall } from '@stratus/provider-kit';

/**
 * The cloud's message of an SDK error: a `RestError` carries ARM's `error.message` as its message,
 * and a failed long-running operation throws an `Error` with the operation's `error.message`.
 */
export function azureErrorMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  // core-lro words a failed operation "The long-running operation has failed. <code>. <message>".
  const lro = /^The long-running operation has failed\.\s*(?:([A-Za-z][\w.]*)\.\s+)?([\s\S]*)$/.exec(message);
  if (lro) return lro[1] ? `${lro[2]} (${lro[1]})` : lro[2]!;
  return message;
}

/** The HTTP status of an SDK error (404, 409 …), if it has one. */
export function azureErrorStatus(error: unknown): number | undefined {
  const e = error as { statusCode?: unknown; response?: { status?: unknown } };
  for (const candidate of [e?.statusCode, e?.response?.status]) if (typeof candidate === 'number') return candidate;
  return undefined;
}

/** Runs an SDK call (or a long-running operation to its end), turning a failure into an `Error` with the cloud's message. */
export const azureCall: CloudCall = cloudCallWith(azureErrorMessage);

/** Resolves to `undefined` for a 404, rethrows anything else. */
export async function orNotFound<T>(call: Promise<T>): Promise<T | undefined> {
  try {
    return await call;
  } catch (error) {
    if (azureErrorStatus(error) === 404) return undefined;
    throw error;
  }
}
