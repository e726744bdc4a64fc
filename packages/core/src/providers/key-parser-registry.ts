import type { KeyParser } from '@stratus/plugin-api';

/**
 * The key parsers providers registered (`ProviderContext.registerKeyParser`), for `/search` and
 * permission filtering. The provider host fills it while providers register; several parsers may
 * serve one cloud provider (e.g. a provider that caches under more than one namespace).
 */
export class KeyParserRegistry {
  private readonly parsers: KeyParser[] = [];

  register(parser: KeyParser): void {
    this.parsers.push(parser);
  }

  /** Every registered parser, in registration order. */
  all(): readonly KeyParser[] {
    return [...this.parsers];
  }

  /** The parsers of one cloud provider. */
  forCloudProvider(cloudProvider: string): KeyParser[] {
    return this.parsers.filter((parser) => parser.cloudProvider === cloudProvider);
  }
}
