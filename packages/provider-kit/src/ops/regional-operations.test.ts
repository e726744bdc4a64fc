import type { OperationContext, OperationDefinition, ValidationErrors } from '@stratus/plugin-api';
import { describe, expect, it } from 'vitest';
import {
  cloneServerGroupDefinition,
  loadBalancerDescriptionOf,
  resizeStepSpec,
  serverGroupDescriptionOf,
  serverGroupStepOperation,
  startClone,
  validateRegionalName,
} from '../index.js';

/** Records rejections as `field:code`. */
class RecordedErrors implements ValidationErrors {
  readonly list: string[] = [];
  reject(field: string, code: string): void {
    this.list.push(`${field}:${code}`);
  }
  get hasErrors(): boolean {
    return this.list.length > 0;
  }
}

interface TestAccount {
  readonly name: string;
  readonly regions: readonly { readonly name: string }[];
}

const prod: TestAccount = { name: 'prod', regions: [{ name: 'east' }] };
const accounts = { get: (name: string) => (name === prod.name ? prod : undefined) };

function recordingContext(): { context: OperationContext; history: string[] } {
  const history: string[] = [];
  const task = { id: 't1', updateStatus: async (phase: string, status: string) => void history.push(`${phase}: ${status}`), addOutput: async () => {} };
  return { context: { task, signal: new AbortController().signal, account: () => undefined }, history };
}

function validate<D>(definition: OperationDefinition<D>, input: Record<string, unknown>): string[] {
  const errors = new RecordedErrors();
  void definition.validator!.validate(definition.converter.convertDescription(input), errors, []);
  return errors.list;
}

describe('serverGroupStepOperation', () => {
  const calls: string[] = [];
  const definition = serverGroupStepOperation(
    {
      cloudLabel: 'Test',
      accounts,
      clients: { forAccount: (account: TestAccount) => `clients of ${account.name}` },
      describe: (input) => ({ ...serverGroupDescriptionOf(input), zone: typeof input.zone === 'string' ? input.zone : undefined }),
      validate: (d, errors) => {
        if (d.zone === 'bad') errors.reject('zone', 'invalid');
      },
      step: async (base) => {
        calls.push(`find ${base.description.serverGroupName} with ${base.clients}`);
        return { ...base, group: `live ${base.description.serverGroupName}` };
      },
      refresh: async (account, d, result) => void calls.push(`refresh ${account.name}/${d.region} after ${String(result)}`),
    },
    {
      name: 'resizeServerGroup',
      phase: 'RESIZE',
      validate: (input, errors) => {
        if (input.targetSize === undefined) errors.reject('targetSize', 'empty');
      },
      act: async (step) => {
        calls.push(`act on ${step.group}`);
        return 'resized';
      },
    },
  );

  it('reads credentials, asgName and the single entry of regions', () => {
    const d = definition.converter.convertDescription({ accountName: 'prod', asgName: 'app-v001', regions: ['east'], targetSize: 2 });
    expect([d.credentials, d.serverGroupName, d.region]).toEqual(['prod', 'app-v001', 'east']);
    expect(definition.applicationsOf!(d)).toEqual(['app']);
    expect(definition.accountsOf!(d)).toEqual(['prod']);
  });

  it('checks account, group, region, then the cloud fields, then the operation fields', () => {
    expect(validate(definition, { credentials: 'prod', serverGroupName: 'app-v001', region: 'east', targetSize: 1 })).toEqual([]);
    expect(validate(definition, { credentials: 'nope', region: 'east', zone: 'bad' })).toEqual([
      'credentials:invalid',
      'serverGroupName:empty',
      'zone:invalid',
      'targetSize:empty',
    ]);
    expect(validate(definition, { credentials: 'prod', serverGroupName: 'app-v001', region: 'west', targetSize: 1 })).toEqual(['region:invalid']);
  });

  it('finds the group live, acts, refreshes with what act returned and reports both ends', async () => {
    const { context, history } = recordingContext();
    const d = definition.converter.convertDescription({ credentials: 'prod', serverGroupName: 'app-v001', region: 'east' });
    await definition.converter.convertOperation(d).operate([], context);
    expect(calls).toEqual(['find app-v001 with clients of prod', 'act on live app-v001', 'refresh prod/east after resized']);
    expect(history).toEqual(['RESIZE: Initializing resizeServerGroup of app-v001 in prod/east', 'RESIZE: Finished resizeServerGroup of app-v001 in east']);
  });
});

describe('cloneServerGroupDefinition and startClone', () => {
  const definition = cloneServerGroupDefinition({
    cloudLabel: 'Test',
    accounts,
    validate: (d, errors) => {
      if (d.application === undefined) errors.reject('application', 'empty');
    },
    clone: async (d, context) => {
      const { source, sourceAccount } = await startClone(accounts, d, context, 'DEPLOY');
      return `${d.credentials} <- ${sourceAccount.name}/${source.region}/${source.serverGroupName}`;
    },
  });

  it('checks the source before the cloud fields', () => {
    expect(validate(definition, { credentials: 'prod' })).toEqual(['source:empty', 'application:empty']);
    expect(validate(definition, { credentials: 'prod', application: 'app', source: { account: 'nope', region: 'east', serverGroupName: 'app-v001' } })).toEqual(
      ['source.account:invalid'],
    );
    expect(validate(definition, { credentials: 'prod', application: 'app', source: { account: 'prod', region: 'east', asgName: 'app-v001' } })).toEqual([]);
  });

  it('authorizes the target and source accounts and applications', () => {
    const d = definition.converter.convertDescription({ account: 'staging', application: 'web', source: { account: 'prod', serverGroupName: 'app-v001' } });
    expect(d.credentials).toBe('staging');
    expect(definition.accountsOf!(d)).toEqual(['staging', 'prod']);
    expect(definition.applicationsOf!(d)).toEqual(['web', 'app']);
  });

  it('starts the clone from the source account with the Copying line', async () => {
    const { context, history } = recordingContext();
    const d = definition.converter.convertDescription({ credentials: 'prod', source: { region: 'east', serverGroupName: 'app-v001' } });
    expect(await definition.converter.convertOperation(d).operate([], context)).toBe('prod <- prod/east/app-v001');
    expect(history).toEqual(['DEPLOY: Copying app-v001 from prod/east']);
  });
});

describe('validateRegionalName', () => {
  const rules = {
    cloudLabel: 'Test',
    accounts,
    validateName: (errors: ValidationErrors, value: unknown, field: string) => {
      if (value === undefined) errors.reject(field, 'empty');
      else if (!/^[a-z]+$/.test(String(value))) errors.reject(field, 'invalid');
    },
  };

  it('checks the account, the name by the cloud rule and the region; returns the account', () => {
    const errors = new RecordedErrors();
    expect(validateRegionalName(errors, rules, { credentials: 'prod', region: 'east' }, 'loadBalancerName', 'web')).toBe(prod);
    expect(errors.list).toEqual([]);
    expect(validateRegionalName(errors, rules, { credentials: 'prod', region: 'west' }, 'loadBalancerName', '')).toBe(prod);
    expect(validateRegionalName(errors, rules, { region: '' }, 'securityGroupName', 'Web')).toBeUndefined();
    expect(errors.list).toEqual(['loadBalancerName:empty', 'region:invalid', 'credentials:empty', 'securityGroupName:invalid', 'region:empty']);
  });
});

describe('resizeStepSpec', () => {
  it('requires a size by the cloud rules and hands act the desired size', async () => {
    const seen: string[] = [];
    const spec = resizeStepSpec(
      {
        validate: (errors, input, required) => {
          if (required && input.targetSize === undefined) errors.reject('targetSize', 'empty');
        },
        desired: (input) => input.targetSize,
      },
      async (step: { description: { input: Record<string, unknown> } }, size) => void seen.push(`to ${size}`),
    );
    expect([spec.name, spec.phase]).toEqual(['resizeServerGroup', 'RESIZE']);
    const errors = new RecordedErrors();
    spec.validate!({}, errors);
    expect(errors.list).toEqual(['targetSize:empty']);
    await spec.act({ description: { input: { targetSize: 3 } } });
    expect(seen).toEqual(['to 3']);
  });
});

describe('loadBalancerDescriptionOf', () => {
  it('reads the account, the name under loadBalancerName or name, and the region by the cloud reading', () => {
    const input = { account: 'prod', name: 'web', regions: ['east'] };
    expect(loadBalancerDescriptionOf(input)).toEqual({ credentials: 'prod', loadBalancerName: 'web', region: 'east', input });
    expect(loadBalancerDescriptionOf({ ...input, loadBalancerName: 'api' }, 'west')).toMatchObject({ loadBalancerName: 'api', region: 'west' });
  });
});
