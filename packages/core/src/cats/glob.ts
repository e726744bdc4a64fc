/**
 * Converts a CATS glob (`*` any run, `?` one character, `[...]` a class, `[!...]` a negated class)
 * to an anchored regular expression. Every other character is literal.
 */
export function globToRegExp(glob: string): RegExp {
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i]!;
    if (ch === '*') source += '.*';
    else if (ch === '?') source += '.';
    else if (ch === '[') {
      const close = glob.indexOf(']', i + 2);
      if (close === -1) {
        source += '\\[';
        continue;
      }
      let body = glob.slice(i + 1, close);
      if (body.startsWith('!')) body = '^' + body.slice(1);
      source += '[' + body.replace(/\\/g, '\\\\') + ']';
      i = close;
    } else source += ch.replace(/[.+^${}()|\\\]]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, 's');
}

/** True when the glob has no wildcard at all (a plain id). */
export function isLiteralGlob(glob: string): boolean {
  return !/[*?[]/.test(glob);
}

/**
 * The longest run of literal characters in a glob (outside `*`, `?` and `[...]`): every id the glob
 * matches contains it, so a `String.includes` test can reject most ids before the regular expression runs.
 */
export function longestGlobLiteral(glob: string): string {
  let best = '';
  let run = '';
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i]!;
    const close = ch === '[' ? glob.indexOf(']', i + 2) : -1;
    if (ch === '*' || ch === '?' || close !== -1) {
      if (run.length > best.length) best = run;
      run = '';
      if (close !== -1) i = close;
    } else run += ch;
  }
  return run.length > best.length ? run : best;
}
