import { cacheData, type Cache, type KeyParser } from '@stratus/plugin-api';
import { beforeAll, describe, expect, it } from 'vitest';
import { CatsProviderCache } from '../../src/cats/cats-provider-cache.js';
import { CompositeCache } from '../../src/cats/composite-cache.js';
import { MemoryCacheStore } from '../../src/cats/memory-cache-store.js';
import { KeyParserRegistry } from '../../src/providers/key-parser-registry.js';
import { SearchService, type SearchQuery } from '../../src/read/search-service.js';
import { OPEN_ACCESS } from '../../src/security/caller-access.js';
import { accessTo } from './fixtures.js';

/** `aws:serverGroups:<cluster>:<account>:<region>:<name>`, `aws:instances:<account>:<region>:<id>`. */
const awsParser: KeyParser = {
  cloudProvider: 'aws',
  searchableTypes: ['serverGroups', 'instances', 'clusters'],
  urlTemplates: {
    serverGroups: '/applications/{application}/clusters/{account}/{cluster}/{provider}/serverGroups/{serverGroup}?region={region}',
    instances: '/instances/{account}/{region}/{instanceId}',
    clusters: '/applications/{application}/clusters/{account}/{cluster}/{stack}',
  },
  parseKey(key): Record<string, string> | undefined {
    const parts = key.split(':');
    if (parts[0] !== 'aws') return undefined;
    if (parts[1] === 'serverGroups' && parts.length === 6) {
      return {
        provider: 'aws',
        type: 'serverGroups',
        cluster: parts[2]!,
        account: parts[3]!,
        region: parts[4]!,
        serverGroup: parts[5]!,
        application: parts[2]!.split('-')[0]!,
      };
    }
    if (parts[1] === 'instances' && parts.length === 5)
      return { provider: 'aws', type: 'instances', account: parts[2]!, region: parts[3]!, instanceId: parts[4]! };
    if (parts[1] === 'clusters' && parts.length === 5)
      return { provider: 'aws', type: 'clusters', application: parts[2]!, account: parts[3]!, cluster: parts[4]! };
    return undefined;
  },
};

/** Kubernetes-style keys put a path between provider and type: `kubernetes.v2:infrastructure:<kind>:<account>:<namespace>:<name>`. */
const k8sParser: KeyParser = {
  cloudProvider: 'kubernetes',
  searchableTypes: ['deployment'],
  parseKey(key) {
    const parts = key.split(':');
    if (parts[0] !== 'kubernetes.v2' || parts[1] !== 'infrastructure' || parts.length !== 6) return undefined;
    return { type: parts[2]!, account: parts[3]!, namespace: parts[4]!, name: parts[5]! };
  },
};

/** Lists one id without data in `filterIdentifiers`, as a store with informative-only ids or expired items could. */
class ListsGhosts implements Cache {
  constructor(
    private readonly inner: Cache,
    private readonly ghosts: Record<string, string[]>,
  ) {}
  get = (...args: Parameters<Cache['get']>) => this.inner.get(...args);
  getAll = (...args: Parameters<Cache['getAll']>) => this.inner.getAll(...args);
  getAllByIds = (...args: Parameters<Cache['getAllByIds']>) => this.inner.getAllByIds(...args);
  existingIdentifiers = (...args: Parameters<Cache['existingIdentifiers']>) => this.inner.existingIdentifiers(...args);
  getIdentifiers = (...args: Parameters<Cache['getIdentifiers']>) => this.inner.getIdentifiers(...args);
  async filterIdentifiers(type: string, glob: string): Promise<string[]> {
    return [...(await this.inner.filterIdentifiers(type, glob)), ...(this.ghosts[type] ?? [])];
  }
}

let service: SearchService;
const query = (overrides: Partial<SearchQuery>): SearchQuery => ({ q: '', types: [], page: 1, pageSize: 10_000, filters: {}, ...overrides });

beforeAll(async () => {
  const aws = new CatsProviderCache(new MemoryCacheStore('search-test-aws'));
  const k8s = new CatsProviderCache(new MemoryCacheStore('search-test-k8s'));
  const serverGroups = [
    'aws:serverGroups:shop-main:prod:us-east-1:shop-main-v001',
    'aws:serverGroups:shop-main:prod:us-east-1:shop-main-v002',
    'aws:serverGroups:myshop-api:prod:us-west-2:myshop-api-v001',
    'aws:serverGroups:shop-main:secret:us-east-1:shop-main-v009',
    'aws:serverGroups:other-main:prod:us-east-1:other-main-v001',
  ];
  await aws.putCacheResult('prod/test-agent', ['serverGroups', 'instances', 'clusters'], {
    cacheResults: {
      serverGroups: serverGroups.map((id) => cacheData(id, { name: id.split(':').at(-1) })),
      instances: [cacheData('aws:instances:prod:us-east-1:i-shop1', { name: 'i-shop1' })],
      clusters: [cacheData('aws:clusters:shop:prod:Shop-Main', { name: 'Shop-Main' })],
      // Not searchable for aws, so never returned.
      loadBalancers: [cacheData('aws:loadBalancers:prod:us-east-1:shop-lb', { name: 'shop-lb' })],
    },
  });
  await k8s.putCacheResult('k8s/test-agent', ['deployment'], {
    cacheResults: {
      deployment: [cacheData('kubernetes.v2:infrastructure:deployment:k8s:default:shop-web', { name: 'shop-web' })],
      // An aws-looking key in another provider's cache: only the parser of its own prefix claims it.
      serverGroups: [cacheData('other:serverGroups:shop-main:prod:us-east-1:shop-main-v777', { name: 'x' })],
    },
  });
  const cache = new ListsGhosts(new CompositeCache(() => [aws, k8s]), { serverGroups: ['aws:serverGroups:shop-main:prod:us-east-1:shop-main-v000'] });
  const parsers = new KeyParserRegistry();
  parsers.register(awsParser);
  parsers.register(k8sParser);
  service = new SearchService(cache, parsers);
});

describe('SearchService', () => {
  it('finds existing keys of searchable types in every provider, sorted by where the term matches', async () => {
    const [set] = await service.search(OPEN_ACCESS, query({ q: 'shop', types: ['serverGroups', 'deployment'] }));
    expect(set!.totalMatches).toBe(5);
    expect(set!.platform).toBe('aws');
    expect(set!.query).toBe('shop');
    // `shop` sits earlier in `:serverGroups:shop-main:…` than in `:serverGroups:myshop-api:…` or `…:default:shop-web`.
    expect(set!.results.map((r) => r.serverGroup ?? r.name)).toEqual(['shop-main-v001', 'shop-main-v002', 'shop-main-v009', 'myshop-api-v001', 'shop-web']);
    // The ghost id listed by filterIdentifiers has no data and is left out.
    expect(set!.results.some((r) => r.serverGroup === 'shop-main-v000')).toBe(false);
  });

  it('parses keys into result maps with provider and url', async () => {
    const [set] = await service.search(OPEN_ACCESS, query({ q: 'shop-main-v001', types: ['serverGroups'] }));
    expect(set!.results).toEqual([
      {
        provider: 'aws',
        type: 'serverGroups',
        cluster: 'shop-main',
        account: 'prod',
        region: 'us-east-1',
        serverGroup: 'shop-main-v001',
        application: 'shop',
        url: '/applications/shop/clusters/prod/shop-main/aws/serverGroups/shop-main-v001?region=us-east-1',
      },
    ]);
    const [k8s] = await service.search(OPEN_ACCESS, query({ q: 'shop-web' }));
    expect(k8s!.results).toEqual([{ type: 'deployment', account: 'k8s', namespace: 'default', name: 'shop-web', provider: 'kubernetes' }]);
    // A template naming a field the key lacks gives no url.
    const [clusters] = await service.search(OPEN_ACCESS, query({ q: 'shop', types: ['clusters'] }));
    expect(clusters!.results).toEqual([{ provider: 'aws', type: 'clusters', application: 'shop', account: 'prod', cluster: 'Shop-Main' }]);
  });

  it('matches case-insensitively and searches every searchable type when none is given', async () => {
    const [set] = await service.search(OPEN_ACCESS, query({ q: 'SHOP' }));
    expect(set!.results.map((r) => r.type).sort()).toEqual([
      'clusters',
      'deployment',
      'instances',
      'serverGroups',
      'serverGroups',
      'serverGroups',
      'serverGroups',
    ]);
    expect(set!.query).toBe('SHOP');
  });

  it('leaves out keys of accounts the caller cannot READ', async () => {
    const [set] = await service.search(accessTo('prod'), query({ q: 'shop', types: ['serverGroups'] }));
    expect(set!.results.map((r) => r.account)).toEqual(['prod', 'prod', 'prod']);
    expect(set!.totalMatches).toBe(3);
  });

  it('paginates after sorting and reports the total', async () => {
    const types = ['serverGroups', 'deployment'];
    const page1 = (await service.search(OPEN_ACCESS, query({ q: 'shop', types, pageSize: 2, page: 1 })))[0]!;
    const page3 = (await service.search(OPEN_ACCESS, query({ q: 'shop', types, pageSize: 2, page: 3 })))[0]!;
    const page4 = (await service.search(OPEN_ACCESS, query({ q: 'shop', types, pageSize: 2, page: 4 })))[0]!;
    expect(page1.results.map((r) => r.serverGroup)).toEqual(['shop-main-v001', 'shop-main-v002']);
    expect(page3.results.map((r) => r.name)).toEqual(['shop-web']);
    expect(page4.results).toEqual([]);
    expect([page1.totalMatches, page4.totalMatches]).toEqual([5, 5]);
    expect([page3.pageNumber, page3.pageSize]).toEqual([3, 2]);
  });

  it('filters by platform and by key fields', async () => {
    const [k8s] = await service.search(OPEN_ACCESS, query({ q: 'shop', platform: 'kubernetes' }));
    expect(k8s!.results.map((r) => r.name)).toEqual(['shop-web']);
    expect(k8s!.platform).toBe('kubernetes');
    const [west] = await service.search(OPEN_ACCESS, query({ q: 'shop', filters: { region: 'us-west-2,eu-west-1' } }));
    expect(west!.results.map((r) => r.serverGroup)).toEqual(['myshop-api-v001']);
    const [byProvider] = await service.search(OPEN_ACCESS, query({ q: 'i-', types: ['instances'], filters: { cloudProvider: 'aws' } }));
    expect(byProvider!.results.map((r) => r.instanceId)).toEqual(['i-shop1']);
  });

  it('treats glob characters in the term literally', async () => {
    const [set] = await service.search(OPEN_ACCESS, query({ q: 'shop*v001' }));
    expect(set!.totalMatches).toBe(0);
  });
});
