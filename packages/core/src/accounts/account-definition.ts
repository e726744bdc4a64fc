/** One raw account definition, before its provider parses it. */
export interface AccountDefinition {
  /** The cloud provider whose account type parses it (`aws`, `kubernetes`, …). */
  readonly cloudProvider: string;
  readonly name: string;
  /** The raw definition: an element of `<configKey>.accounts[]`, or a stored definition. */
  readonly raw: Readonly<Record<string, unknown>>;
  /** The provider's config block without `accounts` and `enabled`: defaults for every account. */
  readonly defaults: Readonly<Record<string, unknown>>;
  /** Where it came from; config definitions win over stored ones with the same name. */
  readonly origin: 'config' | 'storage';
}
