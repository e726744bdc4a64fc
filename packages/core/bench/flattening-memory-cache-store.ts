/**
 * A prototype for the benchmark, not part of the engine: the memory store, but every id and
 * relationship id is flattened before it is stored.
 *
 * Why: agents build keys with template literals (`${provider}:${type}:${account}:…`), which V8
 * represents as trees of ConsString nodes (32 bytes each, ~6 per key) — and a Map keeps the tree as
 * it is. Coercing the string to a number (`s | 0`, the `flatstr` trick) makes V8 flatten it into one
 * sequential string, and the garbage collector then drops the tree. This is the change the bench
 * proposes for MemoryCacheStore.mergeAll (or CatsProviderCache.normalize).
 */
import type { CacheData } from '@stratus/plugin-api';
import { MemoryCacheStore } from '../src/cats/memory-cache-store.js';

function flatten(value: string): void {
  // The numeric coercion is the point: it forces V8 to flatten the string in place.
  void ((value as unknown as number) | 0);
}

export class FlatteningMemoryCacheStore extends MemoryCacheStore {
  override async mergeAll(type: string, items: readonly CacheData[]): Promise<void> {
    for (const item of items) {
      flatten(item.id);
      for (const name in item.relationships) for (const id of item.relationships[name]!) flatten(id);
    }
    return super.mergeAll(type, items);
  }
}
