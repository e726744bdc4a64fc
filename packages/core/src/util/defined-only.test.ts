import { describe, expect, it } from 'vitest';
import { definedOnly } from './defined-only.js';

interface Options {
  readonly name: string;
  readonly limit?: number;
  readonly label?: string | null;
}

describe('definedOnly', () => {
  it('drops undefined fields and keeps every other falsy value', () => {
    const limit: number | undefined = undefined;
    const result = definedOnly({ name: '', limit, label: null, zero: 0, no: false });
    expect(Object.keys(result).sort()).toEqual(['label', 'name', 'no', 'zero']);
    expect(result).toStrictEqual({ name: '', label: null, zero: 0, no: false });
  });

  it('keeps defined optional fields and fits a type whose optional fields exclude undefined', () => {
    const read = (raw: Record<string, unknown>) => (typeof raw.limit === 'number' ? raw.limit : undefined);
    const options: Options = definedOnly({ name: 'a', limit: read({ limit: 3 }) });
    expect(options).toStrictEqual({ name: 'a', limit: 3 });
    expect('limit' in definedOnly({ name: 'a', limit: read({}) })).toBe(false);
  });
});
