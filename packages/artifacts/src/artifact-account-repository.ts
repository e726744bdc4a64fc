import {
  ArtifactError,
  silentLogger,
  type AccountPermissions,
  type ArtifactAccount,
  type ArtifactAccountContext,
  type ArtifactAccountTypeDefinition,
  type Logger,
} from '@stratus/plugin-api';
import { readFileSync } from 'node:fs';
import { guardedFetch } from './guarded-fetch.js';
import { NetworkPolicy } from './network-policy.js';
import type { ArtifactSettings } from './artifact-settings.js';

/** A parsed account with the type that made it. */
export interface RegisteredArtifactAccount {
  readonly account: ArtifactAccount;
  readonly definition: ArtifactAccountTypeDefinition;
  /** Who may see and use it: the account's own `permissions`, else those configured on it. */
  readonly permissions?: AccountPermissions;
  /** Legacy permissions configured on it: roles granted READ and WRITE. */
  readonly requiredGroupMembership?: readonly string[];
}

/** An account that failed to parse (shown in logs; the others still load). */
export interface ArtifactAccountProblem {
  readonly type: string;
  readonly name: string;
  readonly error: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Whether `account` handles `type` (its own `handlesType`, else its `types`). */
export function handlesType(account: ArtifactAccount, type: string): boolean {
  return account.handlesType ? account.handlesType(type) : account.types.includes(type);
}

/**
 * Clouddriver's `ArtifactCredentialsRepository`: the artifact accounts of every registered type,
 * read from `artifacts.<configKey>.accounts[]` when `artifacts.<configKey>.enabled` (plus each
 * type's default accounts), and found by name and artifact type.
 */
export class ArtifactAccountRepository {
  private accounts: RegisteredArtifactAccount[] = [];
  private loadProblems: ArtifactAccountProblem[] = [];
  readonly policy: NetworkPolicy;

  constructor(
    private readonly types: readonly ArtifactAccountTypeDefinition[],
    private readonly settings: ArtifactSettings,
    private readonly logger: Logger = silentLogger,
  ) {
    const keys = new Set<string>();
    for (const type of types) {
      if (keys.has(type.configKey)) throw new Error(`artifact account type artifacts.${type.configKey} is registered twice`);
      keys.add(type.configKey);
    }
    this.policy = new NetworkPolicy(settings.network);
  }

  /** The context every account type parses with: the guarded fetch, the policy check, secret files. */
  context(definition: ArtifactAccountTypeDefinition): ArtifactAccountContext {
    const timeoutMs = this.settings.timeoutSeconds * 1000;
    return {
      logger: this.logger.child({ artifactType: definition.configKey }),
      fetch: (url, init) => guardedFetch(this.policy, url, { ...init, timeoutMs }),
      checkUrl: async (url) => {
        let parsed: URL;
        try {
          parsed = url instanceof URL ? url : new URL(url);
        } catch {
          throw new ArtifactError(400, `malformed URL: ${String(url).slice(0, 200)}`);
        }
        return this.policy.check(parsed);
      },
      readSecretFile: (path) => readFileSync(path, 'utf8').replace(/\n/g, ''),
    };
  }

  /** (Re)reads the accounts from the `artifacts:` block; bad accounts are reported and skipped. */
  async load(block: Record<string, unknown>): Promise<readonly ArtifactAccountProblem[]> {
    const next: RegisteredArtifactAccount[] = [];
    const problems: ArtifactAccountProblem[] = [];
    for (const definition of this.types) {
      const section = isRecord(block[definition.configKey]) ? (block[definition.configKey] as Record<string, unknown>) : {};
      const enabled = section.enabled === true;
      const listed = enabled && Array.isArray(section.accounts) ? section.accounts : [];
      const configured = listed.filter(isRecord);
      const context = this.context(definition);
      for (const raw of [...configured, ...(definition.defaultAccounts?.(configured, enabled) ?? [])]) {
        const name = typeof raw.name === 'string' ? raw.name : '(no name)';
        try {
          const account = definition.parse(raw, context);
          if (next.some((other) => other.account.name === account.name && other.definition.configKey === definition.configKey)) {
            throw new Error(`another artifacts.${definition.configKey} account is named ${account.name}`);
          }
          const permissions = account.permissions ?? (isRecord(raw.permissions) ? (raw.permissions as AccountPermissions) : undefined);
          const groups = Array.isArray(raw.requiredGroupMembership)
            ? raw.requiredGroupMembership.filter((role): role is string => typeof role === 'string')
            : undefined;
          next.push({ account, definition, ...(permissions ? { permissions } : {}), ...(groups ? { requiredGroupMembership: groups } : {}) });
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          problems.push({ type: definition.configKey, name, error: message });
          this.logger.warn({ artifactType: definition.configKey, account: name, err: message }, 'artifact account not loaded');
        }
      }
    }
    const previous = this.accounts;
    this.accounts = next;
    this.loadProblems = problems;
    for (const { account } of previous) await account.dispose?.();
    return problems;
  }

  all(): readonly RegisteredArtifactAccount[] {
    return this.accounts;
  }

  problems(): readonly ArtifactAccountProblem[] {
    return this.loadProblems;
  }

  /**
   * The account named `name` that handles `type`; an {@link ArtifactError} (400 without a name, 404
   * otherwise, as Clouddriver's `MissingCredentialsException`) naming both when there is none.
   */
  find(name: string | undefined, type: string | undefined): RegisteredArtifactAccount {
    if (!name) throw new ArtifactError(400, 'An artifact account must be supplied to download this artifact (artifactAccount is missing)');
    if (!type) throw new ArtifactError(400, `The artifact to fetch with artifact account ${name} has no type`);
    const found = this.accounts.find(({ account }) => account.name === name && handlesType(account, type));
    if (found) return found;
    const named = this.accounts.filter(({ account }) => account.name === name);
    const handles = named.flatMap(({ account }) => account.types);
    throw new ArtifactError(
      404,
      named.length > 0
        ? `Artifact account '${name}' does not handle artifact type '${type}' (it handles ${handles.join(', ')})`
        : `Credentials '${name}' supporting artifact type '${type}' cannot be found`,
    );
  }

  async close(): Promise<void> {
    for (const { account } of this.accounts) await account.dispose?.();
    this.accounts = [];
  }
}
