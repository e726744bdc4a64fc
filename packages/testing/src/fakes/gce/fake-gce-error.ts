/** An error the fake GCE server answers with this HTTP code, in the Google API error shape. */
export class FakeGceError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
  ) {
    super(message);
    this.name = 'FakeGceError';
  }

  /** `{error: {code, message, errors: [{message, domain, reason}]}}`, as compute/v1 sends it. */
  toBody(): Record<string, unknown> {
    return { error: { code: this.code, message: this.message, errors: [{ message: this.message, domain: 'global', reason: this.reason }] } };
  }
}

export const gceNotFound = (path: string) => new FakeGceError(404, 'notFound', `The resource '${path}' was not found`);
export const gceAlreadyExists = (path: string) => new FakeGceError(409, 'alreadyExists', `The resource '${path}' already exists`);
export const gceInvalid = (message: string) => new FakeGceError(400, 'invalid', message);
