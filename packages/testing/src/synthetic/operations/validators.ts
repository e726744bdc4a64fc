import type { DescriptionValidator, ValidationErrors } from '@stratus/plugin-api';
import type { SyntheticRuntime } from '../synthetic-runtime.js';
import type { CreateServerGroupDescription, ResizeServerGroupDescription, ServerGroupDescription, TerminateInstancesDescription } from './descriptions.js';

const APP = /^[a-zA-Z0-9]+$/;
const NAME_PART = /^[a-zA-Z0-9_.^~]+$/;
const DETAIL = /^[a-zA-Z0-9_.^~-]+$/;
const SERVER_GROUP = /^[a-zA-Z0-9]+(-[a-zA-Z0-9_.^~]*)*$/;

/** Checks `account` and `region` against the configured accounts. */
function checkAccountAndRegion(runtime: SyntheticRuntime, account: string, regions: readonly string[], errors: ValidationErrors, regionField: string): void {
  if (account === '') {
    errors.reject('credentials', 'empty', 'credentials (the account name) is required');
    return;
  }
  const known = runtime.account(account);
  if (!known) {
    errors.reject('credentials', 'invalid', `unknown synthetic account ${account}`);
    return;
  }
  if (regions.length === 0) {
    errors.reject(regionField, 'empty', `${regionField} is required`);
    return;
  }
  for (const region of regions) {
    if (!known.regions.has(region)) errors.reject(regionField, 'invalid', `region ${region} is not configured for account ${account}`);
  }
}

function checkCapacity(capacity: Partial<{ min: number; max: number; desired: number }>, errors: ValidationErrors, required: boolean): void {
  const fields = ['min', 'max', 'desired'] as const;
  if (required && fields.every((field) => capacity[field] === undefined)) {
    errors.reject('capacity', 'empty', 'capacity {min, max, desired} is required');
    return;
  }
  const valid: Partial<Record<(typeof fields)[number], number>> = {};
  for (const field of fields) {
    const value = capacity[field];
    if (value === undefined) {
      if (required) errors.reject(`capacity.${field}`, 'empty', `capacity.${field} is required`);
    } else if (!Number.isInteger(value) || value < 0 || value > 1000) {
      errors.reject(`capacity.${field}`, 'invalid', `capacity.${field} must be an integer between 0 and 1000`);
    } else valid[field] = value;
  }
  // Order checks only between fields that are themselves valid, so each error names its own field.
  const { min, max, desired } = valid;
  if (min !== undefined && max !== undefined && min > max) errors.reject('capacity.min', 'invalid', 'capacity.min must not exceed capacity.max');
  if (desired !== undefined && min !== undefined && desired < min)
    errors.reject('capacity.desired', 'invalid', 'capacity.desired must be at least capacity.min');
  if (desired !== undefined && max !== undefined && desired > max)
    errors.reject('capacity.desired', 'invalid', 'capacity.desired must not exceed capacity.max');
}

export function createServerGroupValidator(runtime: SyntheticRuntime): DescriptionValidator<CreateServerGroupDescription> {
  return {
    validate(description, errors) {
      checkAccountAndRegion(runtime, description.account, description.regions, errors, 'region');
      if (description.application === '') errors.reject('application', 'empty', 'application is required');
      else if (!APP.test(description.application)) errors.reject('application', 'invalid', 'application may only contain letters and digits');
      if (description.stack !== undefined && !NAME_PART.test(description.stack)) {
        errors.reject('stack', 'invalid', "stack may only contain letters, digits and '_', '.', '^', '~'");
      }
      if (description.freeFormDetails !== undefined && !DETAIL.test(description.freeFormDetails)) {
        errors.reject('freeFormDetails', 'invalid', "freeFormDetails may only contain letters, digits and '-', '_', '.', '^', '~'");
      }
      checkCapacity(description.capacity, errors, true);
      description.loadBalancers.forEach((lb, i) => {
        if (lb.trim() === '') errors.reject(`loadBalancers[${i}]`, 'empty', 'load balancer names must not be empty');
      });
    },
  };
}

export function serverGroupValidator(runtime: SyntheticRuntime): DescriptionValidator<ServerGroupDescription> {
  return {
    validate(description, errors) {
      checkAccountAndRegion(runtime, description.account, description.region ? [description.region] : [], errors, 'region');
      if (description.serverGroupName === '') errors.reject('serverGroupName', 'empty', 'serverGroupName is required');
      else if (!SERVER_GROUP.test(description.serverGroupName)) {
        errors.reject('serverGroupName', 'invalid', `${description.serverGroupName} is not a valid server group name`);
      }
    },
  };
}

export function resizeServerGroupValidator(runtime: SyntheticRuntime): DescriptionValidator<ResizeServerGroupDescription> {
  const base = serverGroupValidator(runtime);
  return {
    async validate(description, errors, prior) {
      await base.validate(description, errors, prior);
      checkCapacity(description.capacity, errors, true);
    },
  };
}

export function terminateInstancesValidator(runtime: SyntheticRuntime): DescriptionValidator<TerminateInstancesDescription> {
  return {
    validate(description, errors) {
      checkAccountAndRegion(runtime, description.account, description.region ? [description.region] : [], errors, 'region');
      if (description.instanceIds.length === 0) errors.reject('instanceIds', 'empty', 'instanceIds must list at least one instance');
      description.instanceIds.forEach((id, i) => {
        if (!/^i-[0-9a-f]+$/.test(id)) errors.reject(`instanceIds[${i}]`, 'invalid', `${id} is not an instance id`);
      });
    },
  };
}
