/**
 * Turns a CATS glob into a Redis `MATCH` pattern that matches a SUPERSET of what the glob matches;
 * callers filter the candidates with the exact `globToRegExp` afterwards.
 *
 * Why not a 1:1 translation: Redis matches bytes, our globs match characters. A `?` or a negated
 * class would match one byte of a multi-byte UTF-8 character in Redis and miss ids that the glob
 * matches, so those become `*`. Literal characters (multi-byte ones included) and positive ASCII
 * classes translate exactly. Redis treats `*`, `?`, `[`, `]` and `\` specially, so literal ones are
 * backslash-escaped; everything else (`.`, `+`, `(`, `%`, `_`, …) is already literal in Redis.
 */
export function globToRedisMatch(glob: string): string {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i]!;
    if (ch === '*') out += '*';
    else if (ch === '?') out += '*';
    else if (ch === '[') {
      const close = glob.indexOf(']', i + 2);
      if (close === -1) {
        out += '\\[';
        continue;
      }
      const body = glob.slice(i + 1, close);
      const negated = body.startsWith('!') || body.startsWith('^');
      // A positive class of printable ASCII is exact in Redis; anything else widens to `*`.
      if (!negated && /^[\x20-\x7e]+$/.test(body)) out += '[' + body.replace(/\\/g, '\\\\') + ']';
      else out += '*';
      i = close;
    } else if (ch === ']' || ch === '\\') out += '\\' + ch;
    else out += ch;
  }
  return out.replace(/\*{2,}/g, '*');
}
