import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifactHarness } from './test-support/artifact-harness.js';
import { startMoto, type Moto } from './test-support/moto.js';

const OBJECT = Buffer.from(Array.from({ length: 300_000 }, (_, i) => (i * 31) % 256));

describe('s3/object against moto_server', () => {
  let moto: Moto;
  let strict: Moto;
  beforeAll(async () => {
    // One plain moto for content, one that checks access keys (every key is unknown to its IAM).
    [moto, strict] = await Promise.all([startMoto(), startMoto({ INITIAL_NO_AUTH_ACTION_COUNT: '0' })]);
    const s3 = new S3Client({
      region: 'us-east-1',
      endpoint: moto.endpoint,
      forcePathStyle: true,
      credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    });
    await s3.send(new CreateBucketCommand({ Bucket: 'artifacts' }));
    await s3.send(new PutObjectCommand({ Bucket: 'artifacts', Key: 'manifests/app.yml', Body: OBJECT }));
    s3.destroy();
  });
  afterAll(async () => {
    await Promise.all([moto?.stop(), strict?.stop()]);
  });

  const block = () => ({
    s3: {
      enabled: true,
      accounts: [
        { name: 's3-moto', apiEndpoint: moto.endpoint, apiRegion: 'us-east-1', awsAccessKeyId: 'testing', awsSecretAccessKey: 'testing' },
        { name: 's3-refused', apiEndpoint: strict.endpoint, apiRegion: 'us-east-1', awsAccessKeyId: 'AKIAUNKNOWN', awsSecretAccessKey: 'wrong-secret' },
      ],
    },
  });

  it('fetches the exact bytes of s3://bucket/key', async () => {
    const h = await artifactHarness(block());
    expect(await h.fetch({ type: 's3/object', reference: 's3://artifacts/manifests/app.yml', artifactAccount: 's3-moto' })).toEqual(OBJECT);
  });

  it('answers 404 for a missing key or bucket, 400 for a malformed reference, 502 for refused credentials', async () => {
    const h = await artifactHarness(block());
    await expect(h.fetch({ type: 's3/object', reference: 's3://artifacts/missing.yml', artifactAccount: 's3-moto' })).rejects.toMatchObject({
      status: 404,
      message: expect.stringContaining('s3://artifacts/missing.yml was not found by artifact account s3-moto'),
    });
    await expect(h.fetch({ type: 's3/object', reference: 's3://no-such-bucket/a', artifactAccount: 's3-moto' })).rejects.toMatchObject({ status: 404 });
    await expect(h.fetch({ type: 's3/object', reference: 's3://artifacts', artifactAccount: 's3-moto' })).rejects.toMatchObject({ status: 400 });
    const refused = await h.fetch({ type: 's3/object', reference: 's3://artifacts/manifests/app.yml', artifactAccount: 's3-refused' }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ status: 502, message: expect.stringContaining('S3 refused the credentials of artifact account s3-refused') });
    expect(String((refused as Error).message)).not.toContain('wrong-secret');
  });
});
