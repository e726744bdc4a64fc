/** Thrown when a cache type name cannot be stored (it contains `:`, the key separator). */
export class InvalidCacheTypeError extends Error {
  constructor(readonly typeName: string) {
    super(`Invalid cache type name '${typeName}': type names must be non-empty and must not contain ':'`);
    this.name = 'InvalidCacheTypeError';
  }
}

export function assertValidType(type: string): void {
  if (type.length === 0 || type.includes(':')) throw new InvalidCacheTypeError(type);
}
