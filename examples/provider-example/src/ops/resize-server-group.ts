import type { OperationDefinition } from '@stratus/plugin-api';
import type { NimbusAccount } from '../nimbus-account.js';
import { NimbusClient } from '../nimbus-client.js';
import { serverGroupDescription, validateServerGroupDescription, type ServerGroupDescription } from './server-group-description.js';

export interface ResizeServerGroupDescription extends ServerGroupDescription {
  readonly capacity: { readonly min: number; readonly max: number; readonly desired: number };
}

const PHASE = 'RESIZE';

function capacityOf(input: Record<string, unknown>): ResizeServerGroupDescription['capacity'] {
  const raw = (typeof input.capacity === 'object' && input.capacity !== null ? input.capacity : {}) as Record<string, unknown>;
  // NaN marks a missing or non-numeric field, which the validator names.
  const number = (value: unknown) => (typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN);
  return { min: number(raw.min), max: number(raw.max), desired: number(raw.desired) };
}

/** `resizeServerGroup`: sets a group's min, max and desired size. */
export function resizeServerGroupOperation(accountNamed: (name: string) => NimbusAccount | undefined): OperationDefinition<ResizeServerGroupDescription> {
  return {
    name: 'resizeServerGroup',
    converter: {
      convertDescription: (input) => ({ ...serverGroupDescription(input), capacity: capacityOf(input) }),
      convertOperation: (description) => ({
        async operate(_prior, context) {
          const account = context.account(description.account) as NimbusAccount | undefined;
          if (!account) throw new Error(`no Nimbus account named ${description.account}`);
          const { serverGroupName, region, capacity } = description;
          await context.task.updateStatus(PHASE, `Resizing ${serverGroupName} in ${region} to ${JSON.stringify(capacity)}`);
          const group = await new NimbusClient(account.endpoint, account.token).resizeGroup(region, serverGroupName, capacity, context.signal);
          await context.task.updateStatus(PHASE, `Resized ${serverGroupName}: desired ${group.desired}`);
          return { serverGroupNames: [`${region}:${serverGroupName}`] };
        },
      }),
    },
    validator: {
      validate(description, errors) {
        validateServerGroupDescription(description, errors, accountNamed);
        const { min, max, desired } = description.capacity;
        for (const [field, value] of Object.entries({ min, max, desired })) {
          if (!Number.isInteger(value) || value < 0) errors.reject(`capacity.${field}`, 'invalid', `capacity.${field} must be a non-negative integer`);
        }
        if (Number.isInteger(min) && Number.isInteger(max) && Number.isInteger(desired) && !(min <= desired && desired <= max)) {
          errors.reject('capacity', 'invalid', 'capacity must satisfy min <= desired <= max');
        }
      },
    },
    accountsOf: (description) => [description.account],
    applicationsOf: (description) => [description.serverGroupName.split('-')[0]!],
  };
}
