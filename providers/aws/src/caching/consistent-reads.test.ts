import { authoritative, cacheData, type CacheResult, type ProviderCache } from '@stratus/plugin-api';
import { describe, expect, it } from 'vitest';
import { parseAwsAccount } from '../accounts/aws-account.js';
import { AwsClientFactory } from '../accounts/aws-clients.js';
import { AwsCachingAgent, markAgentChanged, withConsistentReads } from './aws-agent.js';

/** An agent whose describe returns the cloud's state at the moment it started, after a gate opens. */
class SlowAgent extends AwsCachingAgent {
  readonly providedDataTypes = [authoritative('things')];
  cloud = 'old';
  reads = 0;
  gate: Promise<void> = Promise.resolve();
  /** Runs during every describe (after the state was seen). */
  during: () => void = () => {};

  async loadData(_cache: ProviderCache, _context: unknown): Promise<CacheResult> {
    this.reads++;
    const seen = this.cloud;
    this.during();
    await this.gate;
    return { cacheResults: { things: [cacheData('aws:things:x', { state: seen })] } };
  }
}

const agent = () => new SlowAgent({ account: parseAwsAccount({ name: 'prod' }), region: 'us-east-1', clients: new AwsClientFactory() }, 'SlowAgent');
const state = (result: CacheResult) => result.cacheResults.things![0]!.attributes.state;

describe('a scheduled run racing an operation', () => {
  it('reads again when an operation marked the agent changed during its describe, so it never writes back the older state', async () => {
    const a = withConsistentReads(agent());
    let open!: () => void;
    a.gate = new Promise((r) => (open = r));
    const scheduled = a.loadData({} as ProviderCache, { signal: new AbortController().signal });
    // The operation changes the cloud and marks the agent while the scheduled describe is in flight.
    a.cloud = 'new';
    markAgentChanged(a);
    a.gate = Promise.resolve();
    open();
    expect(state(await scheduled)).toBe('new');
    expect(a.reads).toBe(2);
  });

  it('reads once when nothing changed, and at most three times under constant changes', async () => {
    const quiet = withConsistentReads(agent());
    await quiet.loadData({} as ProviderCache, { signal: new AbortController().signal });
    expect(quiet.reads).toBe(1);

    const busy = withConsistentReads(agent());
    busy.during = () => markAgentChanged(busy);
    await busy.loadData({} as ProviderCache, { signal: new AbortController().signal });
    expect(busy.reads).toBe(3);
  });
});
