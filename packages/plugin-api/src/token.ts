/**
 * A typed dependency-injection token.
 *
 * Tokens are `Symbol.for('stratus:<id>')`, so two copies of a package loaded side by side still
 * agree on them. The phantom `__type` field carries the type of the value the token resolves to.
 */
export type Token<T> = symbol & { readonly __type?: T };

/** Creates (or finds) the token with this id. */
export function createToken<T>(id: string): Token<T> {
  return Symbol.for(`stratus:${id}`) as Token<T>;
}

/** The value type a token resolves to. */
export type TokenType<K> = K extends Token<infer T> ? T : never;
