import { InvalidOperationPayloadError } from './operation-errors.js';

/** One requested operation: its name as sent and its raw description. */
export interface RequestedOperation {
  readonly name: string;
  readonly input: Record<string, unknown>;
}

const isPlainObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Reads an operations payload (docs/architecture.md, "Operation payloads"):
 * - `POST /{cloudProvider}/ops` and `POST /ops`: a list of single-key maps `[{ <opName>: description }]`
 *   (a single such map is accepted too);
 * - `POST /{cloudProvider}/ops/{name}` and `POST /ops/{name}`: one description map, named by the path.
 * Anything else is an {@link InvalidOperationPayloadError} naming each offending element.
 */
export function readOperationsPayload(body: unknown, name?: string): RequestedOperation[] {
  if (name !== undefined) {
    if (!isPlainObject(body)) throw new InvalidOperationPayloadError([`body: the description of ${name} must be a JSON object`]);
    return [{ name, input: body }];
  }
  const list = Array.isArray(body) ? body : isPlainObject(body) ? [body] : undefined;
  if (!list) throw new InvalidOperationPayloadError(['body: expected a list of { "<operationName>": { …description } } objects']);
  if (list.length === 0) throw new InvalidOperationPayloadError(['body: the list of operations is empty']);
  const errors: string[] = [];
  const operations: RequestedOperation[] = [];
  list.forEach((element, index) => {
    if (!isPlainObject(element)) {
      errors.push(`body[${index}]: expected an object { "<operationName>": { …description } }`);
      return;
    }
    const keys = Object.keys(element);
    if (keys.length !== 1) {
      errors.push(`body[${index}]: expected exactly one key, the operation name, found ${keys.length === 0 ? 'none' : keys.join(', ')}`);
      return;
    }
    const opName = keys[0]!;
    const input = element[opName];
    if (!isPlainObject(input)) {
      errors.push(`body[${index}].${opName}: the description must be a JSON object`);
      return;
    }
    operations.push({ name: opName, input });
  });
  if (errors.length > 0) throw new InvalidOperationPayloadError(errors);
  return operations;
}

/** The account a raw description names: `credentials`, `accountName` or `account` (Clouddriver's `computeAccountName`). */
export function accountOfInput(input: Record<string, unknown>): string | undefined {
  for (const field of ['credentials', 'accountName', 'account']) {
    const value = input[field];
    if (typeof value === 'string' && value.length > 0) return value;
  }
  return undefined;
}
