import type { OperationDefinition } from '@stratus/plugin-api';
import { declaredLoadBalancers } from '../read-models/kubernetes-views.js';
import { BUILT_IN_KINDS } from '../kubernetes-kind.js';
import type { KubernetesRuntime } from '../accounts/kubernetes-runtime.js';
import { str, targetFields, type ManifestTargetDescription } from './manifest-operation-support.js';
import { targetManifestOperation } from './target-manifest-operation.js';

export interface TrafficManifestDescription extends ManifestTargetDescription {
  /** `service <name>` entries; default: the `traffic.spinnaker.io/load-balancers` annotation. */
  readonly loadBalancers: readonly string[];
}

export const LOAD_BALANCERS_ANNOTATION = 'traffic.spinnaker.io/load-balancers';
const SERVICE = BUILT_IN_KINDS.find((k) => k.kind === 'Service')!;
const POD = BUILT_IN_KINDS.find((k) => k.kind === 'Pod')!;

/**
 * `enableManifest` / `disableManifest` for ReplicaSets and StatefulSets, Clouddriver's way: traffic
 * flows through Services whose selectors match the pods, so enabling adds each Service's selector
 * labels to the pod template and the running pods, and disabling removes them. A Service selector
 * must share no key with the workload's own selector (removing one would orphan its pods).
 */
export function trafficManifestOperation(runtime: KubernetesRuntime, enable: boolean): OperationDefinition<TrafficManifestDescription> {
  const phase = enable ? 'ENABLE' : 'DISABLE';
  return targetManifestOperation(runtime, {
    name: enable ? 'enableManifest' : 'disableManifest',
    kinds: ['ReplicaSet', 'StatefulSet'],
    convert: (input) => ({ ...targetFields(input), loadBalancers: Array.isArray(input.loadBalancers) ? input.loadBalancers.map(str) : [] }),
    validate(description, errors) {
      description.loadBalancers.forEach((lb, i) => {
        if (!/^service\s+\S+$/i.test(lb)) errors.reject(`loadBalancers[${i}]`, 'invalid', 'load balancers must be "service <name>"');
      });
    },
    async run(target, description, { task }) {
      const display = target.display;
      const workload = await target.client.get(target.kind, target.namespace, target.name);
      if (!workload) throw new Error(`${display} does not exist in ${target.namespace}`);
      const names = (description.loadBalancers.length > 0 ? description.loadBalancers : declaredLoadBalancers(workload)).map((lb) => lb.split(/\s+/)[1]!);
      if (names.length === 0) throw new Error(`${display} names no load balancers (set loadBalancers or the ${LOAD_BALANCERS_ANNOTATION} annotation)`);
      const ownSelector: Record<string, string> = workload.spec?.selector?.matchLabels ?? {};
      const labels: Record<string, string | null> = {};
      for (const name of names) {
        const service = await target.client.get(SERVICE, target.namespace, name);
        if (!service) throw new Error(`service ${name} does not exist in ${target.namespace}`);
        for (const [key, value] of Object.entries<string>(service.spec?.selector ?? {})) {
          if (key in ownSelector)
            throw new Error(`service ${name} selects on "${key}", which is also in the selector of ${display}; traffic cannot be toggled`);
          labels[key] = enable ? value : null;
        }
      }
      await task.updateStatus(phase, `${enable ? 'Enabling' : 'Disabling'} traffic to ${display} through ${names.map((n) => `service ${n}`).join(', ')}`);
      const manifest = await target.client.patch(target.kind, target.namespace, target.name, { spec: { template: { metadata: { labels } } } }, 'merge');
      const { items: pods } = await target.client.list(POD, target.namespace);
      const owned = pods.filter((pod) => (pod.metadata?.ownerReferences ?? []).some((ref: { uid: string }) => ref.uid === workload.metadata?.uid));
      for (const pod of owned) await target.client.patch(POD, target.namespace, pod.metadata!.name, { metadata: { labels } }, 'merge');
      await task.updateStatus(phase, `${enable ? 'Enabled' : 'Disabled'} ${display} (${owned.length} pods relabelled)`);
      return manifest;
    },
  });
}
