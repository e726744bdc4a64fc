import type { ValidationErrors } from '@stratus/plugin-api';

/** One rejected field of one operation in a request. */
export interface FieldError {
  /** The operation name as sent. */
  readonly operation: string;
  /** Position of the operation in the request. */
  readonly index: number;
  readonly field: string;
  readonly code: string;
  readonly message: string;
}

/**
 * Collects the field errors of one operation's description ({@link ValidationErrors} for validators).
 * Each error is rendered `field: message` (the code when no message is given), the strings of the
 * 400 body's `errors` list.
 */
export class DescriptionValidationErrors implements ValidationErrors {
  private readonly collected: FieldError[] = [];

  constructor(
    private readonly operation: string,
    private readonly index: number,
  ) {}

  reject(field: string, code: string, message?: string): void {
    this.collected.push({ operation: this.operation, index: this.index, field, code, message: message ?? code });
  }

  get hasErrors(): boolean {
    return this.collected.length > 0;
  }

  get errors(): readonly FieldError[] {
    return this.collected;
  }
}

export const describeFieldError = (error: FieldError): string => `${error.field}: ${error.message}`;
