import type { ProviderCache } from '@stratus/plugin-api';
import { Keys, Types } from '../keys.js';

/** The zone of a cached instance, else `fallback` (a description's `zone`); throws naming the instance when neither is known. */
export async function zoneOfInstance(cache: ProviderCache, account: string, region: string, name: string, fallback?: string): Promise<string> {
  const cached = await cache.get(Types.instances, Keys.instance(account, region, name), { relationshipPrefixes: [] });
  const zone = (cached?.attributes.zone as string | undefined) ?? fallback;
  if (!zone) throw new Error(`Instance ${name} is not known in ${account}/${region}; give its zone`);
  return zone;
}
