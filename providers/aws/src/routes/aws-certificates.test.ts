import { IAMClient, UploadServerCertificateCommand } from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AwsAccountRegistry } from '../accounts/aws-account-registry.js';
import { parseAwsAccount } from '../accounts/aws-account.js';
import { AwsClientFactory } from '../accounts/aws-clients.js';
import { MOTO_CREDENTIALS, startMoto, type Moto } from '../test-support/moto.js';
import { AwsCertificates, awsCertificateRoute } from './aws-certificates.js';

const PEM = ['-----BEGIN CERTIFICATE-----', 'MIIBszCCAVmgAwIBAgIUeDummyCertificateBodyForMotoOnly0CgYIKoZIzj0EAwIw', '-----END CERTIFICATE-----'].join('\n');

let moto: Moto;
let clock = 1_000;
const accounts = new AwsAccountRegistry();
let certificates: AwsCertificates;

beforeAll(async () => {
  moto = await startMoto();
  const iam = new IAMClient({ region: 'us-east-1', endpoint: moto.endpoint, credentials: MOTO_CREDENTIALS });
  for (const [name, path] of [
    ['web-tls', '/'],
    ['Api-tls', '/cloudfront/'],
  ]) {
    await iam.send(new UploadServerCertificateCommand({ ServerCertificateName: name, Path: path, CertificateBody: PEM, PrivateKey: 'not-checked-by-moto' }));
  }
  for (const name of ['prod', 'secret']) {
    accounts.set(parseAwsAccount({ name, accountId: '123456789012', endpoint: moto.endpoint, regions: [{ name: 'us-east-1' }] }), []);
  }
  certificates = new AwsCertificates(accounts, new AwsClientFactory({ credentials: MOTO_CREDENTIALS, maxAttempts: 1 }), { ttlMs: 500, now: () => clock });
}, 90_000);

afterAll(() => moto?.stop());

describe('AWS IAM server certificates against moto', () => {
  it("lists every readable account's certificates once, in Deck's shape, sorted by name", async () => {
    const route = awsCertificateRoute(certificates, () => undefined);
    const answer = await route.handle({ params: {}, query: {}, body: undefined, caller: { canReadAccount: () => true, canWriteAccount: () => false } });
    const list = answer.body as Record<string, unknown>[];
    expect(list.map((certificate) => certificate.serverCertificateName)).toEqual(['Api-tls', 'web-tls']);
    expect(list[0]).toMatchObject({ path: '/cloudfront/', arn: 'arn:aws:iam::123456789012:server-certificate/cloudfront/Api-tls' });
    expect(typeof list[0]!.serverCertificateId).toBe('string');
    expect(typeof list[0]!.uploadDate).toBe('number');
    // Deck groups by the account id in the ARN.
    expect(String(list[1]!.arn).split(':')[4]).toBe('123456789012');
  });

  it('asks nothing for accounts the caller cannot read and reports a failing account', async () => {
    expect(await certificates.list(() => false)).toEqual([]);
    const failing = new AwsAccountRegistry();
    failing.set(parseAwsAccount({ name: 'down', endpoint: 'http://127.0.0.1:9', regions: [{ name: 'us-east-1' }] }), []);
    const errors: string[] = [];
    const broken = new AwsCertificates(failing, new AwsClientFactory({ credentials: MOTO_CREDENTIALS, maxAttempts: 1 }));
    expect(
      await broken.list(
        () => true,
        (account) => errors.push(account),
      ),
    ).toEqual([]);
    expect(errors).toEqual(['down']);
  });

  it('reuses a list for its TTL, then asks IAM again', async () => {
    const iam = new IAMClient({ region: 'us-east-1', endpoint: moto.endpoint, credentials: MOTO_CREDENTIALS });
    await iam.send(new UploadServerCertificateCommand({ ServerCertificateName: 'new-tls', CertificateBody: PEM, PrivateKey: 'x' }));
    expect((await certificates.list(() => true)).map((c) => c.serverCertificateName)).not.toContain('new-tls');
    clock += 1_000;
    expect((await certificates.list(() => true)).map((c) => c.serverCertificateName)).toContain('new-tls');
  });
});
