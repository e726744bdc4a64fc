import { createToken } from '@stratus/plugin-api';
import type { KeyParserRegistry } from './key-parser-registry.js';

/**
 * DI tokens of the generic read API. The provider host registers {@link KEY_PARSER_REGISTRY}
 * (filled from `registerKeyParser`); the read services are resolved by the read routes.
 */
export const KEY_PARSER_REGISTRY = createToken<KeyParserRegistry>('core.read.key-parser-registry');
