import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { majorVersionOf, SPI_VERSION } from '@stratus/plugin-api';
import { afterEach, describe, expect, it } from 'vitest';
import provider, { AWS_PROVIDER_API_VERSION, AWS_PROVIDER_VERSION } from '../index.js';
import { VpcCachingAgent } from '../caching/vpc-caching-agent.js';
import { parseAwsAccount, roleArnOf } from './aws-account.js';
import { AwsClientFactory } from './aws-clients.js';
import { createHarness } from '../test-support/harness.js';

describe('aws account parsing', () => {
  it('reads the fields Clouddriver reads, with aws.* defaults', () => {
    const account = parseAwsAccount(
      {
        name: 'prod',
        accountId: 123456789012,
        environment: 'production',
        accountType: 'main',
        assumeRole: 'role/spinnaker',
        externalId: 'xyz',
        permissions: { READ: ['a'], WRITE: ['b'] },
      },
      { defaultRegions: [{ name: 'us-west-2', availabilityZones: ['us-west-2a'] }], endpoint: 'http://127.0.0.1:9' },
    );
    expect(account).toMatchObject({
      name: 'prod',
      cloudProvider: 'aws',
      type: 'aws',
      accountId: '123456789012',
      environment: 'production',
      accountType: 'main',
      regions: [{ name: 'us-west-2', availabilityZones: ['us-west-2a'] }],
      externalId: 'xyz',
      endpoint: 'http://127.0.0.1:9',
      permissions: { READ: ['a'], WRITE: ['b'] },
    });
    expect(roleArnOf(account)).toBe('arn:aws:iam::123456789012:role/spinnaker');
    expect(roleArnOf(parseAwsAccount({ name: 'x', assumeRole: 'arn:aws:iam::111111111111:role/y' }))).toBe('arn:aws:iam::111111111111:role/y');
    expect(parseAwsAccount({ name: 'y' }, { defaultAssumeRole: 'arn:aws:iam::111111111111:role/d' }).assumeRole).toBe('arn:aws:iam::111111111111:role/d');
    expect(parseAwsAccount({ name: 'z', regions: ['eu-west-1'] }).regions).toEqual([{ name: 'eu-west-1', availabilityZones: [] }]);
  });

  it('names the bad field', () => {
    expect(() => parseAwsAccount({})).toThrow(/'name' is required/);
    expect(() => parseAwsAccount({ name: 'a b' })).toThrow(/'name'/);
    expect(() => parseAwsAccount({ name: 'a', accountId: '12' })).toThrow(/'accountId'/);
    expect(() => parseAwsAccount({ name: 'a', regions: [{ zones: [] }] })).toThrow(/'regions\[0\]\.name'/);
    expect(() => parseAwsAccount({ name: 'a', regions: [] })).toThrow(/'regions'/);
    expect(() => parseAwsAccount({ name: 'a', assumeRole: 'role/x' })).toThrow(/'accountId' is required/);
    expect(() => parseAwsAccount({ name: 'a', permissions: { ADMIN: ['x'] } })).toThrow(/'permissions.ADMIN'/);
    expect(() => parseAwsAccount({ name: 'a', endpoint: 'localhost:1' })).toThrow(/'endpoint'/);
  });
});

describe('provider package', () => {
  it('declares an SPI-compatible default export and depends at runtime only on the SDK clients and the provider kit', () => {
    expect(provider).toMatchObject({ id: 'aws', version: AWS_PROVIDER_VERSION, apiVersion: AWS_PROVIDER_API_VERSION });
    expect(majorVersionOf(provider.apiVersion)).toBe(majorVersionOf(SPI_VERSION));
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    expect(pkg.version).toBe(AWS_PROVIDER_VERSION);
    expect(Object.keys(pkg.dependencies).filter((d: string) => !d.startsWith('@aws-sdk/client-'))).toEqual(['@stratus/provider-kit']);
    expect(pkg.peerDependencies['@stratus/plugin-api']).toMatch(/^\^\d/);
  });
});

describe('throttling', () => {
  let server: Server | undefined;
  afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

  it('backs off and retries a throttled describe until it succeeds', async () => {
    let calls = 0;
    server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        calls++;
        res.setHeader('content-type', 'text/xml');
        if (calls <= 2) {
          res.statusCode = 503;
          res.end(
            '<Response><Errors><Error><Code>RequestLimitExceeded</Code><Message>Request limit exceeded.</Message></Error></Errors><RequestID>r</RequestID></Response>',
          );
        } else {
          res.end(
            '<DescribeVpcsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>r</requestId><vpcSet><item><vpcId>vpc-1</vpcId><state>available</state></item></vpcSet></DescribeVpcsResponse>',
          );
        }
      });
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', () => resolve()));
    const port = (server.address() as { port: number }).port;
    const account = parseAwsAccount({ name: 'prod', endpoint: `http://127.0.0.1:${port}`, regions: ['us-east-1'] });
    const clients = new AwsClientFactory({ credentials: { accessKeyId: 'a', secretAccessKey: 'b' }, maxAttempts: 4 });
    const result = await new VpcCachingAgent({ account, region: 'us-east-1', clients }).loadData(undefined as never, { signal: new AbortController().signal });
    expect(calls).toBe(3);
    expect(result.cacheResults.vpcs!.map((v) => v.id)).toEqual(['aws:vpcs:vpc-1:prod:us-east-1']);
  });
});

describe('account lifecycle', () => {
  it('keeps the replacement when the old credentials of a changed account are disposed', async () => {
    const h = await createHarness({});
    const before = h.addAccount({ name: 'prod', regions: ['us-east-1'] });
    const after = h.addAccount({ name: 'prod', regions: ['us-east-1', 'eu-west-1'] });
    const oldClients = h.handle.clients.forRegion(before, 'us-east-1');
    const newClients = h.handle.clients.forRegion(after, 'us-east-1');
    expect(newClients).not.toBe(oldClients);
    await h.accountType.dispose!(before);
    expect(h.handle.accounts.get('prod')).toBe(after);
    expect(h.handle.clients.forRegion(after, 'us-east-1')).toBe(newClients);
    expect(h.handle.accounts.agent('prod', 'eu-west-1', 'ClusterCachingAgent')).toBeDefined();
    await h.accountType.dispose!(after);
    expect(h.handle.accounts.get('prod')).toBeUndefined();
  });
});
