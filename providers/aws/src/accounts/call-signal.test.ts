import { DescribeImagesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { isCachingAgent, type OperationContext } from '@stratus/plugin-api';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startCountingProxy, type CountingProxy } from '../test-support/counting-proxy.js';
import { createHarness, type Harness } from '../test-support/harness.js';
import { MOTO_CREDENTIALS, motoImageId, startMoto, type Moto } from '../test-support/moto.js';

/**
 * The run's abort signal reaches every SDK call: an aborted agent run or operation stops calling
 * AWS, including calls made by shared helpers that never see the context (the deploy handler).
 * Counted with a loopback proxy in front of moto.
 */

let moto: Moto;
let proxy: CountingProxy;
let h: Harness;

beforeAll(async () => {
  moto = await startMoto();
  proxy = await startCountingProxy(moto.endpoint, 50);
  h = await createHarness({ endpoint: proxy.url });
  h.addAccount({ name: 'prod', regions: [{ name: 'us-east-1', availabilityZones: ['us-east-1a'] }] });
}, 90_000);

afterAll(async () => {
  await proxy?.close();
  await moto?.stop();
});

it('no caching agent of an account calls AWS once its run is aborted', async () => {
  const agents = (h.agents.get('prod') ?? []).filter(isCachingAgent);
  expect(agents.map((a) => a.agentType.split('/')[2]).sort()).toHaveLength(13);
  const aborted = new AbortController();
  aborted.abort(new Error('agent run timed out'));
  proxy.seen.length = 0;
  for (const agent of agents) {
    await expect(agent.loadData(h.cache, { signal: aborted.signal }), agent.agentType).rejects.toThrow();
  }
  expect(proxy.seen).toEqual([]);
});

it('an aborted deploy stops calling AWS: the launch template in flight is the last call', async () => {
  const imageId = await motoImageId(
    moto.endpoint,
    async () =>
      (
        await new EC2Client({ region: 'us-east-1', endpoint: moto.endpoint, credentials: MOTO_CREDENTIALS }).send(
          new DescribeImagesCommand({ Owners: ['amazon'] }),
        )
      ).Images![0]!.ImageId!,
  );
  const definition = h.operations.get('createServerGroup')!;
  const operation = definition.converter.convertOperation(
    definition.converter.convertDescription({
      credentials: 'prod',
      application: 'shop',
      availabilityZones: { 'us-east-1': ['us-east-1a'] },
      capacity: { min: 1, max: 1, desired: 1 },
      imageId,
      instanceType: 't3.micro',
    }),
  );
  const task = new AbortController();
  proxy.seen.length = 0;
  proxy.onRequest = (action) => {
    if (action === 'CreateLaunchTemplate') task.abort(new Error('server shutting down'));
  };
  const context: OperationContext = {
    task: { id: 'task-abort', updateStatus: async () => {}, addOutput: async () => {} },
    signal: task.signal,
    account: () => undefined,
  };
  await expect(operation.operate([], context)).rejects.toThrow();
  await new Promise((resolve) => setTimeout(resolve, 500));
  proxy.onRequest = undefined;
  expect(proxy.seen).toContain('CreateLaunchTemplate');
  expect(proxy.seen.slice(proxy.seen.indexOf('CreateLaunchTemplate') + 1)).toEqual([]);
  expect(proxy.seen).not.toContain('CreateAutoScalingGroup');
}, 60_000);
