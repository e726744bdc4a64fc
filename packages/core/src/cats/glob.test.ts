import { describe, expect, it } from 'vitest';
import { globToRegExp, isLiteralGlob, longestGlobLiteral } from './glob.js';

describe('globToRegExp', () => {
  const matches = (glob: string, value: string) => globToRegExp(glob).test(value);

  it('treats regex metacharacters literally', () => {
    expect(matches('a.b+(c)|d$^', 'a.b+(c)|d$^')).toBe(true);
    expect(matches('a.b', 'axb')).toBe(false);
  });

  it('supports *, ? and classes, including negated classes and ranges', () => {
    expect(matches('aws:*:prod', 'aws:serverGroups:x:prod')).toBe(true);
    expect(matches('v00?', 'v001')).toBe(true);
    expect(matches('v00?', 'v0012')).toBe(false);
    expect(matches('v[0-1]2', 'v12')).toBe(true);
    expect(matches('v[!0-1]2', 'v12')).toBe(false);
    expect(matches('v[!0-1]2', 'v52')).toBe(true);
  });

  it('keeps an unclosed bracket literal', () => {
    expect(matches('a[b', 'a[b')).toBe(true);
  });

  it('is anchored and spans newlines', () => {
    expect(matches('b', 'abc')).toBe(false);
    expect(matches('a*c', 'a\nc')).toBe(true);
  });

  it('knows a literal glob', () => {
    expect(isLiteralGlob('aws:serverGroups:a')).toBe(true);
    expect(isLiteralGlob('aws:*')).toBe(false);
    expect(isLiteralGlob('a[b]')).toBe(false);
  });
});

describe('longestGlobLiteral', () => {
  it('is the longest run outside wildcards and classes, and every match contains it', () => {
    expect(longestGlobLiteral('aws:clusters:*:prod-account:*')).toBe(':prod-account:');
    expect(longestGlobLiteral('a[bc]defg?h*')).toBe('defg');
    expect(longestGlobLiteral('*')).toBe('');
    expect(longestGlobLiteral('ab[')).toBe('ab[');
    for (const [glob, id] of [
      ['x:*:[ab]cd:*', 'x:1:acd:2'],
      ['ab[', 'ab['],
      ['*:y?z', 'q:yaz'],
    ] as const) {
      expect(globToRegExp(glob).test(id)).toBe(true);
      expect(id.includes(longestGlobLiteral(glob))).toBe(true);
    }
  });
});
