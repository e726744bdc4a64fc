import type { CacheData, CacheResult } from '@stratus/plugin-api';
import { Prng, seedFrom } from './prng.js';
import { serverGroupName } from '@stratus/plugin-api';
import { SyntheticKeys } from './synthetic-keys.js';

export interface SyntheticResultsOptions {
  /** How many caching agents write (each one account/region). */
  readonly agents: number;
  /** Items each agent returns per cycle (clusters + server groups + instances). */
  readonly resourcesPerAgent: number;
  /** The share of items whose attributes change from one cycle to the next (default 0.01). */
  readonly changedFraction?: number;
  readonly seed?: number;
  /** Instances per server group (default 9), which sets the mix of types. */
  readonly instancesPerServerGroup?: number;
  /** Regions per account (default 4): agents of one account share cluster items, informatively. */
  readonly regionsPerAccount?: number;
}

/** One agent's result for one cycle, ready for `putCacheResult(agentType, authoritativeTypes, result)`. */
export interface SyntheticAgentResult {
  readonly agentType: string;
  readonly authoritativeTypes: readonly string[];
  readonly result: CacheResult;
  /** Items in `result` (all types). */
  readonly itemCount: number;
  /** Items whose attributes differ from the previous cycle. */
  readonly changedCount: number;
}

/**
 * Cache results as a fleet of cluster caching agents would return them, for benchmarks of the CATS
 * engine and its stores (memory, Redis, SQL). Results are built lazily per agent and cycle, so the
 * generator itself holds no data: cycle 0 is the cold write, each later cycle returns the same items
 * with `changedFraction` of them carrying changed attributes. Everything is derived from the seed.
 *
 * Each agent is authoritative for `serverGroups` and `instances` and informative for `clusters`,
 * which the agents of one account contribute to across regions (as AWS's ClusterCachingAgent does).
 */
export class SyntheticResults {
  readonly agents: number;
  readonly resourcesPerAgent: number;
  readonly changedFraction: number;
  private readonly seed: number;
  private readonly regionsPerAccount: number;
  private readonly serverGroupCount: number;
  private readonly clusterCount: number;
  private readonly instanceCount: number;

  constructor(options: SyntheticResultsOptions) {
    if (!Number.isInteger(options.agents) || options.agents < 1) throw new Error('agents must be a positive integer');
    if (!Number.isInteger(options.resourcesPerAgent) || options.resourcesPerAgent < 3) {
      throw new Error('resourcesPerAgent must be an integer of at least 3');
    }
    const changed = options.changedFraction ?? 0.01;
    if (!(changed >= 0 && changed <= 1)) throw new Error('changedFraction must be between 0 and 1');
    this.agents = options.agents;
    this.resourcesPerAgent = options.resourcesPerAgent;
    this.changedFraction = changed;
    this.seed = options.seed ?? 42;
    this.regionsPerAccount = Math.max(1, options.regionsPerAccount ?? 4);
    const perServerGroup = Math.max(0, options.instancesPerServerGroup ?? 9);
    this.serverGroupCount = Math.max(1, Math.floor(this.resourcesPerAgent / (1.25 + perServerGroup)));
    this.clusterCount = Math.max(1, Math.ceil(this.serverGroupCount / 4));
    this.instanceCount = this.resourcesPerAgent - this.serverGroupCount - this.clusterCount;
  }

  get totalResources(): number {
    return this.agents * this.resourcesPerAgent;
  }

  /** Distinct cache items after a cycle: agents of one account write the same cluster items. */
  get distinctItems(): number {
    const accounts = Math.ceil(this.agents / this.regionsPerAccount);
    return this.agents * (this.serverGroupCount + this.instanceCount) + accounts * this.clusterCount;
  }

  accountOf(agentIndex: number): string {
    return `bench${Math.floor(agentIndex / this.regionsPerAccount)}`;
  }

  regionOf(agentIndex: number): string {
    return `region-${agentIndex % this.regionsPerAccount}`;
  }

  agentType(agentIndex: number): string {
    return `${this.accountOf(agentIndex)}/${this.regionOf(agentIndex)}/SyntheticClusterCachingAgent`;
  }

  /** Agent `agentIndex`'s result in `cycle` (0 = cold). */
  result(agentIndex: number, cycle = 0): SyntheticAgentResult {
    const account = this.accountOf(agentIndex);
    const region = this.regionOf(agentIndex);
    const generations = this.generationsOf(agentIndex, cycle);
    const rng = new Prng(seedFrom(this.seed, agentIndex));
    const baseTime = 1_700_000_000_000 + rng.int(0, 86_400_000);
    const app = `app${Math.floor(agentIndex / this.regionsPerAccount)}`;

    const clusterNames: string[] = [];
    for (let c = 0; c < this.clusterCount; c++) clusterNames.push(`${app}-c${c}`);
    const sgNames: string[] = [];
    const sgKeys: string[] = [];
    for (let s = 0; s < this.serverGroupCount; s++) {
      const name = serverGroupName(clusterNames[s % this.clusterCount]!, Math.floor(s / this.clusterCount));
      sgNames.push(name);
      sgKeys.push(SyntheticKeys.serverGroup(account, region, name));
    }
    const instanceIds: string[] = [];
    const instanceKeysBySg: string[][] = sgNames.map(() => []);
    for (let i = 0; i < this.instanceCount; i++) {
      const id = ['i-', rng.hex(17)].join(''); // flat, as ids parsed from an API response are
      instanceIds.push(id);
      instanceKeysBySg[i % this.serverGroupCount]!.push(SyntheticKeys.instance(account, region, id));
    }

    let index = 0;
    let changedCount = 0;
    const generationOf = () => {
      const generation = generations.get(index++) ?? 0;
      if (generation === cycle && cycle > 0) changedCount++;
      return generation;
    };

    const clusters: CacheData[] = clusterNames.map((cluster, c) => ({
      id: SyntheticKeys.cluster(app, account, cluster),
      ttlSeconds: -1,
      attributes: { name: cluster, application: app, account, generation: generationOf() },
      relationships: { serverGroups: sgKeys.filter((_, s) => s % this.clusterCount === c) },
    }));
    const serverGroups: CacheData[] = sgNames.map((name, s) => {
      const desired = instanceKeysBySg[s]!.length;
      return {
        id: sgKeys[s]!,
        ttlSeconds: -1,
        attributes: {
          name,
          account,
          region,
          application: app,
          cluster: clusterNames[s % this.clusterCount],
          createdTime: baseTime + s * 60_000,
          disabled: false,
          capacity: { min: desired, max: desired, desired },
          instanceType: 'm5.large',
          imageId: `ami-${(s * 7919).toString(16).padStart(8, '0')}`,
          zones: [`${region}a`, `${region}b`],
          tags: { owner: `${app}-team`, stack: 'main' },
          generation: generationOf(),
        },
        relationships: {
          instances: instanceKeysBySg[s]!,
          clusters: [SyntheticKeys.cluster(app, account, clusterNames[s % this.clusterCount]!)],
        },
      };
    });
    const instances: CacheData[] = instanceIds.map((id, i) => ({
      id: SyntheticKeys.instance(account, region, id),
      ttlSeconds: -1,
      attributes: {
        instanceId: id,
        account,
        region,
        zone: `${region}${i % 2 === 0 ? 'a' : 'b'}`,
        launchTime: baseTime + i * 1000,
        healthState: 'Up',
        instanceType: 'm5.large',
        privateIpAddress: `10.${agentIndex % 256}.${(i >> 8) & 255}.${i & 255}`,
        serverGroup: sgNames[i % this.serverGroupCount],
        generation: generationOf(),
      },
      relationships: { serverGroups: [sgKeys[i % this.serverGroupCount]!] },
    }));

    return {
      agentType: this.agentType(agentIndex),
      authoritativeTypes: ['serverGroups', 'instances'],
      result: { cacheResults: { clusters, serverGroups, instances } },
      itemCount: clusters.length + serverGroups.length + instances.length,
      changedCount,
    };
  }

  /** Every agent's result for a cycle, one at a time. */
  *results(cycle = 0): Generator<SyntheticAgentResult> {
    for (let a = 0; a < this.agents; a++) yield this.result(a, cycle);
  }

  /** item index → the last cycle (≤ `cycle`) in which it changed; items never changed are absent. */
  private generationsOf(agentIndex: number, cycle: number): Map<number, number> {
    const generations = new Map<number, number>();
    const perCycle = Math.round(this.resourcesPerAgent * this.changedFraction);
    for (let c = 1; c <= cycle; c++) {
      const rng = new Prng(seedFrom(this.seed, agentIndex, 'cycle', c));
      const picked = new Set<number>();
      while (picked.size < perCycle) picked.add(rng.int(0, this.resourcesPerAgent - 1));
      for (const index of picked) generations.set(index, c);
    }
    return generations;
  }
}

/** Creates the benchmark data set; see {@link SyntheticResults}. */
export function generateSyntheticResults(options: SyntheticResultsOptions): SyntheticResults {
  return new SyntheticResults(options);
}
