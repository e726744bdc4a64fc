import { RouteError, type ProviderRoute, type ProviderRouteRequest } from '@stratus/plugin-api';
import { KubernetesApiError } from '../kubernetes-api-error.js';
import { ManifestRequestError, type KubernetesManifestService } from '../read-models/kubernetes-manifest-service.js';

/** Runs a handler, turning the reader's errors into HTTP answers. */
async function answer<T>(request: ProviderRouteRequest, work: () => Promise<T | undefined>, missing: () => string): Promise<{ body: T }> {
  const account = request.params.account!;
  // As Clouddriver's ACCOUNT READ check; a 404 would hide that the account exists, a 403 says why.
  if (!request.caller.canReadAccount(account)) throw new RouteError(403, `Access denied to account ${account}`);
  try {
    const body = await work();
    // With Fiat, a manifest of an application the caller may not READ is as missing as an absent one.
    if (body === undefined || !readableApplication(request, body)) throw new RouteError(404, missing());
    return { body };
  } catch (error) {
    if (error instanceof ManifestRequestError) throw new RouteError(error.status, error.message);
    // The cluster refused us: say so. Other cluster failures (unreachable, timeouts) are server
    // errors, logged by the server with the request id.
    if (error instanceof KubernetesApiError && error.code === 403) throw new RouteError(403, error.message);
    throw error;
  }
}

/** False when the answer's `moniker.app` is an application the caller may not READ (application permissions from Fiat). */
function readableApplication(request: ProviderRouteRequest, body: unknown): boolean {
  const app = (body as { moniker?: { app?: unknown } } | null)?.moniker?.app;
  return typeof app !== 'string' || !request.caller.canAccessApplication || request.caller.canAccessApplication(app, 'READ');
}

const firstValue = (value: string | readonly string[] | undefined) => (Array.isArray(value) ? value[0] : (value as string | undefined));

/**
 * Clouddriver's `ManifestController` routes: live manifest reads and the cache-backed cluster and
 * dynamic-target lookups Orca uses to find "the newest ReplicaSet of cluster X".
 */
export function kubernetesManifestRoutes(manifests: KubernetesManifestService): ProviderRoute[] {
  const read = (request: ProviderRouteRequest, location: string) =>
    answer(
      request,
      () =>
        manifests.getManifest(request.params.account!, location, request.params.name!, { includeEvents: firstValue(request.query.includeEvents) !== 'false' }),
      () => `manifest ${request.params.name} not found in ${request.params.account}/${location}`,
    );
  return [
    {
      method: 'get',
      path: '/manifests/{account}/{location}/{name}',
      summary: 'A live Kubernetes manifest with status, events, moniker and artifacts (location "_" for cluster-scoped kinds)',
      handle: (request) => read(request, request.params.location!),
    },
    {
      method: 'get',
      path: '/manifests/{account}/{name}',
      summary: 'A live cluster-scoped Kubernetes manifest',
      handle: (request) => read(request, '_'),
    },
    {
      method: 'get',
      path: '/manifests/{account}/{location}/{kind}/cluster/{app}/{cluster}',
      summary: 'Coordinates of the manifests of a kind in a cluster, oldest first',
      handle: (request) =>
        answer(
          request,
          () =>
            manifests.getClusterManifests(
              request.params.account!,
              request.params.location!,
              request.params.kind!,
              request.params.app!,
              request.params.cluster!,
            ),
          () => 'cluster not found',
        ),
    },
    {
      method: 'get',
      path: '/manifests/{account}/{location}/{kind}/cluster/{app}/{cluster}/dynamic/{criteria}',
      summary: 'One manifest of a cluster chosen by newest, second_newest, oldest, largest or smallest',
      handle: (request) =>
        answer(
          request,
          () =>
            manifests.getDynamicTarget(
              request.params.account!,
              request.params.location!,
              request.params.kind!,
              request.params.app!,
              request.params.cluster!,
              request.params.criteria!,
            ),
          () => `no ${request.params.kind} matches ${request.params.criteria} in cluster ${request.params.cluster} of ${request.params.app}`,
        ),
    },
  ];
}
