import type { ProviderCache, ProviderRouteRequest } from '@stratus/plugin-api';
import { describe, expect, it } from 'vitest';
import { parseKubernetesAccount } from '../accounts/kubernetes-account.js';
import { kubernetesReadRoutes } from './kubernetes-read-routes.js';
import { KubernetesRuntime } from '../accounts/kubernetes-runtime.js';
import { jobNameOf, jobStateOf, KubernetesJobProvider } from '../read-models/kubernetes-job-provider.js';
import type { KubernetesRawResourceProvider } from '../read-models/kubernetes-raw-resource-provider.js';
import type { KubernetesServerGroupManagerProvider } from '../read-models/kubernetes-server-group-manager-provider.js';

// Nothing listens here: every check below must answer before the cluster is called.
const kubeconfig = JSON.stringify({
  apiVersion: 'v1',
  kind: 'Config',
  clusters: [{ name: 'c', cluster: { server: 'https://127.0.0.1:9', 'insecure-skip-tls-verify': true } }],
  users: [{ name: 'u', user: { token: 't' } }],
  contexts: [{ name: 'c', context: { cluster: 'c', user: 'u' } }],
  'current-context': 'c',
});

describe('job state (Clouddriver KubernetesJobStatus rules)', () => {
  it('is Running without a status or below completions, Failed with a Failed condition, else Succeeded', () => {
    expect(jobStateOf({ spec: {} })).toBe('Running');
    expect(jobStateOf({ spec: { completions: 2 }, status: { succeeded: 1 } })).toBe('Running');
    expect(jobStateOf({ spec: {}, status: { failed: 1, conditions: [{ type: 'Failed', status: 'True' }] } })).toBe('Failed');
    expect(jobStateOf({ spec: {}, status: { succeeded: 1 } })).toBe('Succeeded');
  });

  it('takes `job <name>` or a bare name, nothing of another kind', () => {
    expect(jobNameOf('job pi-x7k2q')).toBe('pi-x7k2q');
    expect(jobNameOf('pi')).toBe('pi');
    expect(jobNameOf('pod pi')).toBeUndefined();
  });
});

describe('job routes permissions', () => {
  const runtime = new KubernetesRuntime({} as ProviderCache);
  runtime.add(parseKubernetesAccount({ name: 'team', kubeconfigContents: kubeconfig, namespaces: ['team'] }));
  const routes = kubernetesReadRoutes({
    runtime,
    jobs: new KubernetesJobProvider(runtime),
    serverGroupManagers: {} as KubernetesServerGroupManagerProvider,
    rawResources: {} as KubernetesRawResourceProvider,
  });
  const route = (method: string, path: string) => routes.find((r) => r.method === method && r.path === path)!;
  const request = (account: string, read: boolean, write: boolean, location = 'team'): ProviderRouteRequest => ({
    params: { application: 'app', account, location, id: 'job x', fileName: 'main' },
    query: {},
    body: undefined,
    caller: { canReadAccount: () => read, canWriteAccount: () => write },
  });
  const jobPath = '/applications/{application}/jobs/{account}/{location}/{id}';

  it('hides unknown and unreadable accounts behind 404, and needs WRITE to cancel', async () => {
    await expect(route('get', jobPath).handle(request('nope', true, true))).rejects.toMatchObject({ status: 404 });
    await expect(route('get', jobPath).handle(request('team', false, false))).rejects.toMatchObject({ status: 404 });
    await expect(route('delete', jobPath).handle(request('team', false, false))).rejects.toMatchObject({ status: 404 });
    await expect(route('delete', jobPath).handle(request('team', true, false))).rejects.toMatchObject({ status: 403 });
  });

  it('answers 404 for namespaces the account does not cover, without calling the cluster', async () => {
    await expect(route('get', jobPath).handle(request('team', true, true, 'other'))).rejects.toMatchObject({ status: 404 });
    await expect(route('get', `${jobPath}/{fileName}`).handle(request('team', true, true, 'other'))).rejects.toMatchObject({ status: 404 });
  });
});
