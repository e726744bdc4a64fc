/**
 * An on-demand lock's token: the owner and acquisition time of its lock row, which together
 * identify one run (the owner id may contain anything but NUL).
 */
export function lockToken(ownerId: string, acquiredAt: number): string {
  return `${ownerId}\u0000${acquiredAt}`;
}

/** The owner and acquisition time a {@link lockToken} carries. */
export function parseLockToken(token: string): [string, number] {
  const cut = token.lastIndexOf('\u0000');
  return [token.slice(0, cut), Number(token.slice(cut + 1))];
}
