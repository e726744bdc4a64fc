import { describe, expect, it } from 'vitest';
import { cloudCallWith } from './cloud-call.js';

describe('cloudCallWith', () => {
  const call = cloudCallWith((error) => `cloud says ${(error as Error).message.toUpperCase()}`);

  it("passes a call's result through", async () => {
    await expect(call('Listing things', async () => 42)).resolves.toBe(42);
  });

  it("names what failed in the cloud's words and keeps the SDK error as the cause", async () => {
    const sdkError = new Error('quota exceeded');
    const failure = await call('Creating thing', async () => {
      throw sdkError;
    }).catch((error: unknown) => error as Error);
    expect(failure.message).toBe('Creating thing failed: cloud says QUOTA EXCEEDED');
    expect(failure.cause).toBe(sdkError);
  });
});
