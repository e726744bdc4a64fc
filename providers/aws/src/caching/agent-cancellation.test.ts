import { CreateTargetGroupCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { DescribeVpcsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createHarness } from '../test-support/harness.js';
import { MOTO_CREDENTIALS, startMoto, type Moto } from '../test-support/moto.js';
import { LoadBalancerCachingAgent } from './load-balancer-caching-agent.js';

/**
 * A run the scheduler gave up on (its signal aborted) stops calling the cloud: the agent passes the
 * run's signal to every SDK call. Measured with a loopback proxy in front of moto that counts the
 * requests reaching it and holds each one a little, as a slow cloud would.
 */

let moto: Moto;
let proxy: Server;
let proxyUrl: string;
const seen: string[] = [];

beforeAll(async () => {
  moto = await startMoto();
  proxy = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', async () => {
      const body = Buffer.concat(chunks).toString();
      seen.push(new URLSearchParams(body).get('Action') ?? req.headers['x-amz-target']?.toString() ?? '?');
      await new Promise((resolve) => setTimeout(resolve, 120));
      const answer = await fetch(`${moto.endpoint}${req.url}`, {
        method: req.method!,
        headers: req.headers as Record<string, string>,
        ...(chunks.length ? { body } : {}),
      });
      res.writeHead(answer.status, Object.fromEntries(answer.headers));
      res.end(Buffer.from(await answer.arrayBuffer()));
    });
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', () => resolve()));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as { port: number }).port}`;
}, 90_000);

afterAll(async () => {
  await new Promise((resolve) => proxy?.close(resolve));
  await moto?.stop();
});

it('an aborted run stops calling AWS (every describe carries the run signal)', async () => {
  const config = { region: 'us-east-1', endpoint: moto.endpoint, credentials: MOTO_CREDENTIALS };
  const vpcId = (await new EC2Client(config).send(new DescribeVpcsCommand({}))).Vpcs![0]!.VpcId!;
  const elb = new ElasticLoadBalancingV2Client(config);
  // One DescribeTargetHealth per target group: a run of many calls, one after another.
  for (let i = 0; i < 12; i++) await elb.send(new CreateTargetGroupCommand({ Name: `cancel-tg-${i}`, Protocol: 'HTTP', Port: 80, VpcId: vpcId }));

  const h = await createHarness({ endpoint: proxyUrl });
  const account = h.addAccount({ name: 'prod', accountId: '123456789012', regions: [{ name: 'us-east-1' }] });
  const agent = new LoadBalancerCachingAgent({ account, region: 'us-east-1', clients: h.handle.clients });

  // A full run makes 2 list calls and 12 health calls.
  seen.length = 0;
  await agent.loadData(h.cache, { signal: new AbortController().signal });
  expect(seen.filter((action) => action === 'DescribeTargetHealth')).toHaveLength(12);

  seen.length = 0;
  const run = new AbortController();
  setTimeout(() => run.abort(new Error('agent run timed out')), 600);
  await expect(agent.loadData(h.cache, { signal: run.signal })).rejects.toThrow();
  // A request already on the wire when the run was aborted may still arrive; after that, nothing.
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  const settled = seen.length;
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  expect(seen.length).toBe(settled);
  expect(settled).toBeGreaterThan(0);
  expect(settled).toBeLessThan(14);
}, 60_000);
