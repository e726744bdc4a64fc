import type { ValidationErrors } from '@stratus/plugin-api';
import { describe, expect, it } from 'vitest';
import { validateDeployNames, type DeployNameRules } from './validate-deploy-names.js';

const rules: DeployNameRules = {
  application: /^[a-z][a-z0-9]*$/,
  applicationSays: 'must be lower-case letters and digits',
  stack: /^[a-z0-9]*$/,
  stackSays: 'lower-case letters and digits',
  detail: /^[a-z0-9-]*$/,
  detailSays: 'lower-case letters, digits and dashes',
};

function check(d: object, required: boolean, r: DeployNameRules = rules): string[] {
  const rejected: string[] = [];
  const errors: ValidationErrors = { reject: (field, code, message) => void rejected.push(`${field}:${code}:${message}`), hasErrors: false };
  validateDeployNames(errors, d, r, required);
  return rejected;
}

describe('validateDeployNames', () => {
  it('accepts good name parts', () => {
    expect(check({ application: 'app', stack: 'main', freeFormDetails: 'blue-1' }, true)).toEqual([]);
  });

  it('requires the application only when told, and checks it whenever present', () => {
    expect(check({}, true)).toEqual(['application:empty:application is required']);
    expect(check({}, false)).toEqual([]);
    expect(check({ application: '' }, false)).toEqual(['application:empty:application is required']);
    expect(check({ application: 'App' }, false)).toEqual(['application:invalid:application must be lower-case letters and digits']);
  });

  it("rejects a stack or detail outside the cloud's characters, naming the field", () => {
    expect(check({ application: 'app', stack: 'a-b', freeFormDetails: 'x_y' }, true)).toEqual([
      'stack:invalid:stack may only contain lower-case letters and digits',
      'freeFormDetails:invalid:freeFormDetails may only contain lower-case letters, digits and dashes',
    ]);
    expect(check({ application: 'app', stack: 7 }, true)).toEqual(['stack:invalid:stack may only contain lower-case letters and digits']);
  });

  it("reads the detail from each of the cloud's detail fields", () => {
    const both = { ...rules, detailFields: ['detail', 'freeFormDetails'] };
    expect(check({ application: 'app', detail: 'a b', freeFormDetails: 'ok' }, true, both)).toEqual([
      'detail:invalid:detail may only contain lower-case letters, digits and dashes',
    ]);
    expect(check({ application: 'app', detail: 'a b' }, true)).toEqual([]);
  });
});
