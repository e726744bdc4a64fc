import { AutoScalingClient, DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import { DescribeImagesCommand, DescribeLaunchTemplatesCommand, EC2Client } from '@aws-sdk/client-ec2';
import type { OperationContext, OperationSteps } from '@stratus/plugin-api';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { startCountingProxy, type CountingProxy } from '../test-support/counting-proxy.js';
import { createHarness, type Harness } from '../test-support/harness.js';
import { MOTO_CREDENTIALS, motoImageId, startMoto, type Moto } from '../test-support/moto.js';
import type { DeploymentResult } from './create-server-group.js';

/**
 * createServerGroup is resumable: a deploy whose replica died continues from its persisted steps
 * (as another replica would) with the same server group name, without a second launch template or
 * ASG; a step whose AWS call went through but whose completion was never recorded adopts what it
 * finds instead of failing.
 */

let moto: Moto;
let proxy: CountingProxy;
let h: Harness;
let imageId: string;
const config = () => ({ region: 'us-east-1', endpoint: moto.endpoint, credentials: MOTO_CREDENTIALS });

beforeAll(async () => {
  moto = await startMoto();
  proxy = await startCountingProxy(moto.endpoint);
}, 90_000);
afterAll(async () => {
  await proxy?.close();
  await moto?.stop();
});
beforeEach(async () => {
  await moto.reset();
  h = await createHarness({ endpoint: proxy.url });
  h.addAccount({ name: 'prod', regions: [{ name: 'us-east-1', availabilityZones: ['us-east-1a'] }] });
  imageId = await motoImageId(
    moto.endpoint,
    async () => (await new EC2Client(config()).send(new DescribeImagesCommand({ Owners: ['amazon'] }))).Images![0]!.ImageId!,
  );
});

class ReplicaDied extends Error {}

/** Steps persisted in `stored`; the run dies after recording `dieAfter`, or inside `dieInside` once its work is done but before it is recorded. */
function steps(stored: Record<string, unknown>, die: { after?: string; inside?: string } = {}): OperationSteps {
  return {
    async run<T>(name: string, work: () => Promise<T>): Promise<T> {
      if (Object.hasOwn(stored, name)) return stored[name] as T;
      const value = await work();
      if (name === die.inside) throw new ReplicaDied(`killed inside ${name}`);
      stored[name] = JSON.parse(JSON.stringify(value ?? null));
      if (name === die.after) throw new ReplicaDied(`killed after ${name}`);
      return value;
    },
  };
}

function operation() {
  const definition = h.operations.get('createServerGroup')!;
  const description = definition.converter.convertDescription({
    credentials: 'prod',
    application: 'shop',
    stack: 'web',
    availabilityZones: { 'us-east-1': ['us-east-1a'] },
    capacity: { min: 1, max: 2, desired: 1 },
    imageId,
    instanceType: 't3.micro',
    suspendedProcesses: ['AZRebalance'],
  });
  return definition.converter.convertOperation(description);
}

const context = (history: string[], s: OperationSteps): OperationContext => ({
  task: { id: 'task-resume', updateStatus: async (_phase, status) => void history.push(status), addOutput: async () => {} },
  signal: new AbortController().signal,
  account: () => undefined,
  steps: s,
});

async function cloud() {
  const templates = (await new EC2Client(config()).send(new DescribeLaunchTemplatesCommand({}))).LaunchTemplates ?? [];
  const groups = (await new AutoScalingClient(config()).send(new DescribeAutoScalingGroupsCommand({}))).AutoScalingGroups ?? [];
  return {
    templates: templates.map((t) => t.LaunchTemplateName).sort(),
    groups: groups.map((g) => g.AutoScalingGroupName).sort(),
    suspended: groups[0]?.SuspendedProcesses?.map((p) => p.ProcessName),
  };
}

it('continues after the launch template step on another replica: same name, one template, one ASG', async () => {
  const op = operation();
  expect(op.resumable).toBe(true);
  const stored: Record<string, unknown> = {};
  await expect(op.operate([], context([], steps(stored, { after: 'launchTemplate:us-east-1' })))).rejects.toBeInstanceOf(ReplicaDied);
  expect(Object.keys(stored)).toEqual(['name:us-east-1', 'launchTemplate:us-east-1']);
  expect(await cloud()).toMatchObject({ templates: ['shop-web-v000'], groups: [] });

  proxy.seen.length = 0;
  const history: string[] = [];
  const result = (await operation().operate([], context(history, steps(stored)))) as DeploymentResult;
  expect(result.serverGroupNames).toEqual(['us-east-1:shop-web-v000']);
  expect(proxy.seen.filter((a) => a === 'CreateLaunchTemplate')).toEqual([]);
  expect(proxy.seen.filter((a) => a === 'CreateAutoScalingGroup')).toHaveLength(1);
  expect(history.some((line) => line.startsWith('Creating launch template'))).toBe(false);
  expect(await cloud()).toEqual({ templates: ['shop-web-v000'], groups: ['shop-web-v000'], suspended: ['AZRebalance'] });
}, 60_000);

it('adopts an ASG whose creation reached AWS but was never recorded, instead of deploying v001', async () => {
  const stored: Record<string, unknown> = {};
  await expect(operation().operate([], context([], steps(stored, { inside: 'autoScalingGroup:us-east-1' })))).rejects.toBeInstanceOf(ReplicaDied);
  expect(Object.keys(stored)).toEqual(['name:us-east-1', 'launchTemplate:us-east-1']);

  // moto silently replaces an existing ASG; AWS answers AlreadyExists, so the proxy does.
  proxy.intercept = (action) =>
    action === 'CreateAutoScalingGroup'
      ? {
          status: 400,
          contentType: 'text/xml',
          body: '<ErrorResponse xmlns="http://autoscaling.amazonaws.com/doc/2011-01-01/"><Error><Type>Sender</Type><Code>AlreadyExists</Code><Message>AutoScalingGroup by this name already exists - A group with the name shop-web-v000 already exists</Message></Error><RequestId>r-1</RequestId></ErrorResponse>',
        }
      : undefined;
  const history: string[] = [];
  const result = (await operation()
    .operate([], context(history, steps(stored)))
    .finally(() => (proxy.intercept = undefined))) as DeploymentResult;
  expect(result.deployedNames).toEqual(['shop-web-v000']);
  expect(history).toContain('Auto scaling group shop-web-v000 already exists (created before this task resumed)');
  expect(Object.keys(stored)).toEqual(['name:us-east-1', 'launchTemplate:us-east-1', 'autoScalingGroup:us-east-1', 'suspendProcesses:us-east-1']);
  expect(await cloud()).toEqual({ templates: ['shop-web-v000'], groups: ['shop-web-v000'], suspended: ['AZRebalance'] });
}, 60_000);

it('adopts a launch template an interrupted step created', async () => {
  const stored: Record<string, unknown> = {};
  await expect(operation().operate([], context([], steps(stored, { inside: 'launchTemplate:us-east-1' })))).rejects.toBeInstanceOf(ReplicaDied);
  const result = (await operation().operate([], context([], steps(stored)))) as DeploymentResult;
  expect(result.deployedNames).toEqual(['shop-web-v000']);
  expect(await cloud()).toMatchObject({ templates: ['shop-web-v000'], groups: ['shop-web-v000'] });
}, 60_000);
