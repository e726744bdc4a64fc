/** An error the fake API server turns into a `Status` response with this HTTP code. */
export class FakeApiError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
  ) {
    super(message);
    this.name = 'FakeApiError';
  }

  /** The `Status` object the real API server sends for this error. */
  toStatus(): Record<string, unknown> {
    return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: this.message, reason: this.reason, code: this.code };
  }
}

export const notFound = (what: string, name: string) => new FakeApiError(404, 'NotFound', `${what} "${name}" not found`);
export const alreadyExists = (what: string, name: string) => new FakeApiError(409, 'AlreadyExists', `${what} "${name}" already exists`);
export const conflict = (what: string, name: string) =>
  new FakeApiError(
    409,
    'Conflict',
    `Operation cannot be fulfilled on ${what} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
  );
export const invalid = (message: string) => new FakeApiError(422, 'Invalid', message);
export const gone = (message: string) => new FakeApiError(410, 'Expired', message);
