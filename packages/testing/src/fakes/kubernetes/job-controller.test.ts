import { request } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeKubernetesCluster } from './fake-kubernetes-cluster.js';
import { FakeKubernetesServer } from './fake-kubernetes-server.js';
import { runContainerScript } from './pod-logs.js';

const job = (name: string, script: string) => ({
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: { name },
  spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'busybox', command: ['sh', '-c', script] }] } } },
});

const until = async (check: () => boolean) => {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  expect(check()).toBe(true);
};

describe('fake container scripts', () => {
  it('prints what echo/printf print and exits with exit N', () => {
    expect(runContainerScript({ command: ['sh', '-c', "echo SPINNAKER_PROPERTY_A=1; echo 'two words' && printf 'x=y\\n'"] })).toEqual({
      output: 'SPINNAKER_PROPERTY_A=1\ntwo words\nx=y\n',
      exitCode: 0,
    });
    expect(runContainerScript({ command: ['/bin/sh'], args: ['-c', 'echo failing\nexit 3\necho never'] })).toEqual({ output: 'failing\n', exitCode: 3 });
    expect(runContainerScript({ command: ['echo', 'hello', 'world'] })).toEqual({ output: 'hello world\n', exitCode: 0 });
    expect(runContainerScript({ command: ['nginx'] })).toEqual({ output: '', exitCode: 0 });
  });
});

describe('fake Job controller', () => {
  it('runs a pod to completion: Running, then Succeeded with its log and a Complete Job', async () => {
    const cluster = new FakeKubernetesCluster({ jobDurationMs: 20 });
    cluster.apply(job('ok', 'echo SPINNAKER_PROPERTY_RESULT=done'));
    const jobType = cluster.typeByKind('batch/v1', 'Job');
    const podType = cluster.typeByKind('v1', 'Pod');
    const created = cluster.get(jobType, 'default', 'ok')!;
    expect(created.spec.selector.matchLabels['controller-uid']).toBe(created.metadata!.uid);
    expect(created.status).toMatchObject({ active: 1 });
    const [pod] = cluster.list(podType, 'default', `job-name=ok`);
    expect(pod!.status.phase).toBe('Running');
    await until(() => cluster.get(jobType, 'default', 'ok')!.status.succeeded === 1);
    const done = cluster.get(jobType, 'default', 'ok')!;
    expect(done.status.conditions).toEqual([expect.objectContaining({ type: 'Complete', status: 'True' })]);
    expect(done.status.completionTime).toEqual(expect.any(String));
    const finished = cluster.get(podType, 'default', pod!.metadata!.name)!;
    expect(finished.status.phase).toBe('Succeeded');
    expect(finished.status.containerStatuses[0].state.terminated).toMatchObject({ exitCode: 0, reason: 'Completed' });
    expect(cluster.podLogs.read(finished, null)).toBe('SPINNAKER_PROPERTY_RESULT=done\n');
    const reasons = cluster
      .list(cluster.typeByKind('v1', 'Event'), 'default')
      .filter((e) => e.involvedObject.name === 'ok')
      .map((e) => e.reason);
    expect(reasons).toEqual(expect.arrayContaining(['SuccessfulCreate', 'Completed']));
  });

  it('fails a Job whose container exits non-zero', async () => {
    const cluster = new FakeKubernetesCluster({ jobDurationMs: 20 });
    cluster.apply(job('bad', 'echo boom; exit 2'));
    const jobType = cluster.typeByKind('batch/v1', 'Job');
    await until(() => cluster.get(jobType, 'default', 'bad')!.status.failed === 1);
    expect(cluster.get(jobType, 'default', 'bad')!.status.conditions[0]).toMatchObject({ type: 'Failed', status: 'True', reason: 'BackoffLimitExceeded' });
    const [pod] = cluster.list(cluster.typeByKind('v1', 'Pod'), 'default', 'job-name=bad');
    expect(pod!.status.containerStatuses[0].state.terminated).toMatchObject({ exitCode: 2, reason: 'Error' });
  });
});

describe('pod logs over HTTPS', () => {
  let server: FakeKubernetesServer;
  beforeAll(async () => {
    server = await FakeKubernetesServer.start();
  });
  afterAll(() => server.close());

  const get = (path: string) =>
    new Promise<{ status: number; type: string; text: string }>((resolve, reject) => {
      const req = request(`${server.url}${path}`, { ca: server.certificate.cert, headers: { authorization: 'Bearer fake-token' } }, (res) => {
        let text = '';
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode!, type: String(res.headers['content-type']), text }));
      });
      req.on('error', reject);
      req.end();
    });

  it('serves a container log as text, and the API server 400s/404s', async () => {
    server.cluster.apply({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'two' },
      spec: {
        containers: [
          { name: 'a', image: 'x' },
          { name: 'b', image: 'y' },
        ],
      },
      status: { phase: 'Running' },
    });
    server.cluster.podLogs.set('default', 'two', 'b', 'line 1\nline 2\n');
    expect(await get('/api/v1/namespaces/default/pods/two/log?container=b')).toMatchObject({ status: 200, type: 'text/plain', text: 'line 1\nline 2\n' });
    const ambiguous = await get('/api/v1/namespaces/default/pods/two/log');
    expect(ambiguous.status).toBe(400);
    expect(JSON.parse(ambiguous.text).message).toMatch(/a container name must be specified for pod two, choose one of: \[a b\]/);
    expect((await get('/api/v1/namespaces/default/pods/two/log?container=c')).status).toBe(400);
    expect((await get('/api/v1/namespaces/default/pods/none/log')).status).toBe(404);
  });
});
