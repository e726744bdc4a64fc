import { redactErrorMessage } from '../security/redact-error-message.js';
import { silentLogger, type AccountCredentials, type Agent, type Logger } from '@stratus/plugin-api';
import type { RegisteredAccountType } from '../providers/provider-host.js';
import type { AccountDefinition } from './account-definition.js';
import type { AccountLookup } from '../security/account-lookup.js';

/** What the registry needs from the provider host. */
export interface AccountAgentHost {
  accountType(cloudProvider: string): RegisteredAccountType | undefined;
  scheduleAgents(owner: string, agents: readonly Agent[]): string[];
  unscheduleAgents(owner: string): string[];
}

/** An account that could not be (re)loaded; the others are unaffected. */
export interface AccountProblem {
  readonly name: string;
  readonly cloudProvider: string;
  readonly origin: AccountDefinition['origin'];
  readonly error: string;
}

export interface AccountSyncReport {
  readonly added: string[];
  readonly updated: string[];
  readonly removed: string[];
  readonly unchanged: string[];
  readonly problems: AccountProblem[];
}

interface Entry {
  readonly credentials: AccountCredentials;
  readonly definition: AccountDefinition;
  readonly fingerprint: string;
  readonly accountType: RegisteredAccountType;
}

export interface AccountRegistryOptions {
  readonly logger?: Logger;
  /** How long an account's `dispose` may take before it is abandoned (default 10 s). */
  readonly disposeTimeoutMs?: number;
}

// One counter for every registry: two registries (tests, a rebuilt server) never share a version.
let versions = 0;
const nextVersion = (): number => ++versions;

/** The owner id under which an account's agents are scheduled. */
export const accountOwner = (name: string): string => `account:${name}`;

/**
 * The configured accounts of every provider (Clouddriver's credentials repository plus its
 * lifecycle handler). `sync` diffs the wanted definitions against what is loaded: new accounts are
 * parsed and their agents scheduled, changed ones are re-parsed, their old agents unscheduled and
 * the old credentials disposed, removed ones are unscheduled and disposed. A definition that does
 * not parse is reported and skipped — an account already loaded under that name keeps running — so
 * one bad or unreachable account never blocks the others.
 */
export class AccountRegistry implements AccountLookup {
  private readonly entries = new Map<string, Entry>();
  private currentProblems: AccountProblem[] = [];
  private queue: Promise<unknown> = Promise.resolve();
  private readonly logger: Logger;
  private readonly disposeTimeoutMs: number;
  private changes = nextVersion();

  constructor(
    private readonly host: AccountAgentHost,
    options: AccountRegistryOptions = {},
  ) {
    this.logger = options.logger ?? silentLogger;
    this.disposeTimeoutMs = options.disposeTimeoutMs ?? 10_000;
  }

  get(name: string): AccountCredentials | undefined {
    return this.entries.get(name)?.credentials;
  }

  /**
   * Moves whenever an account is added, replaced or removed, so a view built from the accounts can be
   * reused while it is unchanged: the serialised `/credentials` list, and every cached application
   * view (which accounts exist decides what each caller may read).
   */
  get version(): number {
    return this.changes;
  }

  all(): AccountCredentials[] {
    return [...this.entries.values()].map((entry) => entry.credentials);
  }

  /** The definition an account was loaded from (for its origin and cloud provider). */
  definitionOf(name: string): AccountDefinition | undefined {
    return this.entries.get(name)?.definition;
  }

  /** Problems found by the last sync. */
  problems(): readonly AccountProblem[] {
    return this.currentProblems;
  }

  /**
   * Parses a definition without loading it, so an API can reject bad input before storing it.
   * Throws an Error naming the problem.
   */
  validate(definition: AccountDefinition): AccountCredentials {
    if (!definition.name) throw new Error('name: an account needs a non-empty name');
    const accountType = this.host.accountType(definition.cloudProvider);
    if (!accountType) throw new Error(`type: no loaded provider has account type "${definition.cloudProvider}"`);
    return accountType.definition.parse({ ...definition.raw }, { ...definition.defaults }, { origin: definition.origin });
  }

  /** Makes the loaded accounts match `definitions` (earlier definitions win on duplicate names). Calls run one at a time. */
  sync(definitions: readonly AccountDefinition[]): Promise<AccountSyncReport> {
    const run = this.queue.then(() => this.doSync(definitions));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Removes every account (shutdown). */
  async clear(): Promise<void> {
    await this.sync([]);
  }

  private async doSync(definitions: readonly AccountDefinition[]): Promise<AccountSyncReport> {
    const report: AccountSyncReport = { added: [], updated: [], removed: [], unchanged: [], problems: [] };
    const wanted = new Map<string, AccountDefinition>();
    const problem = (definition: AccountDefinition, error: string) => {
      report.problems.push({ name: definition.name, cloudProvider: definition.cloudProvider, origin: definition.origin, error });
      this.logger.error({ account: definition.name, cloudProvider: definition.cloudProvider, origin: definition.origin }, `account not loaded: ${error}`);
    };

    for (const definition of definitions) {
      if (!definition.name) {
        problem(definition, 'name: an account needs a non-empty name');
        continue;
      }
      const first = wanted.get(definition.name);
      if (first) {
        problem(definition, `name: "${definition.name}" is already defined by ${first.origin} (${first.cloudProvider}); the first definition wins`);
        continue;
      }
      wanted.set(definition.name, definition);
    }

    // Accounts whose definition failed keep their previous version; so they are not removed below.
    const kept = new Set<string>();
    for (const definition of wanted.values()) {
      const existing = this.entries.get(definition.name);
      const fingerprint = fingerprintOf(definition);
      if (existing && existing.fingerprint === fingerprint) {
        report.unchanged.push(definition.name);
        continue;
      }
      const loaded = this.load(definition, fingerprint);
      if (typeof loaded === 'string') {
        problem(definition, loaded);
        if (existing) kept.add(definition.name);
        continue;
      }
      if (existing) {
        await this.unload(existing);
        report.updated.push(definition.name);
      } else {
        report.added.push(definition.name);
      }
      this.entries.set(definition.name, loaded.entry);
      this.changes = nextVersion();
      const scheduled = this.host.scheduleAgents(accountOwner(definition.name), loaded.agents);
      this.logger.info(
        { account: definition.name, cloudProvider: definition.cloudProvider, origin: definition.origin, agents: scheduled.length },
        existing ? 'account updated' : 'account added',
      );
    }

    for (const [name, entry] of [...this.entries]) {
      if (wanted.has(name) || kept.has(name)) continue;
      this.entries.delete(name);
      this.changes = nextVersion();
      await this.unload(entry);
      report.removed.push(name);
      this.logger.info({ account: name, cloudProvider: entry.definition.cloudProvider }, 'account removed');
    }
    this.currentProblems = report.problems;
    return report;
  }

  /** Parses a definition and builds its agents; a string is the reason it failed. */
  private load(definition: AccountDefinition, fingerprint: string): { entry: Entry; agents: Agent[] } | string {
    const accountType = this.host.accountType(definition.cloudProvider);
    if (!accountType) return `type: no loaded provider has account type "${definition.cloudProvider}"`;
    let credentials: AccountCredentials;
    try {
      credentials = accountType.definition.parse({ ...definition.raw }, { ...definition.defaults }, { origin: definition.origin });
    } catch (error) {
      return `invalid definition: ${messageOf(error)}`;
    }
    if (credentials.name !== definition.name) return `name: the provider parsed the account as "${credentials.name}"`;
    let agents: Agent[];
    try {
      agents = accountType.definition.agents(credentials);
    } catch (error) {
      void this.dispose(accountType, credentials);
      return `building its agents failed: ${messageOf(error)}`;
    }
    return { entry: { credentials, definition, fingerprint, accountType }, agents };
  }

  private async unload(entry: Entry): Promise<void> {
    this.host.unscheduleAgents(accountOwner(entry.definition.name));
    await this.dispose(entry.accountType, entry.credentials);
  }

  private async dispose(accountType: RegisteredAccountType, credentials: AccountCredentials): Promise<void> {
    if (!accountType.definition.dispose) return;
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        Promise.resolve().then(() => accountType.definition.dispose!(credentials)),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error(`dispose took longer than ${this.disposeTimeoutMs} ms`)), this.disposeTimeoutMs);
          timer.unref?.();
        }),
      ]);
    } catch (error) {
      this.logger.warn({ account: credentials.name, err: messageOf(error) }, 'disposing account failed');
    } finally {
      clearTimeout(timer);
    }
  }
}

/** Shown by readiness details and the credentials API: never the file text or remote body an error may carry. */
function messageOf(error: unknown): string {
  return redactErrorMessage(error);
}

/** A stable JSON of what decides the parsed account (key order does not matter). */
function fingerprintOf(definition: AccountDefinition): string {
  return stableStringify({ cloudProvider: definition.cloudProvider, raw: definition.raw, defaults: definition.defaults });
}

function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.keys(value as Record<string, unknown>)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${stableStringify((value as Record<string, unknown>)[key])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
