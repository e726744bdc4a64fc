import { CachingAgentExecution, CatsProviderCache, MemoryCacheStore } from '@stratus/core';
import {
  isCachingAgent,
  silentLogger,
  SPI_VERSION,
  type AccountCredentials,
  type AccountTypeDefinition,
  type Agent,
  type CachingAgent,
  type KeyParser,
  type OperationContext,
  type OperationDefinition,
  type ProviderContext,
  type ProviderRoute,
  type ReadModelKind,
  type ReadModels,
  type ValidationErrors,
} from '@stratus/plugin-api';
import { createAwsProvider, type AwsProviderHandle } from '../aws-provider.js';
import type { AwsAccount } from '../accounts/aws-account.js';
import { MOTO_CREDENTIALS } from './moto.js';

/** The AWS provider registered into an in-memory context, as the server would host it. */
export interface Harness {
  readonly cache: CatsProviderCache;
  readonly handle: AwsProviderHandle;
  readonly accountType: AccountTypeDefinition<AwsAccount>;
  readonly agents: Map<string, Agent[]>;
  readonly housekeeping: Agent[];
  readonly operations: Map<string, OperationDefinition>;
  readonly readModels: Partial<ReadModels>;
  readonly keyParser?: KeyParser;
  addAccount(raw: Record<string, unknown>): AwsAccount;
  /**
   * Runs every caching agent of the account (or all accounts) once, as the scheduler would; by
   * default all but the instance-type agent (moto takes ~20 s to list its instance type catalogue:
   * tests that want it pass a filter naming it).
   */
  runAgents(accountName?: string, filter?: (agent: CachingAgent) => boolean): Promise<void>;
  runAgent(agent: CachingAgent): Promise<void>;
  /** Converts, validates and runs one operation; returns the result and task history. */
  runOperation(name: string, input: Record<string, unknown>): Promise<OperationRun>;
}

export interface OperationRun {
  readonly errors: { field: string; code: string; message?: string }[];
  readonly result?: unknown;
  readonly history: { phase: string; status: string }[];
}

export async function createHarness(config: Record<string, unknown>): Promise<Harness> {
  let cache = new CatsProviderCache(new MemoryCacheStore('aws'));
  let fullEviction = false;
  const agents = new Map<string, Agent[]>();
  const housekeeping: Agent[] = [];
  const operations = new Map<string, OperationDefinition>();
  const readModels: Partial<Record<ReadModelKind, unknown>> = {};
  let accountType: AccountTypeDefinition<AwsAccount> | undefined;
  let keyParser: KeyParser | undefined;
  let handle: AwsProviderHandle | undefined;
  const accounts = new Map<string, AccountCredentials>();
  const routes: ProviderRoute[] = [];
  const ctx: ProviderContext = {
    spiVersion: SPI_VERSION,
    logger: silentLogger,
    config,
    get cache() {
      return cache;
    },
    providerCache: (_name, options) => {
      fullEviction = options?.supportsFullEviction ?? false;
      return (cache = new CatsProviderCache(new MemoryCacheStore('aws'), options));
    },
    registerAccountType: (d) => (accountType = d as unknown as AccountTypeDefinition<AwsAccount>),
    registerAgents: (list) => housekeeping.push(...list),
    registerOperation: (_cp, d) => operations.set(d.name, d),
    registerReadModel: (_cp, kind, model) => (readModels[kind] = model),
    registerKeyParser: (p) => (keyParser = p),
    registerRoutes: (list) => routes.push(...list),
    registerHealthDetails: () => {},
    registerArtifactAccountType: () => {},
  };
  await createAwsProvider({ clients: { credentials: MOTO_CREDENTIALS, maxAttempts: 2 } }, (h) => (handle = h)).register(ctx);

  const runAgent = async (agent: CachingAgent) => {
    await new CachingAgentExecution(agent, cache, fullEviction).execute({ signal: new AbortController().signal, guardedWrite: (write) => write() });
  };
  const harness: Harness = {
    get cache() {
      return cache;
    },
    handle: handle!,
    accountType: accountType!,
    agents,
    housekeeping,
    operations,
    readModels: readModels as Partial<ReadModels>,
    ...(keyParser ? { keyParser } : {}),
    addAccount(raw) {
      const account = accountType!.parse(raw, config);
      agents.set(account.name, accountType!.agents(account));
      accounts.set(account.name, account);
      return account;
    },
    async runAgents(accountName, filter = (agent) => !agent.agentType.endsWith('/AmazonInstanceTypeCachingAgent')) {
      const names = accountName ? [accountName] : [...agents.keys()];
      for (const name of names) for (const agent of agents.get(name) ?? []) if (isCachingAgent(agent) && filter(agent)) await runAgent(agent);
    },
    runAgent,
    async runOperation(name, input) {
      const definition = operations.get(name);
      if (!definition) throw new Error(`no operation ${name}`);
      const found: OperationRun['errors'] = [];
      const errors: ValidationErrors = {
        reject: (field, code, message) => found.push({ field, code, ...(message ? { message } : {}) }),
        get hasErrors() {
          return found.length > 0;
        },
      };
      const description = definition.converter.convertDescription(input);
      await definition.validator?.validate(description, errors, []);
      const history: OperationRun['history'] = [];
      if (found.length > 0) return { errors: found, history };
      const context: OperationContext = {
        task: { id: 'task-1', updateStatus: async (phase, status) => void history.push({ phase, status }), addOutput: async () => {} },
        signal: new AbortController().signal,
        account: (n) => accounts.get(n),
      };
      const result = await definition.converter.convertOperation(description).operate([], context);
      return { errors: found, result, history };
    },
  };
  return harness;
}
