import type { OperationContext, ValidationErrors } from '@stratus/plugin-api';
import { describe, expect, it } from 'vitest';
import { accountOperation, type AccountDescription } from './account-operation.js';

interface DeleteThing extends AccountDescription {
  readonly thing: string;
}

const accounts = { get: (name: string) => (name === 'prod' ? { name: 'prod', id: 7 } : undefined) };
const context = {
  task: { id: 't1', updateStatus: async () => {}, addOutput: async () => {} },
  signal: new AbortController().signal,
  account: () => undefined,
} as OperationContext;

function definition(resumable?: boolean) {
  const seen: string[] = [];
  const def = accountOperation<DeleteThing, { name: string; id: number }, string>({
    name: 'deleteThing',
    accounts,
    convert: (input) => ({ thing: String(input.thing) }),
    validate: (d, errors) => {
      if (!accounts.get(d.credentials ?? '')) errors.reject('credentials', 'invalid');
    },
    operate: async (d, account, _context, prior) => (seen.push(`${d.thing} in ${account.name}#${account.id} after ${prior.length}`), 'deleted'),
    applicationsOf: (d) => [d.thing.split('-')[0]!],
    ...(resumable === undefined ? {} : { resumable }),
  });
  return { def, seen };
}

describe('accountOperation', () => {
  it("reads the account from credentials, accountName or account next to the operation's own fields", () => {
    const { def } = definition();
    expect(def.converter.convertDescription({ credentials: 'prod', thing: 'app-a' })).toEqual({ credentials: 'prod', thing: 'app-a' });
    expect(def.converter.convertDescription({ accountName: 'prod', thing: 'app-a' }).credentials).toBe('prod');
    expect(def.converter.convertDescription({ account: 'prod', thing: 'app-a' }).credentials).toBe('prod');
    expect(def.converter.convertDescription({ thing: 'app-a' }).credentials).toBeUndefined();
  });

  it('operates in the configured account the description names and answers what the work returns', async () => {
    const { def, seen } = definition();
    const result = await def.converter.convertOperation({ credentials: 'prod', thing: 'app-a' }).operate([1, 2], context);
    expect(result).toBe('deleted');
    expect(seen).toEqual(['app-a in prod#7 after 2']);
  });

  it("runs the cloud's checks and authorizes the account and the cloud's applications", () => {
    const { def } = definition();
    const rejected: string[] = [];
    const errors: ValidationErrors = { reject: (field) => void rejected.push(field), hasErrors: false };
    void def.validator!.validate({ credentials: 'test', thing: 'app-a' }, errors, []);
    expect(rejected).toEqual(['credentials']);
    expect(def.accountsOf!({ credentials: 'prod', thing: 'app-a' })).toEqual(['prod']);
    expect(def.accountsOf!({ thing: 'app-a' })).toEqual([]);
    expect(def.applicationsOf!({ thing: 'app-a' })).toEqual(['app']);
  });

  it('marks the operation resumable only when the cloud says so', () => {
    expect(definition(true).def.converter.convertOperation({ credentials: 'prod', thing: 'x' }).resumable).toBe(true);
    expect(definition().def.converter.convertOperation({ credentials: 'prod', thing: 'x' }).resumable).toBeUndefined();
  });
});
