import type { ValidationErrors } from '@stratus/plugin-api';
import { describe, expect, it } from 'vitest';
import { objectFieldOf, type ObjectFieldRules } from './object-field.js';

function read(value: unknown, required: boolean): { object: unknown; rejected: string[] } {
  const rejected: string[] = [];
  const errors: ValidationErrors = { reject: (field, code, message) => void rejected.push(`${field}:${code}:${message}`), hasErrors: false };
  const rules: ObjectFieldRules = {
    required,
    empty: ['targetSize', 'targetSize or capacity is required'],
    invalid: ['capacity', 'capacity must be an object'],
  };
  return { object: objectFieldOf(errors, value, rules), rejected };
}

describe('objectFieldOf', () => {
  it('answers the object to check further', () => {
    expect(read({ min: 1 }, true)).toEqual({ object: { min: 1 }, rejected: [] });
  });

  it('rejects a missing value only when required, with the empty field and message', () => {
    expect(read(undefined, true)).toEqual({ object: undefined, rejected: ['targetSize:empty:targetSize or capacity is required'] });
    expect(read(null, true).rejected).toEqual(['targetSize:empty:targetSize or capacity is required']);
    expect(read(undefined, false)).toEqual({ object: undefined, rejected: [] });
  });

  it('rejects a value that is not an object, required or not', () => {
    expect(read(3, false)).toEqual({ object: undefined, rejected: ['capacity:invalid:capacity must be an object'] });
    expect(read('x', true).rejected).toEqual(['capacity:invalid:capacity must be an object']);
  });
});
