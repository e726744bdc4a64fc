import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifactHarness } from './test-support/artifact-harness.js';
import { startLoopbackServer, type LoopbackServer } from './test-support/loopback-server.js';

const OBJECT = Buffer.from(Array.from({ length: 200_000 }, (_, i) => (i * 13) % 256));
const OLD_GENERATION = Buffer.from('generation one');

/**
 * A fake of the GCS JSON API's media download (`GET /storage/v1/b/{bucket}/o/{object}?alt=media
 * [&generation=]`), answering errors in its `{error: {code, message}}` shape.
 */
describe('gcs/object driven by @google-cloud/storage against a loopback GCS JSON API fake', () => {
  let server: LoopbackServer;
  beforeAll(async () => {
    server = await startLoopbackServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      const match = /^(?:\/download)?\/storage\/v1\/b\/([^/]+)\/o\/(.+)$/.exec(url.pathname);
      const error = (code: number, message: string) =>
        res.writeHead(code, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code, message, errors: [{ message }] } }));
      if (!match || url.searchParams.get('alt') !== 'media') return void error(400, 'unsupported request');
      const [, bucket, object] = match;
      if (bucket === 'private') return void error(403, 'stratus@example.iam.gserviceaccount.com does not have storage.objects.get access');
      if (bucket !== 'artifacts' || decodeURIComponent(object ?? '') !== 'manifests/app.yml') return void error(404, 'No such object');
      const generation = url.searchParams.get('generation');
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'x-goog-generation': generation ?? '2' });
      res.end(generation === '1' ? OLD_GENERATION : OBJECT);
    });
  });
  afterAll(() => server.close());

  const block = () => ({ gcs: { enabled: true, accounts: [{ name: 'gcs', apiEndpoint: server.url, project: 'stratus-test' }] } });

  it('fetches the exact bytes of gs://bucket/object, and of a generation', async () => {
    const h = await artifactHarness(block());
    expect(await h.fetch({ type: 'gcs/object', reference: 'gs://artifacts/manifests/app.yml', artifactAccount: 'gcs' })).toEqual(OBJECT);
    expect(await h.fetch({ type: 'gcs/object', reference: 'gs://artifacts/manifests/app.yml#1', artifactAccount: 'gcs' })).toEqual(OLD_GENERATION);
    expect(server.requests.some((r) => r.url.includes('generation=1'))).toBe(true);
  });

  it('answers 404 for a missing object, 502 for refused access, 400 for a malformed reference', async () => {
    const h = await artifactHarness(block());
    await expect(h.fetch({ type: 'gcs/object', reference: 'gs://artifacts/missing.yml', artifactAccount: 'gcs' })).rejects.toMatchObject({
      status: 404,
      message: expect.stringContaining('gs://artifacts/missing.yml was not found by artifact account gcs'),
    });
    await expect(h.fetch({ type: 'gcs/object', reference: 'gs://private/secret.yml', artifactAccount: 'gcs' })).rejects.toMatchObject({
      status: 502,
      message: expect.stringContaining('GCS refused the credentials of artifact account gcs'),
    });
    await expect(h.fetch({ type: 'gcs/object', reference: 'gs://artifacts', artifactAccount: 'gcs' })).rejects.toMatchObject({ status: 400 });
  });
});
