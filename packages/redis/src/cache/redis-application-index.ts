import type { Redis } from 'ioredis';
import { LuaScript } from '../connection/lua-script.js';
import type { RespBatch } from '../connection/resp-batch.js';

/**
 * The per-application id sets (`…:<type>:app:<application>`) behind `getAllByApplication`. Writers
 * add an item's id to its application's set whenever they write the item; nothing removes ids on
 * eviction or when an item moves to another application (a write never knows the old one without a
 * read). Readers therefore re-check each item's application and drop ids whose item is gone, with
 * {@link PURGE_GONE_IDS}, which removes an id only if its item still does not exist at that moment
 * (a concurrent writer re-creating it keeps its entry).
 */
export const PURGE_GONE_IDS = new LuaScript(
  'purge-gone-application-ids',
  `local removed = 0
for i = 2, #KEYS do
  if redis.call('EXISTS', KEYS[i]) == 0 then
    removed = removed + redis.call('SREM', KEYS[1], ARGV[i - 1])
  end
end
return removed`,
);

/** SADDs every written item with an application to its application's set, one command per application. */
export function addApplicationIds(
  commands: RespBatch,
  setKey: (application: string) => string,
  items: readonly { readonly id: string; readonly application: string | undefined }[],
  chunkSize: number,
): void {
  const byApplication = new Map<string, string[]>();
  for (const item of items) {
    if (item.application === undefined) continue;
    let ids = byApplication.get(item.application);
    if (!ids) byApplication.set(item.application, (ids = []));
    ids.push(item.id);
  }
  for (const [application, ids] of byApplication) {
    for (let i = 0; i < ids.length; i += chunkSize) commands.variadic('SADD', setKey(application), ids.slice(i, i + chunkSize));
  }
}

/** Drops ids whose item no longer exists from an application set (checked atomically per id). */
export async function purgeGoneIds(redis: Redis, setKey: string, itemKeyOf: (id: string) => string, ids: readonly string[]): Promise<void> {
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    await PURGE_GONE_IDS.run(redis, [setKey, ...chunk.map(itemKeyOf)], chunk);
  }
}
