import { DescribeSubnetsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { CreateLoadBalancerCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { CreateHostedZoneCommand, ListResourceRecordSetsCommand, Route53Client } from '@aws-sdk/client-route-53';
import type { RouteCaller } from '@stratus/plugin-api';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { awsRoutes } from '../routes/aws-routes.js';
import { createHarness, type Harness } from '../test-support/harness.js';
import { MOTO_CREDENTIALS, startMoto, type Moto } from '../test-support/moto.js';

/**
 * The Route 53 alias form of upsertAmazonDNSDescription (an A record aliasing an ALB), and Orca's
 * `GET /aws/cloudFormation/stacks/{stackId}` with the stack ARN unencoded in the path, against moto.
 */

let moto: Moto;
let h: Harness;
const config = () => ({ region: 'us-east-1', endpoint: moto.endpoint, credentials: MOTO_CREDENTIALS });
const reader = (accounts: string[]): RouteCaller => ({ canReadAccount: (a) => accounts.includes(a), canWriteAccount: () => false });

beforeAll(async () => {
  moto = await startMoto();
  h = await createHarness({ endpoint: moto.endpoint });
  h.addAccount({ name: 'prod', accountId: '123456789012', regions: [{ name: 'us-east-1', availabilityZones: ['us-east-1a', 'us-east-1b'] }] });
}, 90_000);
afterAll(async () => {
  await moto?.stop();
});

it('upserts an A record aliasing the load balancer with that DNS name', async () => {
  const subnets = (await new EC2Client(config()).send(new DescribeSubnetsCommand({}))).Subnets!.slice(0, 2).map((s) => s.SubnetId!);
  const lb = (await new ElasticLoadBalancingV2Client(config()).send(new CreateLoadBalancerCommand({ Name: 'shop-alb', Subnets: subnets }))).LoadBalancers![0]!;
  await new Route53Client(config()).send(new CreateHostedZoneCommand({ Name: 'example.com', CallerReference: 'alias-test' }));
  const run = await h.runOperation('upsertAmazonDNSDescription', {
    credentials: 'prod',
    type: 'A',
    name: 'shop.example.com',
    target: lb.DNSName!.toUpperCase(),
    hostedZoneName: 'example.com.',
  });
  expect(run.errors).toEqual([]);
  expect(run.history.map((l) => l.status)).toContain(`Upserting A record shop.example.com. -> ${lb.DNSName!.toUpperCase()} in example.com.`);
  const zoneId = (run.result as { hostedZoneId: string }).hostedZoneId;
  const record = (await new Route53Client(config()).send(new ListResourceRecordSetsCommand({ HostedZoneId: zoneId }))).ResourceRecordSets!.find(
    (r) => r.Name === 'shop.example.com.',
  );
  expect(record).toMatchObject({ Type: 'A', AliasTarget: { HostedZoneId: lb.CanonicalHostedZoneId, EvaluateTargetHealth: false } });
  expect(record!.AliasTarget!.DNSName!.toLowerCase().replace(/\.$/, '')).toBe(lb.DNSName!.toLowerCase());

  await expect(
    h.runOperation('upsertAmazonDNSDescription', {
      credentials: 'prod',
      type: 'A',
      name: 'x.example.com',
      target: 'nowhere.elb.amazonaws.com',
      hostedZoneName: 'example.com',
    }),
  ).rejects.toThrow('No load balancer with DNS name nowhere.elb.amazonaws.com to alias x.example.com. to');
}, 60_000);

it('serves one stack at /aws/cloudFormation/stacks/{stackId} with the ARN unencoded, to readers of its account only', async () => {
  const created = await h.runOperation('deployCloudFormation', {
    credentials: 'prod',
    region: 'us-east-1',
    stackName: 'shop-infra',
    templateBody: { Resources: { Queue: { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'stack-route-q' } } } },
  });
  expect(created.errors).toEqual([]);
  const stackId = (created.result as { stackId: string }).stackId;
  const routes = awsRoutes(h.handle.lookups, { accounts: h.handle.accounts, clients: h.handle.clients });
  const route = routes.find((r) => r.path === '/aws/cloudFormation/stacks/{arn}/{name}/{uuid}')!;
  // Express splits `arn:aws:cloudformation:us-east-1:123456789012:stack/shop-infra/<uuid>` at its slashes.
  const [arn, name, uuid] = stackId.split('/');
  const answer = await route.handle({ params: { arn: arn!, name: name!, uuid: uuid! }, query: {}, body: undefined, caller: reader(['prod']) });
  expect(answer.body).toMatchObject({ stackId, stackName: 'shop-infra', stackStatus: 'CREATE_COMPLETE', accountName: 'prod', region: 'us-east-1' });
  await expect(route.handle({ params: { arn: arn!, name: name!, uuid: uuid! }, query: {}, body: undefined, caller: reader([]) })).rejects.toMatchObject({
    status: 404,
  });
  await expect(route.handle({ params: { arn: arn!, name: 'other', uuid: uuid! }, query: {}, body: undefined, caller: reader(['prod']) })).rejects.toMatchObject(
    { status: 404 },
  );
}, 60_000);
