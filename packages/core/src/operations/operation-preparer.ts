import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { monikerOf, type AtomicOperation, type OperationDefinition } from '@stratus/plugin-api';
import type { AccountLookup } from '../security/account-lookup.js';
import { canAccessApplication, type CallerAccess } from '../security/caller-access.js';
import { DescriptionValidationErrors, type FieldError } from './description-validation-errors.js';
import {
  ApplicationAccessDeniedError,
  OperationAccessDeniedError,
  OperationValidationError,
  TooManyOperationsError,
  UnknownOperationError,
} from './operation-errors.js';
import { accountOfInput, readOperationsPayload } from './operation-payload.js';
import type { OperationRegistry } from './operation-registry.js';
import type { OperationLimits } from './tokens.js';

/** What preparation reads of a `POST …/ops` request (or of one re-run under an existing task). */
export interface PrepareRequest {
  readonly cloudProvider?: string;
  readonly operationName?: string;
  readonly body: unknown;
  readonly access: CallerAccess;
  /** Restart/resume: the operations may only touch these accounts (the task's own). */
  readonly withinAccounts?: readonly string[];
}

/** An operation ready to run, with what it touches (the task's scope). */
export interface PreparedOperation {
  readonly name: string;
  readonly cloudProvider: string;
  readonly operation: AtomicOperation;
  readonly accounts: readonly string[];
  readonly applications: readonly string[];
}

/** A requested operation with the definition that runs it (undefined only when the request is then rejected). */
interface ResolvedOperation {
  readonly name: string;
  readonly input: Record<string, unknown>;
  readonly index: number;
  readonly cloudProvider: string;
  readonly definition: OperationDefinition | undefined;
}

/** A converted and validated description. */
interface ConvertedOperation {
  readonly name: string;
  readonly cloudProvider: string;
  readonly definition: OperationDefinition;
  readonly description: unknown;
  readonly accounts: string[];
  readonly applications: string[];
}

const errorMessage = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Everything that can fail before a task exists, in Clouddriver's order: find each operation's
 * definition, convert and validate every description (all field errors reported at once), check the
 * caller may write every account and application touched, then build the atomic operations.
 */
export class OperationPreparer {
  constructor(
    private readonly registry: OperationRegistry,
    private readonly accounts: AccountLookup,
    private readonly limits: OperationLimits,
  ) {}

  async prepare(request: PrepareRequest): Promise<PreparedOperation[]> {
    const requested = readOperationsPayload(request.body, request.operationName);
    if (requested.length > this.limits.maxOperationsPerRequest) throw new TooManyOperationsError(requested.length, this.limits.maxOperationsPerRequest);
    const converted = await this.convertAll(this.resolve(request, requested));
    authorize(request, converted);
    return converted.map(build);
  }

  private resolve(request: PrepareRequest, requested: readonly { name: string; input: Record<string, unknown> }[]): ResolvedOperation[] {
    const unknown: string[] = [];
    const resolved = requested.map(({ name, input }, index) => {
      const fromInput = typeof input.cloudProvider === 'string' && input.cloudProvider ? input.cloudProvider : undefined;
      const cloudProvider = request.cloudProvider ?? fromInput;
      if (cloudProvider) {
        const definition = this.registry.find(cloudProvider, name);
        if (!definition) {
          // A cloud provider with no operations at all is one this server does not run (`aws.enabled: false`).
          const enabled = this.registry.cloudProviders().includes(cloudProvider);
          unknown.push(
            enabled
              ? `${name}: no operation named ${name} for cloud provider ${cloudProvider}`
              : `${name}: cloud provider ${cloudProvider} is not enabled on this server`,
          );
        }
        return { name, input, index, cloudProvider, definition };
      }
      const matches = this.registry.findAnywhere(name);
      if (matches.length === 0) unknown.push(`${name}: no operation named ${name}`);
      if (matches.length > 1) {
        unknown.push(
          `${name}: ambiguous, offered by ${matches
            .map((m) => m.cloudProvider)
            .sort()
            .join(', ')}; set cloudProvider in the description`,
        );
      }
      const match = matches.length === 1 ? matches[0] : undefined;
      return { name, input, index, cloudProvider: match?.cloudProvider ?? '', definition: match?.definition };
    });
    if (unknown.length > 0) throw new UnknownOperationError(unknown);
    return resolved;
  }

  private async convertAll(resolved: readonly ResolvedOperation[]): Promise<ConvertedOperation[]> {
    const fieldErrors: FieldError[] = [];
    const priorDescriptions: unknown[] = [];
    const converted: ConvertedOperation[] = [];
    for (const { name, input, index, cloudProvider, definition } of resolved) {
      // Validation of a long request must not hold the event loop: other requests run in between.
      if (index > 0 && index % 50 === 0) await yieldToEventLoop();
      const errors = new DescriptionValidationErrors(name, index);
      let description: unknown;
      try {
        description = definition!.converter.convertDescription(input);
      } catch (error) {
        rejectConversionError(errors, name, error);
        fieldErrors.push(...errors.errors);
        continue;
      }
      const accounts = accountsOf(definition!, description, input);
      for (const account of accounts) {
        if (!this.accounts.get(account)) errors.reject(accountField(input, account), 'unknown', `account '${account}' is not configured`);
      }
      try {
        await definition!.validator?.validate(description, errors, priorDescriptions);
      } catch (error) {
        rejectConversionError(errors, name, error);
      }
      fieldErrors.push(...errors.errors);
      priorDescriptions.push(description);
      converted.push({ name, cloudProvider, definition: definition!, description, accounts, applications: applicationsOf(definition!, description, input) });
    }
    if (fieldErrors.length > 0) throw new OperationValidationError(fieldErrors);
    return converted;
  }
}

/** The caller must be able to write every account and application the operations touch. */
function authorize(request: PrepareRequest, converted: readonly ConvertedOperation[]): void {
  const touched = [...new Set(converted.flatMap((op) => op.accounts))];
  const denied = touched.filter((account) => !request.access.canWriteAccount(account));
  if (denied.length > 0) throw new OperationAccessDeniedError(denied, request.access.user);
  // Re-running operations under an existing task: they may not reach beyond the task's own accounts.
  const outside = request.withinAccounts ? touched.filter((account) => !request.withinAccounts!.includes(account)) : [];
  if (outside.length > 0) throw new OperationAccessDeniedError(outside, request.access.user, 'the task does not touch them');
  const deniedApplications = [...new Set(converted.flatMap((op) => op.applications))].filter(
    (application) => !canAccessApplication(request.access, application, 'WRITE'),
  );
  if (deniedApplications.length > 0) throw new ApplicationAccessDeniedError(deniedApplications, request.access.user);
}

function build({ name, cloudProvider, definition, description, accounts, applications }: ConvertedOperation, index: number): PreparedOperation {
  let operation: AtomicOperation | undefined;
  try {
    operation = definition.converter.convertOperation(description);
  } catch (error) {
    throw new OperationValidationError([{ operation: name, index, field: name, code: 'invalid', message: errorMessage(error) }]);
  }
  if (!operation || typeof operation.operate !== 'function') {
    throw new OperationValidationError([{ operation: name, index, field: name, code: 'invalid', message: `no operation could be built for ${name}` }]);
  }
  return { name, cloudProvider, operation, accounts, applications };
}

/**
 * The applications a description touches: the definition's `applicationsOf`, else the raw input's
 * `application`, `moniker.app`, or the application part of its `serverGroupName`/`clusterName`/`cluster`.
 */
function applicationsOf(definition: OperationDefinition, description: unknown, input: Record<string, unknown>): string[] {
  const fromDefinition = definition.applicationsOf?.(description);
  if (fromDefinition) return [...new Set(fromDefinition.filter((app) => typeof app === 'string' && app.length > 0))];
  const found = new Set<string>();
  if (typeof input.application === 'string' && input.application) found.add(input.application);
  const moniker = input.moniker as { app?: unknown } | undefined;
  if (moniker && typeof moniker.app === 'string' && moniker.app) found.add(moniker.app);
  for (const field of ['serverGroupName', 'clusterName', 'cluster']) {
    const value = input[field];
    if (typeof value === 'string' && value) {
      const app = monikerOf(value).app;
      if (app) found.add(app);
    }
  }
  return [...found];
}

function accountsOf(definition: OperationDefinition, description: unknown, input: Record<string, unknown>): string[] {
  const fromDefinition = definition.accountsOf?.(description);
  if (fromDefinition) return [...new Set(fromDefinition.filter((account) => typeof account === 'string' && account.length > 0))];
  const account = accountOfInput(input);
  return account ? [account] : [];
}

/** The raw field that named an account, for error messages. */
function accountField(input: Record<string, unknown>, account: string): string {
  for (const field of ['credentials', 'accountName', 'account']) if (input[field] === account) return field;
  return 'credentials';
}

/**
 * Records what a converter or validator threw: each issue of a schema error (zod's `issues`, with
 * `path` and `message`) as its own field error, else one error on the error's `field` or the
 * operation name.
 */
function rejectConversionError(errors: DescriptionValidationErrors, operation: string, error: unknown): void {
  const issues = typeof error === 'object' && error !== null ? (error as { issues?: unknown }).issues : undefined;
  if (Array.isArray(issues) && issues.length > 0) {
    for (const issue of issues as { path?: unknown; message?: unknown; code?: unknown }[]) {
      const path = Array.isArray(issue?.path) ? issue.path.map(String).join('.') : '';
      errors.reject(path || operation, typeof issue?.code === 'string' ? issue.code : 'invalid', String(issue?.message ?? 'invalid'));
    }
    return;
  }
  errors.reject(fieldOf(error) ?? operation, 'invalid', errorMessage(error));
}

/** A converter may throw an error carrying the offending `field`. */
function fieldOf(error: unknown): string | undefined {
  const field = typeof error === 'object' && error !== null ? (error as { field?: unknown }).field : undefined;
  return typeof field === 'string' && field ? field : undefined;
}
