import { createToken } from '@stratus/plugin-api';
import type { KeyParserRegistry } from '../providers/key-parser-registry.js';

/**
 * What the read services need beyond the core tokens: the provider host registers
 * {@link KEY_PARSER_REGISTRY} (filled from `registerKeyParser`). The tokens naming the read
 * services are in `service-tokens.ts`, so a service importing its inputs never imports itself back.
 */
export const KEY_PARSER_REGISTRY = createToken<KeyParserRegistry>('core.read.key-parser-registry');
