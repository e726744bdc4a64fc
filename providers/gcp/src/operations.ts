import type { protos } from '@google-cloud/compute';
import { cloudCallWith, type CloudCall } from '@stratus/provider-kit';
import type { GceAccountClients } from './accounts/gce-clients.js';
import { lastSegment } from './plain.js';

/** A compute/v1 operation: the SDK's own interface (the fields read here: name, status, zone, region, operationType, error). */
export type ComputeOperation = protos.google.cloud.compute.v1.IOperation;

/** A long-running operation that finished with an error: the message is the cloud's. */
export class GceOperationError extends Error {
  constructor(
    message: string,
    readonly operation: ComputeOperation,
  ) {
    super(message);
    this.name = 'GceOperationError';
  }
}

/**
 * The message of an API error. google-auth-library's fetch puts the raw JSON body in `message`;
 * this returns its `error.message` (e.g. "The resource '…' was not found") when it parses.
 */
export function gceErrorMessage(error: unknown): string {
  const raw = error instanceof Error ? error.message : String(error);
  try {
    const body = JSON.parse(raw) as { error?: { message?: string } };
    if (body.error?.message) return body.error.message;
  } catch {
    // not JSON: the message as is
  }
  return raw;
}

/** The HTTP status of an API error (404, 409 …), if it has one. */
export function gceErrorStatus(error: unknown): number | undefined {
  const e = error as { httpStatusCode?: unknown; code?: unknown; status?: unknown; response?: { status?: unknown } };
  // google-gax 6 (compute 7) maps the HTTP status onto a gRPC `code` (404 -> 5) and keeps the received
  // HTTP status in `httpStatusCode`, so that one is read first.
  for (const candidate of [e?.httpStatusCode, e?.code, e?.status, e?.response?.status]) if (typeof candidate === 'number') return candidate;
  return undefined;
}

/** Runs an API call, turning an API error into an `Error` carrying the cloud's message. */
export const gceCall: CloudCall = cloudCallWith(gceErrorMessage);

/** The first element of an SDK mutation result (`[LROperation, …]`): its `latestResponse` is the compute Operation. */
function operationOf(started: unknown): ComputeOperation {
  const first = Array.isArray(started) ? started[0] : started;
  const op = ((first as { latestResponse?: unknown })?.latestResponse ?? first) as ComputeOperation | undefined;
  if (!op || typeof op.name !== 'string') throw new Error('the compute API did not return an operation');
  return op;
}

export interface AwaitOptions {
  readonly signal?: AbortSignal;
  /** Give up after this long (ms). Default 10 minutes. */
  readonly deadlineMs?: number;
}

/**
 * Waits until a long-running compute operation is DONE (`@google-cloud/compute` 6.x has no
 * `.promise()`): polls the zone, region or global `operations.wait` for the operation's
 * `latestResponse.name`. An `error` in the finished operation is data, not an exception, so it is
 * thrown here as a {@link GceOperationError} with the cloud's message.
 */
export async function awaitOperation(clients: GceAccountClients, started: unknown, options: AwaitOptions = {}): Promise<ComputeOperation> {
  let op = operationOf(started);
  const deadline = Date.now() + (options.deadlineMs ?? 600_000);
  const project = clients.project;
  while (op.status !== 'DONE') {
    options.signal?.throwIfAborted();
    if (Date.now() > deadline) throw new Error(`Timed out waiting for operation ${op.name} (${op.operationType ?? 'unknown'}) to finish`);
    const before = op.status;
    const operation = op.name!;
    let polled: unknown;
    try {
      if (op.zone) polled = (await clients.zoneOperations.wait({ project, zone: lastSegment(op.zone), operation }, clients.callOptions))[0];
      else if (op.region) polled = (await clients.regionOperations.wait({ project, region: lastSegment(op.region), operation }, clients.callOptions))[0];
      else polled = (await clients.globalOperations.wait({ project, operation }, clients.callOptions))[0];
    } catch (error) {
      throw new Error(`Waiting for operation ${operation} failed: ${gceErrorMessage(error)}`, { cause: error });
    }
    op = polled as ComputeOperation;
    // `wait` returns after at most two minutes even when the operation is still running.
    if (op.status !== 'DONE' && op.status === before) await new Promise((r) => setTimeout(r, 1000));
  }
  const errors = op.error?.errors ?? [];
  if (errors.length > 0) {
    const message = errors.map((e) => e.message ?? e.code ?? 'unknown error').join('; ');
    throw new GceOperationError(message, op);
  }
  return op;
}
