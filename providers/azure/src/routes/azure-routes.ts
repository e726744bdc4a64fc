import { RouteError, type Cache, type ProviderRoute } from '@stratus/plugin-api';
import { cachedAttributes, pickFields, queryText, readableEntries, readableListRoute } from '@stratus/provider-kit';
import { AZURE, Types } from '../keys.js';

/**
 * The Azure endpoints the generic read API has no model for (Clouddriver's NetworkController,
 * SubnetController and the Azure image lookup), read from the cache and filtered by the caller's
 * account READ permission.
 */
export function azureRoutes(cache: Cache): ProviderRoute[] {
  const all = (type: string) => cachedAttributes(cache, type);
  return [
    readableListRoute('/networks/azure', 'Azure virtual networks', async () =>
      (await all(Types.networks)).map((n) => ({
        cloudProvider: AZURE,
        id: n.name,
        ...pickFields(n, ['name', 'account', 'region', 'resourceGroup', 'addressSpace']),
      })),
    ),
    readableListRoute('/subnets/azure', 'Azure subnets', async () =>
      (await all(Types.subnets)).map((s) => ({ type: AZURE, ...pickFields(s, ['id', 'name', 'account', 'region', 'vnet', 'addressPrefix', 'resourceGroup']) })),
    ),
    {
      method: 'get',
      path: '/azure/images/find',
      summary: 'Azure managed (custom) images whose name contains q',
      async handle({ query, caller }) {
        const q = queryText(query.q)?.toLowerCase();
        const account = queryText(query.account);
        const region = queryText(query.region);
        const images = (await all(Types.images)).filter(
          (i) => (!q || String(i.imageName).toLowerCase().includes(q)) && (!account || i.account === account) && (!region || i.region === region),
        );
        return { body: readableEntries(caller, images).sort((a, b) => String(a.imageName).localeCompare(String(b.imageName))) };
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
