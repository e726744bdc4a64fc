import { RouteError, type Cache, type ProviderRoute, type RouteCaller } from '@stratus/plugin-api';
import { AZURE, Types } from '../keys.js';

const text = (value: unknown): string | undefined => (typeof value === 'string' && value.length > 0 ? value : undefined);

/** Keeps only the entries of accounts the caller may read. */
function readable(caller: RouteCaller, items: Record<string, unknown>[]): Record<string, unknown>[] {
  return items.filter((item) => typeof item.account !== 'string' || caller.canReadAccount(item.account));
}

/**
 * The Azure endpoints the generic read API has no model for (Clouddriver's NetworkController,
 * SubnetController and the Azure image lookup), read from the cache and filtered by the caller's
 * account READ permission.
 */
export function azureRoutes(cache: Cache): ProviderRoute[] {
  const all = async (type: string) => (await cache.getAll(type, { relationshipPrefixes: [] })).map((item) => item.attributes);
  return [
    {
      method: 'get',
      path: '/networks/azure',
      summary: 'Azure virtual networks',
      async handle({ caller }) {
        const networks = (await all(Types.networks)).map((n) => ({
          cloudProvider: AZURE,
          id: n.name,
          name: n.name,
          account: n.account,
          region: n.region,
          resourceGroup: n.resourceGroup,
          addressSpace: n.addressSpace,
        }));
        return { body: readable(caller, networks) };
      },
    },
    {
      method: 'get',
      path: '/subnets/azure',
      summary: 'Azure subnets',
      async handle({ caller }) {
        const subnets = (await all(Types.subnets)).map((s) => ({
          type: AZURE,
          id: s.id,
          name: s.name,
          account: s.account,
          region: s.region,
          vnet: s.vnet,
          addressPrefix: s.addressPrefix,
          resourceGroup: s.resourceGroup,
        }));
        return { body: readable(caller, subnets) };
      },
    },
    {
      method: 'get',
      path: '/azure/images/find',
      summary: 'Azure managed (custom) images whose name contains q',
      async handle({ query, caller }) {
        const q = text(query.q)?.toLowerCase();
        const account = text(query.account);
        const region = text(query.region);
        const images = (await all(Types.images)).filter(
          (i) => (!q || String(i.imageName).toLowerCase().includes(q)) && (!account || i.account === account) && (!region || i.region === region),
        );
        return { body: readable(caller, images).sort((a, b) => String(a.imageName).localeCompare(String(b.imageName))) };
      },
    },
    {
      method: 'get',
      path: '/azure/images/{account}/{region}/{imageId}',
      summary: "The Azure managed images of that name in the account and region (Clouddriver's AzureVMImageLookupController)",
      async handle({ params, caller }) {
        const { account, region, imageId } = params as { account: string; region: string; imageId: string };
        const missing = `${imageId} not found in ${account}/${region}`;
        if (!caller.canReadAccount(account)) throw new RouteError(404, missing);
        const found = (await all(Types.images)).filter((i) => i.account === account && i.region === region && i.imageName === imageId);
        if (found.length === 0) throw new RouteError(404, missing);
        return { body: found };
      },
    },
  ];
}
