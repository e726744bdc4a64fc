import { ACMClient, RequestCertificateCommand } from '@aws-sdk/client-acm';
import { CreateRoleCommand, IAMClient, UploadServerCertificateCommand } from '@aws-sdk/client-iam';
import type { RouteCaller } from '@stratus/plugin-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AwsAccountRegistry } from '../accounts/aws-account-registry.js';
import { parseAwsAccount } from '../accounts/aws-account.js';
import { AwsClientFactory } from '../accounts/aws-clients.js';
import { MOTO_CREDENTIALS, startMoto, type Moto } from '../test-support/moto.js';
import { AwsAcmCertificates } from './aws-acm-certificates.js';
import { AwsCertificates, awsCertificateRoute } from './aws-certificates.js';
import { AwsRoles, awsRolesRoute, trustRelationshipsOf } from './aws-roles.js';

/** `/roles/aws` (IAM roles, Clouddriver's Lambda `IamRole` shape) and ACM beside IAM in `/certificates/aws`, against moto. */

const PEM = ['-----BEGIN CERTIFICATE-----', 'MIIBszCCAVmgAwIBAgIUeDummyCertificateBodyForMotoOnly0CgYIKoZIzj0EAwIw', '-----END CERTIFICATE-----'].join('\n');
let moto: Moto;
const accounts = new AwsAccountRegistry();
let factory: AwsClientFactory;
const caller = (readable: string[]): RouteCaller => ({ canReadAccount: (a) => readable.includes(a), canWriteAccount: () => false });

beforeAll(async () => {
  moto = await startMoto();
  const config = { region: 'us-east-1', endpoint: moto.endpoint, credentials: MOTO_CREDENTIALS };
  const iam = new IAMClient(config);
  const trust = (principal: Record<string, unknown>, action: unknown = 'sts:AssumeRole') =>
    JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: principal, Action: action }] });
  await iam.send(new CreateRoleCommand({ RoleName: 'shop-lambda', AssumeRolePolicyDocument: trust({ Service: 'lambda.amazonaws.com' }) }));
  await iam.send(
    new CreateRoleCommand({
      RoleName: 'ci-deployer',
      AssumeRolePolicyDocument: trust({ AWS: ['arn:aws:iam::111111111111:root', 'arn:aws:iam::222222222222:root'] }, ['sts:AssumeRole', 'sts:TagSession']),
    }),
  );
  await iam.send(new UploadServerCertificateCommand({ ServerCertificateName: 'web-tls', CertificateBody: PEM, PrivateKey: 'not-checked-by-moto' }));
  await new ACMClient(config).send(new RequestCertificateCommand({ DomainName: 'api.example.com' }));
  await new ACMClient({ ...config, region: 'eu-west-1' }).send(new RequestCertificateCommand({ DomainName: 'eu.example.com' }));
  accounts.set(
    parseAwsAccount({ name: 'prod', accountId: '123456789012', endpoint: moto.endpoint, regions: [{ name: 'us-east-1' }, { name: 'eu-west-1' }] }),
    [],
  );
  factory = new AwsClientFactory({ credentials: MOTO_CREDENTIALS, maxAttempts: 1 });
}, 90_000);
afterAll(() => moto?.stop());

describe('/roles/aws', () => {
  it('lists the IAM roles of readable accounts with the principals trusted to assume them', async () => {
    const route = awsRolesRoute(new AwsRoles(accounts, factory), () => undefined);
    const roles = (await route.handle({ params: {}, query: {}, body: undefined, caller: caller(['prod']) })).body as Record<string, unknown>[];
    const byName = Object.fromEntries(roles.map((r) => [r.name, r]));
    expect(byName['shop-lambda']).toEqual({
      id: 'arn:aws:iam::123456789012:role/shop-lambda',
      name: 'shop-lambda',
      accountName: 'prod',
      trustRelationships: [{ type: 'Service', value: 'lambda.amazonaws.com' }],
    });
    expect(byName['ci-deployer']!.trustRelationships).toEqual([
      { type: 'AWS', value: 'arn:aws:iam::111111111111:root' },
      { type: 'AWS', value: 'arn:aws:iam::222222222222:root' },
    ]);
    expect((await route.handle({ params: {}, query: {}, body: undefined, caller: caller([]) })).body).toEqual([]);
  });

  it('reads trust policies as IAM returns them (URL-encoded) and ignores other statements', () => {
    const doc = encodeURIComponent(
      JSON.stringify({
        Statement: [
          { Action: 'sts:AssumeRoleWithWebIdentity', Principal: { Federated: 'x' } },
          { Action: 'sts:AssumeRole', Principal: { Service: ['ecs-tasks.amazonaws.com'] } },
        ],
      }),
    );
    expect(trustRelationshipsOf(doc)).toEqual([{ type: 'Service', value: 'ecs-tasks.amazonaws.com' }]);
    expect(trustRelationshipsOf('%7Bnot json')).toEqual([]);
  });
});

describe('/certificates/aws with ACM', () => {
  const route = () => awsCertificateRoute(new AwsCertificates(accounts, factory), () => undefined, new AwsAcmCertificates(accounts, factory));
  const get = async (query: Record<string, string>) =>
    (await route().handle({ params: {}, query, body: undefined, caller: caller(['prod']) })).body as Record<string, unknown>[];

  it('lists IAM certificates by default (what Deck offers as IAM), ACM ones on request, both with all', async () => {
    expect((await get({})).map((c) => [c.serverCertificateName, c.certificateType])).toEqual([['web-tls', 'iam']]);
    const acm = await get({ certificateType: 'acm' });
    expect(acm.map((c) => [c.serverCertificateName, c.region])).toEqual([
      ['api.example.com', 'us-east-1'],
      ['eu.example.com', 'eu-west-1'],
    ]);
    expect(acm[0]).toMatchObject({
      certificateType: 'acm',
      account: 'prod',
      path: '/',
      arn: expect.stringMatching(/^arn:aws:acm:us-east-1:123456789012:certificate\//),
    });
    expect(String(acm[0]!.arn).endsWith(`/${acm[0]!.serverCertificateId}`)).toBe(true);
    expect((await get({ certificateType: 'all' })).map((c) => c.serverCertificateName)).toEqual(['api.example.com', 'eu.example.com', 'web-tls']);
    await expect(get({ certificateType: 'pem' })).rejects.toMatchObject({ status: 400 });
  });
});
