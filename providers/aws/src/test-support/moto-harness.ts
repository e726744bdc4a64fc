import { DescribeImagesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { createHarness, type Harness } from './harness.js';
import { MOTO_CREDENTIALS, motoImageId, startMoto, type Moto } from './moto.js';

/** What a file's tests reach: moto, the provider harness of the current test and an image moto knows. */
export interface MotoHarness {
  readonly moto: Moto;
  readonly h: Harness;
  /** An Amazon image id (after `beforeEach`; only with `image: true`). */
  readonly imageId: string;
  /** SDK client configuration against moto (us-east-1 unless told). */
  config(region?: string): { region: string; endpoint: string; credentials: typeof MOTO_CREDENTIALS };
}

/**
 * One moto_server for the file and a fresh provider harness per test: before each test moto is
 * reset, the harness created against moto with `account` added, and with
 * `image: true` an Amazon image looked up.
 */
export function motoHarness(options: { account: Record<string, unknown>; startTimeoutMs?: number; image?: boolean }): MotoHarness {
  let moto: Moto | undefined;
  let h: Harness | undefined;
  let imageId = '';
  const config = (region = 'us-east-1') => ({ region, endpoint: moto!.endpoint, credentials: MOTO_CREDENTIALS });
  beforeAll(async () => {
    moto = await startMoto();
  }, options.startTimeoutMs);
  afterAll(async () => {
    await moto?.stop();
  });
  beforeEach(async () => {
    await moto!.reset();
    h = await createHarness({ endpoint: moto!.endpoint });
    h.addAccount(options.account);
    if (options.image)
      imageId = await motoImageId(
        moto!.endpoint,
        async () => (await new EC2Client(config()).send(new DescribeImagesCommand({ Owners: ['amazon'] }))).Images![0]!.ImageId!,
      );
  });
  return {
    get moto() {
      return moto!;
    },
    get h() {
      return h!;
    },
    get imageId() {
      return imageId;
    },
    config,
  };
}
