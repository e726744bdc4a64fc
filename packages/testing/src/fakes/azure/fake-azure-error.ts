/** An ARM error answer: `{ error: { code, message } }` with an HTTP status. */
export class FakeAzureError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'FakeAzureError';
  }

  get body(): { error: { code: string; message: string } } {
    return { error: { code: this.code, message: this.message } };
  }
}
