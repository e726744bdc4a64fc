import type { KeyParser } from '@stratus/plugin-api';
import { container as rootContainer } from 'tsyringe';
import { describe, expect, it } from 'vitest';
import { CompositeCache } from '../../src/cats/composite-cache.js';
import { MapReadModelRegistry } from '../../src/providers/read-model-registry.js';
import { ApplicationReadService } from '../../src/read/application-read-service.js';
import { KeyParserRegistry } from '../../src/providers/key-parser-registry.js';
import { registerReadServices } from '../../src/read/register-read-services.js';
import { SearchService } from '../../src/read/search-service.js';
import { APPLICATION_READ_SERVICE, SEARCH_SERVICE } from '../../src/read/service-tokens.js';
import { KEY_PARSER_REGISTRY } from '../../src/read/tokens.js';
import { OPEN_ACCESS } from '../../src/security/caller-access.js';
import { CACHE, READ_MODEL_REGISTRY } from '../../src/tokens.js';
import { FakeApplicationModel } from './fixtures.js';

const parser = (cloudProvider: string): KeyParser => ({ cloudProvider, parseKey: () => undefined });

describe('KeyParserRegistry', () => {
  it('keeps parsers in registration order and finds them by cloud provider', () => {
    const registry = new KeyParserRegistry();
    const [aws, k8s, aws2] = [parser('aws'), parser('kubernetes'), parser('aws')];
    registry.register(aws);
    registry.register(k8s);
    registry.register(aws2);
    expect(registry.all()).toEqual([aws, k8s, aws2]);
    expect(registry.forCloudProvider('aws')).toEqual([aws, aws2]);
    expect(registry.forCloudProvider('gce')).toEqual([]);
  });
});

describe('registerReadServices', () => {
  it('registers singletons that resolve their dependencies by token, and keeps services the container already has', async () => {
    const container = rootContainer.createChildContainer();
    const models = new MapReadModelRegistry();
    models.register('aws', 'applications', new FakeApplicationModel([{ name: 'shop', attributes: {}, clusterNames: {} }]));
    container.registerInstance(READ_MODEL_REGISTRY, models);
    container.registerInstance(CACHE, new CompositeCache(() => []));
    container.registerInstance(KEY_PARSER_REGISTRY, new KeyParserRegistry());
    const custom = new ApplicationReadService(new MapReadModelRegistry());
    container.registerInstance(APPLICATION_READ_SERVICE, custom);

    registerReadServices(container);
    registerReadServices(container);

    expect(container.resolve(APPLICATION_READ_SERVICE)).toBe(custom);
    const search = container.resolve<SearchService>(SEARCH_SERVICE);
    expect(search).toBeInstanceOf(SearchService);
    expect(container.resolve(SEARCH_SERVICE)).toBe(search);
    expect((await search.search(OPEN_ACCESS, { q: 'x', types: [], page: 1, pageSize: 10, filters: {} }))[0]!.totalMatches).toBe(0);

    const fresh = rootContainer.createChildContainer();
    fresh.registerInstance(READ_MODEL_REGISTRY, models);
    registerReadServices(fresh);
    expect(
      (await fresh.resolve<ApplicationReadService>(APPLICATION_READ_SERVICE).list(OPEN_ACCESS, { expand: true, restricted: true })).map((a) => a.name),
    ).toEqual(['shop']);
  });
});
