import type { OperationContext } from '@stratus/plugin-api';
import { describe, expect, it } from 'vitest';
import type { DeployDescription } from './clone-operation.js';
import { createServerGroupDefinition } from './create-server-group-definition.js';

const accounts = { get: (name: string) => (name === 'prod' ? { name: 'prod' } : undefined) };
const context = {
  task: { id: 't1', updateStatus: async () => {}, addOutput: async () => {} },
  signal: new AbortController().signal,
  account: () => undefined,
} as OperationContext;

describe('createServerGroupDefinition', () => {
  const deployed: string[] = [];
  const create = async (d: DeployDescription, account: { name: string }) => (
    deployed.push(`${String(d.application)} in ${account.name}`),
    `${String(d.application)}-v000`
  );

  it('is createServerGroup over the fields as sent, deployed in the account the description names', async () => {
    const def = createServerGroupDefinition({ accounts, validate: () => {}, create });
    expect(def.name).toBe('createServerGroup');
    const d = def.converter.convertDescription({ account: 'prod', application: 'app', stack: 'main' });
    expect(d).toEqual({ account: 'prod', application: 'app', stack: 'main', credentials: 'prod' });
    await expect(def.converter.convertOperation(d).operate([], context)).resolves.toBe('app-v000');
    expect(deployed).toEqual(['app in prod']);
    expect(def.converter.convertOperation(d).resumable).toBeUndefined();
  });

  it('authorizes the account and the application, when it names one', () => {
    const def = createServerGroupDefinition({ accounts, validate: () => {}, create });
    expect(def.accountsOf!({ credentials: 'prod', application: 'app' })).toEqual(['prod']);
    expect(def.applicationsOf!({ credentials: 'prod', application: 'app' })).toEqual(['app']);
    expect(def.applicationsOf!({ credentials: 'prod', application: 7 })).toEqual([]);
  });

  it("reads the description with the cloud's renames and keeps the cloud's resumability", () => {
    const def = createServerGroupDefinition({
      accounts,
      convert: (input) => ({ ...input, userData: input.base64UserData }),
      validate: () => {},
      create,
      resumable: true,
    });
    expect(def.converter.convertDescription({ credentials: 'prod', base64UserData: 'eA==' })).toMatchObject({ userData: 'eA==', credentials: 'prod' });
    expect(def.converter.convertOperation({ credentials: 'prod' }).resumable).toBe(true);
  });
});
