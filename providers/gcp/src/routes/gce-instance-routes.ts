import { RouteError, type Cache, type ProviderRoute, type ProviderRouteRequest } from '@stratus/plugin-api';
import type { GceAccountRegistry } from '../accounts/gce-account-registry.js';
import type { GceClientFactory } from '../accounts/gce-clients.js';
import { Keys, Types } from '../keys.js';
import { gceCall, gceErrorStatus } from '../operations.js';
import type { GceLookups } from './gce-lookups.js';

/** The GCE account a request names, when it exists and the caller may read it; 404 otherwise (an unreadable account is not revealed). */
function readableAccount(accounts: GceAccountRegistry, request: ProviderRouteRequest, missing: string) {
  const account = accounts.get(request.params.account!);
  if (!account || !request.caller.canReadAccount(account.name)) throw new RouteError(404, missing);
  return account;
}

/**
 * Per-account GCE reads on paths other providers share (the server hands a request to the provider
 * of the named account): an image by name, and an instance's serial port 1 output (Deck's "Console
 * output", Clouddriver's `GoogleInstanceProvider.getConsoleOutput`).
 */
export function gceInstanceRoutes(accounts: GceAccountRegistry, clients: GceClientFactory, cache: Cache, lookups: GceLookups): ProviderRoute[] {
  return [
    {
      method: 'get',
      // The server's generic `/instances/{account}/{region}/{instanceId}/console` asks every
      // `/<cloudProvider>/instances/…/console` route in turn (AWS, Kubernetes and this one).
      path: '/gce/instances/{account}/{region}/{instanceId}/console',
      summary: "A GCE instance's serial port output",
      async handle(request) {
        const { region, instanceId: id } = request.params as { region: string; instanceId: string };
        const missing = `Instance not found (account: ${request.params.account}, region: ${region}, id: ${id})`;
        const account = readableAccount(accounts, request, missing);
        const cached = await cache.get(Types.instances, Keys.instance(account.name, region, id), { relationshipPrefixes: [] });
        const zone = cached?.attributes.zone as string | undefined;
        if (!zone) throw new RouteError(404, missing);
        const api = clients.forAccount(account);
        const [output] = await gceCall(`Reading the serial port output of ${id}`, () =>
          api.instances.getSerialPortOutput({ project: account.project, zone, instance: id, port: 1 }, api.callOptions).catch((error: unknown) => {
            // Cached but gone from the cloud since: as missing as an unknown instance.
            if (gceErrorStatus(error) === 404) throw new RouteError(404, missing);
            throw error;
          }),
        ).catch((error: unknown) => {
          throw error instanceof Error && error.cause instanceof RouteError ? error.cause : error;
        });
        return { body: { output: output.contents ?? '' } };
      },
    },
    {
      method: 'get',
      path: '/gce/images/{account}/{region}/{imageId}',
      summary: 'The GCE images of that name readable by the account (images are global: the region is not used)',
      async handle(request) {
        const missing = `${request.params.imageId} not found in ${request.params.account}/${request.params.region}`;
        const account = readableAccount(accounts, request, missing);
        const found = (await lookups.findImages({ account: account.name, q: request.params.imageId })).filter((i) => i.imageName === request.params.imageId);
        if (found.length === 0) throw new RouteError(404, missing);
        return { body: found };
      },
    },
  ];
}
