import type { RegisteredAccountType } from '../providers/provider-host.js';
import type { AccountDefinition } from './account-definition.js';
import type { StoredAccountDefinition } from './account-definition-store.js';

const NOT_DEFAULTS = new Set(['accounts', 'enabled']);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The provider block minus `accounts`/`enabled`: what every account of the provider inherits. */
export function defaultsOf(block: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(block).filter(([key]) => !NOT_DEFAULTS.has(key)));
}

/**
 * The account definitions in config: `<configKey>.accounts[]` of every registered account type
 * whose block is not `enabled: false`. When one provider registers several account types, an
 * account picks its type with a `type` (or `cloudProvider`) field; otherwise it belongs to the first.
 * Entries without a string `name` are returned with an empty name so the registry reports them.
 */
export function definitionsFromConfig(config: Record<string, unknown>, accountTypes: readonly RegisteredAccountType[]): AccountDefinition[] {
  const definitions: AccountDefinition[] = [];
  const byConfigKey = new Map<string, RegisteredAccountType[]>();
  for (const accountType of accountTypes) {
    const list = byConfigKey.get(accountType.configKey) ?? [];
    list.push(accountType);
    byConfigKey.set(accountType.configKey, list);
  }
  for (const [configKey, types] of byConfigKey) {
    const block = config[configKey];
    if (!isRecord(block) || block.enabled === false) continue;
    const accounts = Array.isArray(block.accounts) ? block.accounts : [];
    const defaults = defaultsOf(block);
    for (const raw of accounts) {
      if (!isRecord(raw)) continue;
      const wanted = typeof raw.type === 'string' ? raw.type : typeof raw.cloudProvider === 'string' ? raw.cloudProvider : undefined;
      const accountType = types.find((type) => type.definition.cloudProvider === wanted) ?? types[0]!;
      definitions.push({
        cloudProvider: accountType.definition.cloudProvider,
        name: typeof raw.name === 'string' ? raw.name : '',
        raw,
        defaults,
        origin: 'config',
      });
    }
  }
  return definitions;
}

/** Stored definitions as account definitions, with the defaults of their provider's config block. */
export function definitionsFromStorage(
  stored: readonly StoredAccountDefinition[],
  config: Record<string, unknown>,
  accountTypes: readonly RegisteredAccountType[],
): AccountDefinition[] {
  return stored.map((definition) => {
    const accountType = accountTypes.find((type) => type.definition.cloudProvider === definition.type);
    const block = accountType ? config[accountType.configKey] : undefined;
    const { type: _type, ...raw } = definition;
    return {
      cloudProvider: definition.type,
      name: definition.name,
      raw,
      defaults: isRecord(block) ? defaultsOf(block) : {},
      origin: 'storage' as const,
    };
  });
}
