import { defineProvider, monikerOf, RouteError, SPI_VERSION, type AccountCredentials, type ProviderRouteRequest } from '@stratus/plugin-api';

/**
 * A provider with routes only, shaped like Kubernetes' manifest routes, for the application matrix:
 * it answers for any account the caller may read (the synthetic provider's accounts), about any
 * resource name of the `names` it is given (its moniker from the Frigga name).
 * - `/manifests/{account}/{location}/{name}` checks application READ itself, as the Kubernetes
 *   provider does, with its one "not found" message;
 * - `/manifests/{account}/{location}/{kind}/cluster/{app}/{cluster}` names the application in the
 *   path (the server's `{app}` check);
 * - `/manifestish/{account}/items` lists everything with monikers and leaves filtering to the server;
 * - `/manifestish/instances/{account}/{region}/{instanceId}/console` answers any of the `instances`
 *   (ids carry no application: the server finds it through the cached instance).
 */
export function fakeManifestProvider(names: () => readonly string[], instances: () => readonly string[]) {
  const item = (account: string, location: string, name: string) => ({ account, location, name, moniker: monikerOf(name) });
  const readAccount = (request: ProviderRouteRequest) => {
    if (!request.caller.canReadAccount(request.params.account!)) throw new RouteError(403, `Access denied to account ${request.params.account}`);
  };
  return defineProvider({
    id: 'manifestish',
    apiVersion: SPI_VERSION,
    version: '0.0.1',
    register(context) {
      context.registerAccountType<AccountCredentials>({
        cloudProvider: 'manifestish',
        parse: (raw) => ({ name: String(raw.name), cloudProvider: 'manifestish' }),
        agents: () => [],
      });
      context.registerRoutes([
        {
          method: 'get',
          path: '/manifests/{account}/{location}/{name}',
          async handle(request) {
            readAccount(request);
            const { account = '', location = '', name = '' } = request.params;
            const app = monikerOf(name).app;
            const readable = !request.caller.canAccessApplication || request.caller.canAccessApplication(app, 'READ');
            if (!names().includes(name) || !readable) throw new RouteError(404, `manifest ${name} not found in ${account}/${location}`);
            return { body: item(account, location, name) };
          },
        },
        {
          method: 'get',
          path: '/manifests/{account}/{location}/{kind}/cluster/{app}/{cluster}',
          async handle(request) {
            readAccount(request);
            const { account = '', location = '', app = '', cluster = '' } = request.params;
            return {
              body: names()
                .filter((name) => monikerOf(name).app === app && monikerOf(name).cluster === cluster)
                .map((name) => item(account, location, name)),
            };
          },
        },
        {
          method: 'get',
          path: '/manifestish/instances/{account}/{region}/{instanceId}/console',
          async handle(request) {
            const { account = '', instanceId = '' } = request.params;
            if (!request.caller.canReadAccount(account) || !instances().includes(instanceId))
              throw new RouteError(404, `Instance not found (id: ${instanceId})`);
            return { body: { output: `boot log of ${instanceId}` } };
          },
        },
        {
          method: 'get',
          path: '/manifestish/{account}/items',
          async handle(request) {
            readAccount(request);
            return { body: names().map((name) => item(request.params.account!, 'default', name)) };
          },
        },
      ]);
    },
  });
}
