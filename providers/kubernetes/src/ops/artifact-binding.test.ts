import { describe, expect, it } from 'vitest';
import { bindArtifacts, dockerImageName, type Artifact } from './artifact-binding.js';

const image = (name: string, reference: string): Artifact => ({ type: 'docker/image', name, reference });
const config = (name: string, reference: string, location = 'prod', account?: string): Artifact => ({
  type: 'kubernetes/configMap',
  name,
  reference,
  location,
  ...(account ? { metadata: { account } } : {}),
});

describe('dockerImageName (Clouddriver name-from-reference)', () => {
  it('strips a digest, else everything after the last colon', () => {
    expect(dockerImageName('gcr.io/p/app@sha256:abc')).toBe('gcr.io/p/app');
    expect(dockerImageName('gcr.io/p/app:1.2')).toBe('gcr.io/p/app');
    expect(dockerImageName('app')).toBe('app');
    expect(dockerImageName('localhost:5000/app')).toBe('localhost');
  });
});

describe('bindArtifacts', () => {
  const cronJob = () => ({
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name: 'c' },
    spec: {
      jobTemplate: {
        spec: {
          template: {
            spec: {
              initContainers: [{ name: 'init', image: 'tools:old', env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'x' } } }] }],
              containers: [{ name: 'main', image: 'app', envFrom: [{ secretRef: { name: 'creds' } }] }],
              volumes: [
                { name: 'v', projected: { sources: [{ configMap: { name: 'cfg' } }, { secret: { name: 'creds' } }] } },
                { name: 's', secret: { secretName: 'creds' } },
              ],
            },
          },
        },
      },
    },
  });

  it('replaces images by name and config/secret references at every place Clouddriver looks', () => {
    const manifest = cronJob();
    const bound = bindArtifacts(
      manifest,
      [
        image('app', 'app:2'),
        image('tools', 'tools:9'),
        config('cfg', 'cfg-v004'),
        { type: 'kubernetes/secret', name: 'creds', reference: 'creds-v001', location: 'prod' },
        image('unused', 'unused:1'),
      ],
      'prod',
      'acct',
    );
    expect(bound.map((a) => a.reference)).toEqual(['app:2', 'tools:9', 'cfg-v004', 'creds-v001']);
    const spec = manifest.spec.jobTemplate.spec.template.spec;
    expect(spec.containers[0]!.image).toBe('app:2');
    expect(spec.initContainers[0]!.image).toBe('tools:9');
    expect(spec.initContainers[0]!.env[0]!.valueFrom.configMapKeyRef.name).toBe('cfg-v004');
    expect(spec.containers[0]!.envFrom[0]!.secretRef.name).toBe('creds-v001');
    expect(spec.volumes[0]!.projected!.sources.map((s: any) => s.configMap?.name ?? s.secret?.name)).toEqual(['cfg-v004', 'creds-v001']);
    expect(spec.volumes[1]!.secret!.secretName).toBe('creds-v001');
  });

  it('binds Kubernetes artifacts only from the same namespace and account', () => {
    const manifest = cronJob();
    expect(bindArtifacts(manifest, [config('cfg', 'cfg-v1', 'staging'), config('cfg', 'cfg-v2', 'prod', 'other-account')], 'prod', 'acct')).toEqual([]);
    expect(bindArtifacts(manifest, [config('cfg', 'cfg-v3', 'prod', 'acct')], 'prod', 'acct').map((a) => a.reference)).toEqual(['cfg-v3']);
  });

  it("matches a bare pod's images only by their whole reference", () => {
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p' },
      spec: {
        containers: [
          { name: 'a', image: 'app:1' },
          { name: 'b', image: 'app' },
        ],
      },
    };
    expect(bindArtifacts(pod, [image('app', 'app:2')], 'prod', 'acct')).toHaveLength(1);
    expect(pod.spec.containers.map((c) => c.image)).toEqual(['app:1', 'app:2']);
  });
});
