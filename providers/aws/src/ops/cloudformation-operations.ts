import {
  CreateChangeSetCommand,
  CreateStackCommand,
  DeleteChangeSetCommand,
  DeleteStackCommand,
  DescribeStacksCommand,
  ExecuteChangeSetCommand,
  UpdateStackCommand,
  type Capability,
} from '@aws-sdk/client-cloudformation';
import type { OperationDefinition, ValidationErrors } from '@stratus/plugin-api';
import type { AwsRegionClients } from '../accounts/aws-clients.js';
import type { AwsOperationDeps } from './aws-operation-deps.js';
import { Keys, Types } from '../keys.js';
import { regionalOperation, requireString } from './regional-operation.js';

const STACK_NAME = /^[A-Za-z][A-Za-z0-9-]{0,127}$/;
const stringMap = (value: unknown): Record<string, string> =>
  value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, string>) : {};

/** Re-reads the region's stacks so the read API shows the result at once; evicts a deleted one. */
async function refreshStacks(
  deps: AwsOperationDeps,
  account: string,
  region: string,
  result: Record<string, unknown>,
  deleted = false,
): Promise<Record<string, unknown>> {
  const stackId = typeof result.stackId === 'string' ? result.stackId : undefined;
  await deps.refresher.agent(
    account,
    region,
    'AmazonCloudFormationCachingAgent',
    deleted && stackId ? { [Types.stacks]: [Keys.stack(stackId, account, region)] } : {},
  );
  return result;
}

/** The stack's id, or `undefined` when no live stack has that name. */
async function existingStackId(clients: AwsRegionClients, stackName: string): Promise<string | undefined> {
  try {
    const out = await clients.cloudFormation.send(new DescribeStacksCommand({ StackName: stackName }));
    const stack = out.Stacks?.[0];
    return stack && stack.StackStatus !== 'DELETE_COMPLETE' ? stack.StackId : undefined;
  } catch (error) {
    if (/does not exist/.test((error as Error).message)) return undefined;
    throw error;
  }
}

function validateMapOfStrings(errors: ValidationErrors, input: Record<string, unknown>, field: string): void {
  const value = input[field];
  if (value === undefined || value === null) return;
  if (typeof value !== 'object' || Array.isArray(value)) errors.reject(field, 'invalid', `${field} must map names to values`);
  else for (const [k, v] of Object.entries(value)) if (typeof v !== 'string') errors.reject(`${field}.${k}`, 'invalid', `${field}.${k} must be a string`);
}

/**
 * `deployCloudFormation`: creates the stack, updates it when it exists, or (with `isChangeSet`)
 * creates the change set `changeSetName` for it. `templateBody` may be JSON/YAML text or an object
 * (Orca sends the parsed template). Result: `{stackId}` (plus `changeSetName` for change sets),
 * which Orca's WaitForCloudFormationCompletionTask polls at `/aws/cloudFormation/stacks/{stackId}`.
 */
export function deployCloudFormationOperation(deps: AwsOperationDeps): OperationDefinition {
  return regionalOperation(deps, {
    name: 'deployCloudFormation',
    phase: 'DEPLOY_CLOUDFORMATION_STACK',
    validate(input, errors) {
      requireString(errors, input, 'stackName', STACK_NAME, 'a CloudFormation stack name (letters, digits, hyphens; starting with a letter)');
      const hasBody = input.templateBody !== undefined && input.templateBody !== null && input.templateBody !== '';
      if (!hasBody && typeof input.templateURL !== 'string') errors.reject('templateBody', 'empty', 'templateBody (or templateURL) is required');
      if (hasBody && typeof input.templateBody !== 'string' && typeof input.templateBody !== 'object')
        errors.reject('templateBody', 'invalid', 'templateBody must be a template text or object');
      if (typeof input.templateURL === 'string' && !/^https:\/\//.test(input.templateURL))
        errors.reject('templateURL', 'invalid', 'templateURL must be an https URL (S3)');
      validateMapOfStrings(errors, input, 'parameters');
      validateMapOfStrings(errors, input, 'tags');
      if (input.isChangeSet === true) requireString(errors, input, 'changeSetName', STACK_NAME, 'a change set name');
    },
    async act({ account, region, clients, task, input }) {
      const done = (result: Record<string, unknown>) => refreshStacks(deps, account.name, region, result);
      const stackName = input.stackName as string;
      const template =
        typeof input.templateBody === 'string'
          ? { TemplateBody: input.templateBody }
          : input.templateBody
            ? { TemplateBody: JSON.stringify(input.templateBody) }
            : { TemplateURL: input.templateURL as string };
      const common = {
        StackName: stackName,
        ...template,
        Parameters: Object.entries(stringMap(input.parameters)).map(([ParameterKey, ParameterValue]) => ({ ParameterKey, ParameterValue })),
        Tags: Object.entries(stringMap(input.tags)).map(([Key, Value]) => ({ Key, Value })),
        Capabilities: (Array.isArray(input.capabilities) ? input.capabilities : []) as Capability[],
        ...(typeof input.roleARN === 'string' && input.roleARN ? { RoleARN: input.roleARN } : {}),
        ...(Array.isArray(input.notificationARNs) && input.notificationARNs.length > 0 ? { NotificationARNs: input.notificationARNs as string[] } : {}),
      };
      const existing = await existingStackId(clients, stackName);
      if (input.isChangeSet === true) {
        const changeSetName = input.changeSetName as string;
        await task.updateStatus('DEPLOY_CLOUDFORMATION_STACK', `Creating change set ${changeSetName} for ${existing ? 'existing' : 'new'} stack ${stackName}`);
        const out = await clients.cloudFormation.send(
          new CreateChangeSetCommand({ ...common, ChangeSetName: changeSetName, ChangeSetType: existing ? 'UPDATE' : 'CREATE' }),
        );
        return done({ stackId: out.StackId ?? existing, changeSetName });
      }
      if (existing) {
        await task.updateStatus('DEPLOY_CLOUDFORMATION_STACK', `Updating stack ${stackName}`);
        try {
          const out = await clients.cloudFormation.send(new UpdateStackCommand(common));
          return await done({ stackId: out.StackId ?? existing });
        } catch (error) {
          // Not an error for a pipeline: the stack already is what was asked for.
          if (/No updates are to be performed/.test((error as Error).message)) {
            await task.updateStatus('DEPLOY_CLOUDFORMATION_STACK', `No updates to be performed on stack ${stackName}`);
            return done({ stackId: existing });
          }
          throw error;
        }
      }
      await task.updateStatus('DEPLOY_CLOUDFORMATION_STACK', `Creating stack ${stackName}`);
      const out = await clients.cloudFormation.send(new CreateStackCommand(common));
      return done({ stackId: out.StackId });
    },
  });
}

/** `deleteCloudFormation`: deletes a stack (`{stackName, roleARN?}`). */
export function deleteCloudFormationOperation(deps: AwsOperationDeps): OperationDefinition {
  return regionalOperation(deps, {
    name: 'deleteCloudFormation',
    phase: 'DELETE_CLOUDFORMATION_STACK',
    validate: (input, errors) => requireString(errors, input, 'stackName'),
    async act({ account, region, clients, task, input }) {
      const stackName = input.stackName as string;
      const stackId = await existingStackId(clients, stackName);
      await task.updateStatus('DELETE_CLOUDFORMATION_STACK', `Deleting stack ${stackName}`);
      await clients.cloudFormation.send(
        new DeleteStackCommand({ StackName: stackName, ...(typeof input.roleARN === 'string' && input.roleARN ? { RoleARN: input.roleARN } : {}) }),
      );
      return refreshStacks(deps, account.name, region, { stackId: stackId ?? stackName }, true);
    },
  });
}

/** `executeCloudFormationChangeSet`: executes `{stackName, changeSetName}`. */
export function executeCloudFormationChangeSetOperation(deps: AwsOperationDeps): OperationDefinition {
  return regionalOperation(deps, {
    name: 'executeCloudFormationChangeSet',
    phase: 'EXECUTE_CLOUDFORMATION_CHANGESET',
    validate(input, errors) {
      requireString(errors, input, 'stackName');
      requireString(errors, input, 'changeSetName');
    },
    async act({ account, region, clients, task, input }) {
      await task.updateStatus(
        'EXECUTE_CLOUDFORMATION_CHANGESET',
        `Executing change set ${input.changeSetName as string} of stack ${input.stackName as string}`,
      );
      await clients.cloudFormation.send(new ExecuteChangeSetCommand({ StackName: input.stackName as string, ChangeSetName: input.changeSetName as string }));
      return refreshStacks(deps, account.name, region, {
        stackId: (await existingStackId(clients, input.stackName as string)) ?? input.stackName,
        changeSetName: input.changeSetName,
      });
    },
  });
}

/** `deleteCloudFormationChangeSet`: deletes `{stackName, changeSetName}`. */
export function deleteCloudFormationChangeSetOperation(deps: AwsOperationDeps): OperationDefinition {
  return regionalOperation(deps, {
    name: 'deleteCloudFormationChangeSet',
    phase: 'DELETE_CLOUDFORMATION_CHANGESET',
    validate(input, errors) {
      requireString(errors, input, 'stackName');
      requireString(errors, input, 'changeSetName');
    },
    async act({ account, region, clients, task, input }) {
      await task.updateStatus('DELETE_CLOUDFORMATION_CHANGESET', `Deleting change set ${input.changeSetName as string} of stack ${input.stackName as string}`);
      await clients.cloudFormation.send(new DeleteChangeSetCommand({ StackName: input.stackName as string, ChangeSetName: input.changeSetName as string }));
      return refreshStacks(deps, account.name, region, {
        stackId: (await existingStackId(clients, input.stackName as string)) ?? input.stackName,
        changeSetName: input.changeSetName,
      });
    },
  });
}
