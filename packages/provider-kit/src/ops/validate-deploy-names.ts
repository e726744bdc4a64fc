import type { ValidationErrors } from '@stratus/plugin-api';

/** What a cloud allows in the parts of a server group name (`<application>-<stack>-<detail>-vNNN`). */
export interface DeployNameRules {
  readonly application: RegExp;
  /** Ends the message "application …" when the application does not match, e.g. `may only contain letters and digits`. */
  readonly applicationSays: string;
  readonly stack: RegExp;
  /** Ends the message "stack may only contain …". */
  readonly stackSays: string;
  readonly detail: RegExp;
  /** Ends the message "`<field>` may only contain …". */
  readonly detailSays: string;
  /** The fields the detail may arrive in; `freeFormDetails` unless said. */
  readonly detailFields?: readonly string[];
}

/**
 * Checks a deploy description's name parts: `application` (required when `applicationRequired`,
 * else only when present), `stack` and the detail, each against the cloud's rules.
 */
export function validateDeployNames(errors: ValidationErrors, description: object, rules: DeployNameRules, applicationRequired: boolean): void {
  const d = description as Readonly<Record<string, unknown>>;
  if (applicationRequired || d.application !== undefined) {
    if (typeof d.application !== 'string' || d.application === '') errors.reject('application', 'empty', 'application is required');
    else if (!rules.application.test(d.application)) errors.reject('application', 'invalid', `application ${rules.applicationSays}`);
  }
  if (d.stack !== undefined && (typeof d.stack !== 'string' || !rules.stack.test(d.stack)))
    errors.reject('stack', 'invalid', `stack may only contain ${rules.stackSays}`);
  for (const field of rules.detailFields ?? ['freeFormDetails']) {
    const value = d[field];
    if (value !== undefined && (typeof value !== 'string' || !rules.detail.test(value)))
      errors.reject(field, 'invalid', `${field} may only contain ${rules.detailSays}`);
  }
}
