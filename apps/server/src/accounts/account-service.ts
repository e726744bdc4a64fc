import {
  accountDetails,
  accountSummary,
  definitionsFromConfig,
  definitionsFromStorage,
  type AccountDefinitionStore,
  type AccountRegistry,
  type AccountSyncReport,
  type CallerAccess,
  type ProviderHost,
  type StoredAccountDefinition,
  redactErrorMessage,
} from '@stratus/core';
import { createToken, type AccountCredentials } from '@stratus/plugin-api';
import type { StratusConfig } from '../config/config-schema.js';
import { assertRole } from '../http/admin-access.js';
import { checkAccountDefinition } from './account-definition-guard.js';
import { HttpError } from '../http/define-route.js';

export interface AccountServiceOptions {
  readonly registry: AccountRegistry;
  readonly host: ProviderHost;
  readonly store: AccountDefinitionStore;
  /** The current config (it changes on reload). */
  readonly config: () => { readonly config: StratusConfig; readonly raw: Record<string, unknown> };
}

/** `localeCompare`'s order, without building a collator per comparison (it showed in `/credentials` profiles). */
const byName = new Intl.Collator();

/**
 * Accounts for the HTTP API: listing with READ filtering, and the account storage API
 * (`account.storage.enabled`): definitions are validated by their provider before they are stored,
 * then every change re-syncs the registry so agents start and stop at once. Config definitions win
 * over stored ones with the same name, as in Clouddriver.
 */
export class AccountService {
  constructor(private readonly options: AccountServiceOptions) {}

  /** Accounts the caller may READ, by name. */
  list(access: CallerAccess): AccountCredentials[] {
    return this.options.registry
      .all()
      .filter((account) => access.canReadAccount(account.name))
      .sort((a, b) => byName.compare(a.name, b.name));
  }

  /** The account, or undefined when it does not exist or the caller may not READ it. */
  find(name: string, access: CallerAccess): AccountCredentials | undefined {
    const account = this.options.registry.get(name);
    return account && access.canReadAccount(name) ? account : undefined;
  }

  /** Moves whenever an account is added, replaced or removed (see `AccountRegistry.version`). */
  get version(): number {
    return this.options.registry.version;
  }

  summary = accountSummary;
  details = accountDetails;

  /** Loads config and stored definitions into the registry. */
  async sync(): Promise<AccountSyncReport> {
    const { config, raw } = this.options.config();
    const types = this.options.host.allAccountTypes();
    const stored = config.account.storage.enabled ? await this.options.store.list() : [];
    return this.options.registry.sync([...definitionsFromConfig(raw, types), ...definitionsFromStorage(stored, raw, types)]);
  }

  async create(definition: StoredAccountDefinition, access: CallerAccess): Promise<AccountCredentials> {
    this.assertManager(access);
    this.assertStorageEnabled();
    if (this.options.registry.get(definition.name) || (await this.options.store.get(definition.name))) {
      throw new HttpError(409, `Account ${definition.name} already exists`, { errors: [`name: account ${definition.name} already exists`] });
    }
    this.validate(definition);
    await this.options.store.save(definition);
    return this.afterChange(definition.name, () => this.options.store.delete(definition.name).then(() => undefined));
  }

  async update(definition: StoredAccountDefinition, access: CallerAccess): Promise<AccountCredentials> {
    this.assertManager(access, definition.name);
    this.assertStorageEnabled();
    const previous = await this.assertStored(definition.name);
    this.validate(definition);
    await this.options.store.save(definition);
    return this.afterChange(definition.name, () => this.options.store.save(previous));
  }

  async delete(name: string, access: CallerAccess): Promise<void> {
    this.assertManager(access, name);
    this.assertStorageEnabled();
    await this.assertStored(name);
    await this.options.store.delete(name);
    await this.sync();
  }

  /** Re-syncs after a store change; when the account then fails to load, undoes the change. */
  private async afterChange(name: string, undo: () => Promise<void>): Promise<AccountCredentials> {
    const report = await this.sync();
    const problem = report.problems.find((p) => p.name === name);
    const account = this.options.registry.get(name);
    if (account && !problem) return account;
    await undo();
    await this.sync();
    const reason = problem?.error === undefined ? 'unknown reason' : redactErrorMessage(problem.error);
    throw new HttpError(400, `Account ${name} did not load, so the change was undone: ${reason}`, { errors: [reason] });
  }

  private validate(definition: StoredAccountDefinition): void {
    const { raw, config } = this.options.config();
    // Before the provider sees it: a provider that reads a file or dials an endpoint while
    // validating must never do so for a path or host the operator did not allow.
    const refused = checkAccountDefinition(definition, config.account.storage);
    if (refused.length > 0) throw new HttpError(400, `Invalid account definition: ${refused.join('; ')}`, { errors: refused });
    const [parsed] = definitionsFromStorage([definition], raw, this.options.host.allAccountTypes());
    try {
      this.options.registry.validate(parsed!);
    } catch (error) {
      const message = redactErrorMessage(error);
      throw new HttpError(400, `Invalid account definition: ${message}`, { errors: [message] });
    }
  }

  private async assertStored(name: string): Promise<StoredAccountDefinition> {
    const stored = await this.options.store.get(name);
    if (stored) return stored;
    if (this.options.registry.get(name)) {
      throw new HttpError(400, `Account ${name} is defined in the config file; change it there`);
    }
    throw new HttpError(404, `Account ${name} not found`);
  }

  private assertStorageEnabled(): void {
    if (!this.options.config().config.account.storage.enabled) {
      throw new HttpError(404, 'Account storage is disabled; set account.storage.enabled: true to manage accounts over the API');
    }
  }

  /**
   * Only account managers (a role in `security.accountManagerRoles`, or an admin) may change
   * accounts, and an existing account only with WRITE on it. With no manager role configured the
   * API is closed to everyone but admins: a 403 names the key to set.
   */
  private assertManager(access: CallerAccess, existing?: string): void {
    if (!access.accountManager) {
      assertRole(access, this.options.config().config.security.accountManagerRoles, 'managing accounts', 'security.accountManagerRoles');
    }
    if (existing && this.options.registry.get(existing) && !access.canWriteAccount(existing)) {
      throw new HttpError(403, `Access denied: ${access.user ?? 'anonymous'} may not WRITE account ${existing}`);
    }
  }
}

export const ACCOUNT_SERVICE = createToken<AccountService>('server.account-service');
