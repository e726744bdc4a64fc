import { describe, expect, it } from 'vitest';
import { manifestStatus } from './manifest-status.js';

const deployment = (spec: Record<string, unknown>, status: Record<string, unknown> | undefined, generation = 1) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', generation },
  spec: { replicas: 2, ...spec },
  status,
});
const settled = { observedGeneration: 1, replicas: 2, updatedReplicas: 2, readyReplicas: 2, availableReplicas: 2 };

describe('manifest status per kind', () => {
  it('Deployment: stable, generation lag, rollout in progress, paused, deadline exceeded', () => {
    expect(manifestStatus(deployment({}, settled))).toEqual({
      stable: { state: true },
      paused: { state: false },
      available: { state: true },
      failed: { state: false },
    });
    expect(manifestStatus(deployment({}, settled, 2)).stable).toEqual({
      state: false,
      message: 'Waiting for status generation to match updated object generation',
    });
    expect(manifestStatus(deployment({}, { ...settled, updatedReplicas: 1 })).stable.message).toBe('Waiting for all replicas to be updated');
    expect(manifestStatus(deployment({}, { ...settled, replicas: 3 })).stable.message).toBe('Waiting for old replicas to finish termination');
    const unavailable = manifestStatus(deployment({}, { ...settled, availableReplicas: 1 }));
    expect(unavailable.available.state).toBe(false);
    expect(unavailable.stable.message).toBe('Waiting for all replicas to be available');
    expect(manifestStatus(deployment({ paused: true }, settled)).paused).toEqual({ state: true, message: 'Deployment is paused' });
    const failed = manifestStatus(deployment({}, { ...settled, conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded' }] }));
    expect(failed.failed).toEqual({ state: true, message: 'Deployment exceeded its progress deadline' });
    expect(manifestStatus(deployment({}, undefined)).stable.message).toBe('No status reported yet');
  });

  it('StatefulSet waits for the update revision; DaemonSet for scheduling; Pod reports failure', () => {
    const sts = {
      kind: 'StatefulSet',
      metadata: { generation: 1 },
      spec: { replicas: 1 },
      status: { observedGeneration: 1, readyReplicas: 1, currentRevision: 'a', updateRevision: 'b' },
    };
    expect(manifestStatus(sts).stable.message).toBe('Waiting for the updated revision to match the current revision');
    const ds = { kind: 'DaemonSet', metadata: { generation: 1 }, status: { observedGeneration: 1, desiredNumberScheduled: 3, updatedNumberScheduled: 2 } };
    expect(manifestStatus(ds).stable.message).toBe('Waiting for all updated replicas to be scheduled');
    expect(manifestStatus({ kind: 'Pod', status: { phase: 'Failed', message: 'OOMKilled' } }).failed).toEqual({ state: true, message: 'OOMKilled' });
    expect(manifestStatus({ kind: 'ConfigMap' }).stable.state).toBe(true);
  });

  it('Job: stable once it completed, failed with a Failed condition, waiting otherwise', () => {
    const job = (status?: Record<string, unknown>) => ({ kind: 'Job', spec: { completions: 2 }, status });
    expect(manifestStatus(job({ succeeded: 2 })).stable.state).toBe(true);
    expect(manifestStatus(job({ succeeded: 1, active: 1 })).stable).toEqual({ state: false, message: 'Waiting for jobs to finish' });
    expect(manifestStatus(job({ failed: 1, conditions: [{ type: 'Failed', status: 'True', message: 'BackoffLimitExceeded' }] })).failed).toEqual({
      state: true,
      message: 'BackoffLimitExceeded',
    });
    expect(manifestStatus(job()).stable.message).toBe('No status reported yet');
  });
});
