import { FakeKubernetesServer, startStratusProcess, type StratusProcess } from '@stratus/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../src/test-support/harness.js';

/**
 * Orca's manifest stages played against the real server process (`POST /kubernetes/ops`, `GET
 * /task/{id}`, the reads Orca polls), with the fake API server as the cluster and the official
 * client in between. The cluster is seeded before the server starts.
 */
const ACCOUNT = 'k8s-ops';
const APP = 'shop';
const USER = { 'X-SPINNAKER-USER': 'alice' };

const configMap = (version: number) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'shop-config', namespace: 'default', annotations: { 'strategy.spinnaker.io/max-version-history': '2' } },
  // Orca's skipExpressionEvaluation kept this text as is; the server never evaluates expressions.
  data: { release: String(version), template: '${trigger.tag}' },
});
const replicaSet = {
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  metadata: { name: 'shop-web', namespace: 'default', annotations: { 'strategy.spinnaker.io/max-version-history': '2' } },
  spec: {
    replicas: 1,
    selector: { matchLabels: { app: 'shop-web' } },
    template: {
      metadata: { labels: { app: 'shop-web' } },
      spec: { containers: [{ name: 'web', image: 'registry.local/shop-web', envFrom: [{ configMapRef: { name: 'shop-config' } }] }] },
    },
  },
};
const image = (tag: string) => ({ type: 'docker/image', name: 'registry.local/shop-web', reference: `registry.local/shop-web:${tag}`, version: tag });

describe('Orca manifest stages against the fake cluster through the real server', () => {
  let fake: FakeKubernetesServer;
  let server: StratusProcess | undefined;
  const call = (method: string, path: string, body?: unknown) => server!.call(method, path, body, USER);

  /** Orca's MonitorKatoTask: poll `/task/{id}` until it completes. */
  async function runOps(ops: unknown[]): Promise<any> {
    const posted = await call('POST', '/kubernetes/ops', ops);
    expect(posted.status, JSON.stringify(posted.body)).toBe(200);
    return eventually(async () => {
      const task = await call('GET', `/task/${posted.body.id}`);
      return task.body?.status?.completed ? task.body : undefined;
    }, 15_000);
  }

  /** Orca's Deploy (Manifest) stage: deploy, wait for every manifest to be stable, clean up artifacts. */
  async function deployStage(release: number) {
    const context = {
      account: ACCOUNT,
      cloudProvider: 'kubernetes',
      moniker: { app: APP },
      manifests: [replicaSet, configMap(release)],
      source: 'text',
      skipExpressionEvaluation: true,
      trafficManagement: { enabled: false, options: { enableTraffic: false, services: [], strategy: 'none' } },
      enableTraffic: true,
      requiredArtifacts: [image(`1.0.${release}`)],
      optionalArtifacts: [],
    };
    const deploy = await runOps([{ deployManifest: context }]);
    expect(deploy.status.failed, JSON.stringify(deploy.resultObjects)).toBe(false);
    const result = deploy.resultObjects[0];
    for (const [namespace, names] of Object.entries<string[]>(result.manifestNamesByNamespace)) {
      for (const name of names) {
        await eventually(
          async () =>
            (await call('GET', `/manifests/${ACCOUNT}/${namespace}/${encodeURIComponent(name)}?includeEvents=false`)).body?.status?.stable?.state === true,
          10_000,
        );
      }
    }
    const cleanup = await runOps([{ cleanupArtifacts: { manifests: result.manifests, account: ACCOUNT } }]);
    expect(cleanup.status.failed, JSON.stringify(cleanup.resultObjects)).toBe(false);
    return { result, cleanup: cleanup.resultObjects[0] };
  }

  beforeAll(async () => {
    fake = await FakeKubernetesServer.start({ jobDurationMs: 300, namespaces: ['default', 'vault'] });
    // The world before the server starts: a Spinnaker-managed Deployment with a pod whose log is known.
    fake.cluster.apply({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: {
        name: 'legacy',
        namespace: 'default',
        annotations: { 'moniker.spinnaker.io/application': APP, 'moniker.spinnaker.io/cluster': 'deployment legacy' },
      },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: 'legacy' } },
        template: {
          metadata: { labels: { app: 'legacy' }, annotations: { 'moniker.spinnaker.io/application': APP } },
          spec: { containers: [{ name: 'app', image: 'legacy:1' }] },
        },
      },
    });
    const [legacyPod] = fake.cluster.list(fake.cluster.typeByKind('v1', 'Pod'), 'default', 'app=legacy');
    fake.cluster.podLogs.set('default', legacyPod!.metadata!.name, 'app', 'started legacy\nlistening on 8080\n');
    fake.cluster.apply({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'vault-cfg', namespace: 'vault', annotations: { 'moniker.spinnaker.io/application': APP } },
      data: {},
    });

    server = await startStratusProcess({
      tempPrefix: 'stratus-k8s-orca-',
      config: {
        security: { users: { alice: ['ops-team'] } },
        kubernetes: {
          enabled: true,
          accounts: [
            {
              name: ACCOUNT,
              kubeconfigContents: fake.kubeconfigYaml(),
              namespaces: ['default'],
              cacheIntervalSeconds: 600,
              permissions: { READ: ['ops-team'], WRITE: ['ops-team'] },
              rawResourcesEndpointConfig: { omitKindExpressions: ['secret'] },
            },
            {
              name: 'k8s-vault',
              kubeconfigContents: fake.kubeconfigYaml(),
              namespaces: ['vault'],
              cacheIntervalSeconds: 600,
              permissions: { READ: ['vault-team'], WRITE: ['vault-team'] },
            },
          ],
        },
      },
    });
    // First relist done: the seeded Deployment is served from the cache.
    await eventually(async () => (await call('GET', `/applications/${APP}/serverGroups`)).body?.length === 1, 15_000);
  }, 90_000);

  afterAll(async () => {
    await server?.stop();
    await fake?.close();
  }, 30_000);

  it('lists the new operations as enabled stages', async () => {
    const stages = (await call('GET', '/features/stages')).body.map((s: { name: string }) => s.name);
    expect(stages).toEqual(expect.arrayContaining(['deployManifest', 'cleanupArtifacts', 'runJob', 'resizeServerGroup']));
  });

  it('Deploy (Manifest) three times with max-version-history 2: binds artifacts, then keeps only the two newest versions', async () => {
    const first = await deployStage(0);
    expect(first.result.manifestNamesByNamespace).toEqual({ default: ['configMap shop-config-v000', 'replicaSet shop-web-v000'] });
    const deployedRs = first.result.manifests.find((m: any) => m.kind === 'ReplicaSet');
    expect(deployedRs.spec.template.spec.containers[0].image).toBe('registry.local/shop-web:1.0.0');
    expect(deployedRs.spec.template.spec.containers[0].envFrom[0].configMapRef.name).toBe('shop-config-v000');
    expect(first.result.boundArtifacts.map((a: any) => `${a.type} ${a.reference}`).sort()).toEqual([
      'docker/image registry.local/shop-web:1.0.0',
      'kubernetes/configMap shop-config-v000',
    ]);
    expect(first.result.createdArtifacts.map((a: any) => [a.type, a.name, a.version, a.reference, a.location])).toEqual([
      ['kubernetes/configMap', 'shop-config', 'v000', 'shop-config-v000', 'default'],
      ['kubernetes/replicaSet', 'shop-web', 'v000', 'shop-web-v000', 'default'],
    ]);
    expect(first.cleanup.manifestNamesByNamespace).toEqual({});
    expect(fake.cluster.get(fake.cluster.typeByKind('v1', 'ConfigMap'), 'default', 'shop-config-v000')!.data).toEqual({
      release: '0',
      template: '${trigger.tag}',
    });

    await deployStage(1);
    const third = await deployStage(2);
    expect(third.result.manifestNamesByNamespace).toEqual({ default: ['configMap shop-config-v002', 'replicaSet shop-web-v002'] });
    expect(third.cleanup.manifestNamesByNamespace).toEqual({ default: ['configMap shop-config-v000', 'replicaSet shop-web-v000'] });
    const names = (kind: string, apiVersion: string) =>
      fake.cluster
        .list(fake.cluster.typeByKind(apiVersion, kind), 'default')
        .map((o) => o.metadata!.name)
        .filter((n: string) => n.startsWith('shop-'));
    expect(names('ReplicaSet', 'apps/v1')).toEqual(['shop-web-v001', 'shop-web-v002']);
    expect(names('ConfigMap', 'v1')).toEqual(['shop-config-v001', 'shop-config-v002']);
    // Spinnaker's view (the watch-fed cache) shows the same two versions.
    const shopGroups = async () =>
      ((await call('GET', `/applications/${APP}/serverGroups`)).body as { name: string }[])
        .map((sg) => sg.name)
        .filter((n) => n.startsWith('replicaSet shop-web'))
        .sort();
    await eventually(async () => JSON.stringify(await shopGroups()) === JSON.stringify(['replicaSet shop-web-v001', 'replicaSet shop-web-v002']), 10_000);
    // Redeploying unchanged content reuses the newest version and deletes nothing more.
    const again = await deployStage(2);
    expect(again.result.manifestNamesByNamespace).toEqual({ default: ['configMap shop-config-v002', 'replicaSet shop-web-v002'] });
    expect(again.cleanup.manifestNamesByNamespace).toEqual({});
    expect(names('ReplicaSet', 'apps/v1')).toEqual(['shop-web-v001', 'shop-web-v002']);
  });

  it('Deploy (Manifest) with source artifact reads the manifests through the artifact accounts', async () => {
    const yaml = ['apiVersion: v1', 'kind: ConfigMap', 'metadata: {name: from-artifact, namespace: default}', 'data: {greeting: hello}', '---', ''].join('\n');
    const manifestArtifact = { type: 'embedded/base64', name: 'manifest.yml', reference: Buffer.from(yaml).toString('base64') };
    const deployed = await runOps([
      {
        deployManifest: {
          account: ACCOUNT,
          cloudProvider: 'kubernetes',
          moniker: { app: APP },
          source: 'artifact',
          manifestArtifact,
          manifestArtifactAccount: 'embedded-artifact',
          requiredArtifacts: [],
          optionalArtifacts: [],
        },
      },
    ]);
    expect(deployed.status.failed, JSON.stringify(deployed.resultObjects)).toBe(false);
    expect(deployed.resultObjects[0].manifestNamesByNamespace).toEqual({ default: ['configMap from-artifact-v000'] });
    expect(fake.cluster.get(fake.cluster.typeByKind('v1', 'ConfigMap'), 'default', 'from-artifact-v000')!.data).toEqual({ greeting: 'hello' });
    // An artifact account that does not exist fails the task with a message naming it.
    const missing = await runOps([
      {
        deployManifest: {
          account: ACCOUNT,
          moniker: { app: APP },
          source: 'artifact',
          manifestArtifact: { type: 'github/file', reference: 'https://example.invalid/x.yml', artifactAccount: 'no-such-github' },
        },
      },
    ]);
    expect(missing.status.failed).toBe(true);
    expect(JSON.stringify(missing)).toContain('no-such-github');
  });

  it('fails a deploy whose required artifact binds nowhere, and refuses an artifact source without its artifact with a 400 naming the field', async () => {
    const task = await runOps([
      {
        deployManifest: {
          account: ACCOUNT,
          moniker: { app: APP },
          manifests: [replicaSet],
          source: 'text',
          requiredArtifacts: [{ type: 'docker/image', name: 'registry.local/other', reference: 'registry.local/other:9' }],
        },
      },
    ]);
    expect(task.status.failed).toBe(true);
    expect(JSON.stringify(task.resultObjects)).toContain('required artifacts could not be bound');
    const refused = await call('POST', '/kubernetes/ops', [{ deployManifest: { account: ACCOUNT, moniker: { app: APP }, source: 'artifact' } }]);
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.body)).toContain('manifestArtifact');
    // A deployed Secret's data never shows in the task (anyone who can read the task would see it).
    const secret = await runOps([
      {
        deployManifest: {
          account: ACCOUNT,
          moniker: { app: APP },
          source: 'text',
          manifests: [{ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db', namespace: 'default' }, data: { password: 'c2VjcmV0' } }],
        },
      },
    ]);
    expect(secret.status.failed).toBe(false);
    expect(secret.resultObjects[0].manifests[0]).toMatchObject({ kind: 'Secret', metadata: { name: 'db-v000' } });
    expect(JSON.stringify(secret)).not.toContain('c2VjcmV0');
    expect(fake.cluster.get(fake.cluster.typeByKind('v1', 'Secret'), 'default', 'db-v000')!.data).toEqual({ password: 'c2VjcmV0' });
    // Red/black needs the previous version to survive the deploy.
    const oneVersion = { ...replicaSet, metadata: { ...replicaSet.metadata, annotations: { 'strategy.spinnaker.io/max-version-history': '1' } } };
    const redBlack = await call('POST', '/kubernetes/ops', [
      {
        deployManifest: {
          account: ACCOUNT,
          moniker: { app: APP },
          manifests: [oneVersion],
          source: 'text',
          services: [],
          enableTraffic: true,
          strategy: 'RED_BLACK',
        },
      },
    ]);
    expect(redBlack.status).toBe(400);
    expect(JSON.stringify(redBlack.body)).toContain('manifests[0].metadata.annotations');
  });

  it('Run Job (Manifest): runs the Job, reports its state and reads SPINNAKER_PROPERTY_* outputs', async () => {
    const job = {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { generateName: 'migrate-', namespace: 'default' },
      spec: {
        backoffLimit: 0,
        template: {
          spec: {
            restartPolicy: 'Never',
            containers: [
              {
                name: 'main',
                image: 'registry.local/migrate',
                command: ['sh', '-c', 'echo migrating; echo SPINNAKER_PROPERTY_SCHEMA_VERSION=42; echo SPINNAKER_CONFIG_JSON={"tables":["a","b"]}'],
              },
            ],
          },
        },
      },
    };
    const task = await runOps([
      {
        runJob: {
          account: ACCOUNT,
          credentials: ACCOUNT,
          application: APP,
          cloudProvider: 'kubernetes',
          source: 'text',
          manifest: job,
          propertyFile: 'main',
          requiredArtifacts: [{ type: 'docker/image', name: 'registry.local/migrate', reference: 'registry.local/migrate:7' }],
          optionalArtifacts: [],
        },
      },
    ]);
    expect(task.status.failed, JSON.stringify(task.resultObjects)).toBe(false);
    const result = task.resultObjects[0];
    const [name] = result.deployedNamesByLocation.default as string[];
    expect(name).toMatch(/^job migrate-[a-z0-9]{5}$/);
    expect(result.manifests[0].spec.template.spec.containers[0].image).toBe('registry.local/migrate:7');

    // Orca's WaitOnJobCompletion: poll the job until it ends, then read the property file.
    const jobPath = `/applications/${APP}/jobs/${ACCOUNT}/default/${encodeURIComponent(name!)}`;
    const first = await call('GET', jobPath);
    expect(first.status).toBe(200);
    expect(['Running', 'Succeeded']).toContain(first.body.jobState);
    const done = await eventually(async () => {
      const answer = await call('GET', jobPath);
      return answer.body?.jobState === 'Succeeded' ? answer.body : undefined;
    }, 10_000);
    expect(done).toMatchObject({
      name: name!.split(' ')[1],
      account: ACCOUNT,
      location: 'default',
      provider: 'kubernetes',
      completionDetails: { exitCode: '', signal: '', message: '', reason: '' },
    });
    expect(done.pods).toEqual([expect.objectContaining({ name: done.mostRecentPodName, status: expect.objectContaining({ phase: 'Succeeded' }) })]);
    const properties = await call('GET', `${jobPath}/main`);
    expect(properties.body).toEqual({ schema_version: '42', tables: ['a', 'b'] });
    const fromPod = await call('GET', `/applications/${APP}/kubernetes/pods/${ACCOUNT}/default/${done.mostRecentPodName}/main`);
    expect(fromPod.body).toEqual({ schema_version: '42', tables: ['a', 'b'] });
    expect((await call('GET', `${jobPath}/nosuchcontainer`)).body).toEqual({});
    // The Job's events, as the manifest view shows them.
    const manifest = await call('GET', `/manifests/${ACCOUNT}/default/${encodeURIComponent(name!)}`);
    expect(manifest.body.events.map((e: { reason: string }) => e.reason)).toEqual(expect.arrayContaining(['SuccessfulCreate', 'Completed']));

    // Cancel: the Job and its pods go away.
    expect((await call('DELETE', jobPath)).status).toBe(200);
    expect(fake.cluster.get(fake.cluster.typeByKind('batch/v1', 'Job'), 'default', name!.split(' ')[1]!)).toBeUndefined();
    expect((await call('GET', jobPath)).status).toBe(404);
  });

  it("reports a failed job with Clouddriver's failure details, and re-runs a named job by recreating it", async () => {
    const named = {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'nightly', namespace: 'default' },
      spec: {
        template: { spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'busybox', command: ['sh', '-c', 'echo bad input; exit 3'] }] } },
      },
    };
    const run = async () => (await runOps([{ runJob: { account: ACCOUNT, application: APP, manifest: named, source: 'text' } }])).resultObjects[0];
    expect((await run()).deployedNamesByLocation).toEqual({ default: ['job nightly'] });
    const jobPath = `/applications/${APP}/jobs/${ACCOUNT}/default/${encodeURIComponent('job nightly')}`;
    const failed = await eventually(async () => {
      const answer = await call('GET', jobPath);
      return answer.body?.jobState === 'Failed' ? answer.body : undefined;
    }, 10_000);
    expect(failed.reason).toBe('BackoffLimitExceeded');
    expect(failed.completionDetails.reason).toBe('BackoffLimitExceeded');
    expect(failed.failureDetails).toContain("Container: 'main' exited with code: 3");
    const firstUid = fake.cluster.get(fake.cluster.typeByKind('batch/v1', 'Job'), 'default', 'nightly')!.metadata!.uid;
    await run();
    expect(fake.cluster.get(fake.cluster.typeByKind('batch/v1', 'Job'), 'default', 'nightly')!.metadata!.uid).not.toBe(firstUid);
    const invalid = await call('POST', '/kubernetes/ops', [
      { runJob: { account: ACCOUNT, application: APP, manifest: { ...named, kind: 'Pod', apiVersion: 'v1' } } },
    ]);
    expect(invalid.status).toBe(400);
    expect(JSON.stringify(invalid.body)).toContain('Only kind of Job is accepted');
  });

  it('Resize Server Group: resizes a ReplicaSet server group and the cache shows the new capacity', async () => {
    const name = 'replicaSet shop-web-v002';
    const current = await eventually(async () => {
      const answer = await call('GET', `/serverGroups/${ACCOUNT}/default/${encodeURIComponent(name)}`);
      return answer.status === 200 ? answer.body : undefined;
    }, 10_000);
    expect(current.capacity).toEqual({ min: 1, max: 1, desired: 1 });
    const task = await runOps([
      {
        resizeServerGroup: {
          serverGroupName: name,
          region: 'default',
          credentials: ACCOUNT,
          cloudProvider: 'kubernetes',
          moniker: { app: APP },
          capacity: { min: 3, max: 3, desired: 3 },
          originalCapacity: current.capacity,
        },
      },
    ]);
    expect(task.status.failed, JSON.stringify(task.resultObjects)).toBe(false);
    expect((await call('POST', '/cache/kubernetes/serverGroup', { account: ACCOUNT, region: 'default', serverGroupName: name })).status).toBeLessThan(300);
    // Orca's WaitForCapacityMatch: the server group reaches the desired size with every instance up.
    const resized = await eventually(async () => {
      const answer = await call('GET', `/applications/${APP}/serverGroups/${ACCOUNT}/default/${encodeURIComponent(name)}`);
      return answer.body?.capacity?.desired === 3 && answer.body.instances.filter((i: { healthState: string }) => i.healthState === 'Up').length === 3
        ? answer.body
        : undefined;
    }, 10_000);
    expect(resized.instanceCounts.up).toBe(3);
    const refused = await call('POST', '/kubernetes/ops', [
      { resizeServerGroup: { serverGroupName: 'daemonSet x', region: 'default', credentials: ACCOUNT, capacity: { desired: 1 } } },
    ]);
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.body)).toContain('serverGroupName');
  });

  it('serves server group managers, raw resources and pod console output, each filtered by account permissions', async () => {
    const managers = (await call('GET', `/applications/${APP}/serverGroupManagers`)).body;
    expect(managers).toHaveLength(1);
    expect(managers[0]).toMatchObject({
      account: ACCOUNT,
      cloudProvider: 'kubernetes',
      name: 'deployment legacy',
      displayName: 'legacy',
      kind: 'deployment',
      apiVersion: 'apps/v1',
      region: 'default',
      namespace: 'default',
      moniker: { app: APP, cluster: 'deployment legacy' },
    });
    expect(managers[0].serverGroups).toEqual([
      expect.objectContaining({ account: ACCOUNT, region: 'default', namespace: 'default', name: expect.stringMatching(/^replicaSet legacy-/) }),
    ]);

    const raw = await eventually(async () => {
      const answer = (await call('GET', `/applications/${APP}/rawResources`)).body as any[];
      return answer.some((r) => r.name === 'configMap shop-config-v002') ? answer : undefined;
    }, 10_000);
    expect(raw.find((r) => r.name === 'deployment legacy')).toMatchObject({
      account: ACCOUNT,
      displayName: 'legacy',
      kind: 'deployment',
      apiVersion: 'apps/v1',
      namespace: 'default',
      region: 'default',
      moniker: { app: APP },
    });
    expect(raw.some((r) => r.account === 'k8s-vault')).toBe(false); // alice cannot read k8s-vault
    expect(raw.some((r) => r.kind === 'secret')).toBe(false); // omitted by the account's rawResourcesEndpointConfig
    expect(raw.some((r) => r.kind === 'pod')).toBe(true);

    const pod =
      managers[0] && (await call('GET', `/applications/${APP}/serverGroups`)).body.find((sg: any) => sg.name.startsWith('replicaSet legacy-')).instances[0];
    const console = await call('GET', `/instances/${ACCOUNT}/default/${encodeURIComponent(pod.name)}/console?provider=kubernetes`);
    expect(console.body).toEqual({ output: [{ name: 'app', output: 'started legacy\nlistening on 8080\n' }] });
    const gone = await call('GET', `/instances/${ACCOUNT}/default/${encodeURIComponent('pod nope')}/console`);
    expect(gone.body).toEqual({ output: [{ name: 'Error', output: 'Failed to retrieve pod data; pod may have been deleted.' }] });

    // Unreadable accounts look like unknown ones.
    expect((await call('GET', `/instances/k8s-vault/vault/${encodeURIComponent(pod.name)}/console`)).status).toBe(404);
    expect((await call('GET', `/applications/${APP}/jobs/k8s-vault/vault/${encodeURIComponent('job x')}`)).status).toBe(404);
    expect((await call('GET', `/applications/${APP}/kubernetes/pods/k8s-vault/vault/p/main`)).status).toBe(404);
    expect((await call('DELETE', `/applications/${APP}/jobs/k8s-vault/vault/${encodeURIComponent('job x')}`)).status).toBe(404);
    const vaultReader = await server!.call('GET', `/applications/${APP}/rawResources`, undefined, { 'X-SPINNAKER-USER': 'nobody' });
    expect(vaultReader.body.some((r: { account: string }) => r.account === ACCOUNT)).toBe(false);
  });
});
