import type { ValidationErrors } from '@stratus/plugin-api';
import { describe, expect, it } from 'vitest';
import { validateDeployNames, type DeployNameRules } from './validate-deploy-names.js';

// Rules of an imaginary cloud: letters only for the application, letters for the stack, letters and dots for the detail.
const rules: DeployNameRules = {
  application: /^[a-z]+$/,
  applicationSays: 'must be letters',
  stack: /^[a-z]*$/,
  stackSays: 'letters',
  detail: /^[a-z.]*$/,
  detailSays: 'letters and dots',
};

function check(d: object, required: boolean, r: DeployNameRules = rules): string[] {
  const rejected: string[] = [];
  const errors: ValidationErrors = { reject: (field, code, message) => void rejected.push(`${field}:${code}:${message}`), hasErrors: false };
  validateDeployNames(errors, d, r, required);
  return rejected;
}

describe('validateDeployNames', () => {
  it('accepts good name parts', () => {
    expect(check({ application: 'app', stack: 'main', freeFormDetails: 'blue.one' }, true)).toEqual([]);
  });

  it('requires the application only when told, and checks it whenever present', () => {
    expect(check({}, true)).toEqual(['application:empty:application is required']);
    expect(check({}, false)).toEqual([]);
    expect(check({ application: '' }, false)).toEqual(['application:empty:application is required']);
    expect(check({ application: 'App' }, false)).toEqual(['application:invalid:application must be letters']);
  });

  it("rejects a stack or detail outside the cloud's characters, naming the field", () => {
    expect(check({ application: 'app', stack: 'a-b', freeFormDetails: 'x_y' }, true)).toEqual([
      'stack:invalid:stack may only contain letters',
      'freeFormDetails:invalid:freeFormDetails may only contain letters and dots',
    ]);
    expect(check({ application: 'app', stack: 7 }, true)).toEqual(['stack:invalid:stack may only contain letters']);
  });

  it("reads the detail from each of the cloud's detail fields", () => {
    const both = { ...rules, detailFields: ['detail', 'freeFormDetails'] };
    expect(check({ application: 'app', detail: 'a b', freeFormDetails: 'ok.' }, true, both)).toEqual([
      'detail:invalid:detail may only contain letters and dots',
    ]);
    expect(check({ application: 'app', detail: 'a b' }, true)).toEqual([]);
  });
});
