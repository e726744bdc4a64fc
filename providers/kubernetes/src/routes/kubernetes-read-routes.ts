import { RouteError, type ProviderRoute, type ProviderRouteRequest } from '@stratus/plugin-api';
import { KubernetesApiError } from '../kubernetes-api-error.js';
import type { KubernetesRuntime } from '../accounts/kubernetes-runtime.js';
import { consoleOutput } from '../read-models/kubernetes-console-output.js';
import type { KubernetesJobProvider } from '../read-models/kubernetes-job-provider.js';
import type { KubernetesRawResourceProvider } from '../read-models/kubernetes-raw-resource-provider.js';
import type { KubernetesServerGroupManagerProvider } from '../read-models/kubernetes-server-group-manager-provider.js';

export interface KubernetesReadRouteServices {
  readonly runtime: KubernetesRuntime;
  readonly jobs: KubernetesJobProvider;
  readonly serverGroupManagers: KubernetesServerGroupManagerProvider;
  readonly rawResources: KubernetesRawResourceProvider;
}

/**
 * A read of one account's resource: unknown and unreadable accounts look the same (404, so the
 * answer does not reveal which accounts exist), the cluster's 403 is passed on, other cluster
 * failures are server errors.
 */
async function accountRead<T>(
  request: ProviderRouteRequest,
  runtime: KubernetesRuntime,
  work: () => Promise<T | undefined>,
  missing: string,
): Promise<{ body: T }> {
  const account = request.params.account!;
  if (!runtime.account(account) || !request.caller.canReadAccount(account)) throw new RouteError(404, missing);
  try {
    const body = await work();
    if (body === undefined) throw new RouteError(404, missing);
    return { body };
  } catch (error) {
    if (error instanceof KubernetesApiError && error.code === 403) throw new RouteError(403, error.message);
    throw error;
  }
}

/**
 * Kubernetes reads Gate and Orca call besides manifests: jobs (Orca's Run Job stage polls, reads
 * output properties and cancels), pod properties, server group managers and raw resources of an
 * application (Deck), and pod console output (Deck's instance details).
 */
// eslint-disable-next-line max-lines-per-function -- one route per Clouddriver Kubernetes read endpoint: the list is the API surface
export function kubernetesReadRoutes(services: KubernetesReadRouteServices): ProviderRoute[] {
  const { runtime, jobs } = services;
  const jobMissing = (request: ProviderRouteRequest) =>
    `Job not found (account: ${request.params.account}, location: ${request.params.location}, id: ${request.params.id})`;
  return [
    {
      method: 'get',
      path: '/applications/{application}/jobs/{account}/{location}/{id}',
      summary: "A Kubernetes Job's status (jobState, pods, failure details), read live",
      handle: (request) =>
        accountRead(request, runtime, () => jobs.collectJob(request.params.account!, request.params.location!, request.params.id!), jobMissing(request)),
    },
    {
      method: 'delete',
      path: '/applications/{application}/jobs/{account}/{location}/{id}',
      summary: 'Cancels a Kubernetes Job (deletes it and its pods)',
      async handle(request) {
        const account = request.params.account!;
        if (!runtime.account(account) || !request.caller.canReadAccount(account)) throw new RouteError(404, jobMissing(request));
        if (!request.caller.canWriteAccount(account)) throw new RouteError(403, `Access denied to account ${account}`);
        // Nothing to cancel is success: Orca cancels on stage timeout and retries errors.
        try {
          await jobs.cancelJob(account, request.params.location!, request.params.id!);
        } catch (error) {
          if (error instanceof KubernetesApiError && error.code === 403) throw new RouteError(403, error.message);
          throw error;
        }
        return { body: null };
      },
    },
    {
      method: 'get',
      path: '/applications/{application}/jobs/{account}/{location}/{id}/{fileName}',
      summary: 'Output properties a Job printed (SPINNAKER_PROPERTY_K=V, SPINNAKER_CONFIG_JSON=…) in the log of container {fileName}',
      handle: (request) =>
        accountRead(
          request,
          runtime,
          () => jobs.getFileContents(request.params.account!, request.params.location!, request.params.id!, request.params.fileName!),
          jobMissing(request),
        ),
    },
    {
      method: 'get',
      path: '/applications/{application}/kubernetes/pods/{account}/{namespace}/{podName}/{fileName}',
      summary: 'Output properties a pod printed in the log of container {fileName}',
      handle: (request) =>
        accountRead(
          request,
          runtime,
          () => jobs.getFileContentsFromPod(request.params.account!, request.params.namespace!, request.params.podName!, request.params.fileName!),
          `Pod not found (account: ${request.params.account}, namespace: ${request.params.namespace}, pod: ${request.params.podName})`,
        ),
    },
    {
      method: 'get',
      path: '/applications/{application}/serverGroupManagers',
      summary: "The application's Kubernetes server group managers (Deployments) with their server groups",
      handle: async (request) => ({
        body: await services.serverGroupManagers.forApplication(request.params.application!, (account) => request.caller.canReadAccount(account)),
      }),
    },
    {
      method: 'get',
      path: '/applications/{application}/rawResources',
      summary: 'Every cached Kubernetes resource of the application',
      handle: async (request) => ({
        body: await services.rawResources.forApplication(request.params.application!, (account) => request.caller.canReadAccount(account)),
      }),
    },
    {
      method: 'get',
      // The server's generic `/instances/{account}/{region}/{instanceId}/console` asks this route
      // (the `/<cloudProvider>/instances/…/console` convention), so AWS and others share that path.
      path: '/kubernetes/instances/{account}/{region}/{instanceId}/console',
      summary: "The logs of a Kubernetes pod's containers (Deck's console output)",
      handle: async (request) => {
        const { body } = await accountRead(
          request,
          runtime,
          () => consoleOutput(runtime, request.params.account!, request.params.region!, request.params.instanceId!),
          `Instance not found (id: ${request.params.instanceId})`,
        );
        return { body: { output: body } };
      },
    },
  ];
}
