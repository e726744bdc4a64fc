/**
 * The database could not be reached (refused, reset, timed out, shut down). Carries `status: 503`
 * so an HTTP error handler can answer "Service Unavailable" instead of a 500; the cause is kept.
 */
export class SqlUnavailableError extends Error {
  readonly status = 503;
  readonly code = 'SQL_UNAVAILABLE';

  constructor(
    readonly operation: string,
    options: { cause: unknown },
  ) {
    super(`SQL database unavailable during ${operation}: ${describe(options.cause)}`, options);
    this.name = 'SqlUnavailableError';
  }
}

function describe(cause: unknown): string {
  if (cause instanceof AggregateError && cause.errors.length > 0) return describe(cause.errors[0]);
  if (cause instanceof Error) return cause.message || (cause as { code?: string }).code || cause.name;
  return String(cause);
}

const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'ER_CON_COUNT_ERROR',
  'POOL_CLOSED',
  // PostgreSQL SQLSTATE class 08 (connection exception) and 57P0x (operator intervention)
  '08000',
  '08003',
  '08006',
  '08001',
  '08004',
  '57P01',
  '57P02',
  '57P03',
]);

const CONNECTION_MESSAGES = [
  /connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /connect(ion)? timed? ?out/i,
  /cannot use a pool after calling end/i,
  /client has encountered a connection error/i,
  /can't add new command when connection is in closed state/i,
  /pool is closed/i,
  /connection lost/i,
  /socket hang up/i,
];

/** Whether an error means "the database is unreachable" rather than "this statement is wrong". */
export function isConnectionError(error: unknown): boolean {
  if (error instanceof SqlUnavailableError) return true;
  if (error instanceof AggregateError) return error.errors.some(isConnectionError);
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && CONNECTION_CODES.has(code)) return true;
  if ((error as { fatal?: unknown }).fatal === true) return true; // mysql2 marks connection-level errors fatal
  if (CONNECTION_MESSAGES.some((pattern) => pattern.test(error.message))) return true;
  return error.cause !== undefined && error.cause !== error && isConnectionError(error.cause);
}
