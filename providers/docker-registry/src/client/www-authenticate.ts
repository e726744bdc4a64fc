/** One `WWW-Authenticate` challenge: its scheme (`bearer`, `basic`) and parameters. */
export interface AuthChallenge {
  /** Lower-cased scheme. */
  readonly scheme: string;
  /** Parameters by lower-cased name (`realm`, `service`, `scope`, `error`). */
  readonly params: Readonly<Record<string, string>>;
}

/**
 * Parses a `WWW-Authenticate` header (RFC 7235: `Bearer realm="…",service="…",scope="…"`, several
 * challenges possibly in one header). Values may be quoted (with `\` escapes) or bare tokens.
 */
export function parseWwwAuthenticate(header: string): AuthChallenge[] {
  const challenges: { scheme: string; params: Record<string, string> }[] = [];
  let rest = header.trim();
  while (rest.length > 0) {
    const scheme = /^([A-Za-z][A-Za-z0-9!#$%&'*+.^_`|~-]*)\s*/.exec(rest);
    if (!scheme) break;
    rest = rest.slice(scheme[0].length);
    const current = { scheme: scheme[1]!.toLowerCase(), params: {} as Record<string, string> };
    challenges.push(current);
    for (;;) {
      const param = /^([A-Za-z0-9!#$%&'*+.^_`|~-]+)\s*=\s*/.exec(rest);
      if (!param) break;
      rest = rest.slice(param[0].length);
      let value: string;
      if (rest.startsWith('"')) {
        let i = 1;
        value = '';
        while (i < rest.length && rest[i] !== '"') {
          if (rest[i] === '\\' && i + 1 < rest.length) i += 1;
          value += rest[i];
          i += 1;
        }
        rest = rest.slice(i + 1);
      } else {
        const token = /^[^,\s]*/.exec(rest)![0];
        value = token;
        rest = rest.slice(token.length);
      }
      current.params[param[1]!.toLowerCase()] = value;
      rest = rest.replace(/^\s*,\s*/, '');
      // A new challenge starts with a scheme token followed by a space, not by `=`.
      if (/^[A-Za-z][A-Za-z0-9!#$%&'*+.^_`|~-]*\s+[A-Za-z0-9!#$%&'*+.^_`|~-]+\s*=/.test(rest) || /^[A-Za-z][A-Za-z0-9!#$%&'*+.^_`|~-]*\s*$/.test(rest)) break;
    }
    rest = rest.replace(/^\s*,\s*/, '');
  }
  return challenges;
}
