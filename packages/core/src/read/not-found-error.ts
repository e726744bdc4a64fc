/**
 * A read found nothing the caller may see. Routes answer it with 404 and its message; a resource of
 * an account the caller cannot READ raises the same error as a missing one, so nothing leaks.
 */
export class NotFoundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotFoundError';
  }
}
