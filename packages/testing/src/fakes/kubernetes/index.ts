export { FakeKubernetesServer, type FakeKubernetesServerOptions, type RecordedRequest } from './fake-kubernetes-server.js';
export {
  FakeKubernetesCluster,
  type ClusterEvent,
  type FakeKubernetesClusterOptions,
  type KubeObject,
  type WatchEventType,
} from './fake-kubernetes-cluster.js';
export { FakeApiError } from './fake-api-error.js';
export { FAKE_RESOURCE_TYPES, CRON_TAB_TYPE, apiVersionOf, type FakeResourceType } from './resource-types.js';
export { makeSelfSignedCertificate, type SelfSignedCertificate } from './self-signed-certificate.js';
export { applyJsonPatch, JsonPatchError, type JsonPatchOperation } from './apply-json-patch.js';
export { applyMergePatch } from './apply-merge-patch.js';
export { parseLabelSelector, parseFieldSelector, matchesLabels } from './label-selector.js';
export { templateHash } from './workload-controller.js';
export { PodLogs, runContainerScript, type ScriptResult } from './pod-logs.js';
export { JobController } from './job-controller.js';
export { FakeRbac, type ForbidRule } from './fake-rbac.js';
export { CUSTOM_RESOURCE_DEFINITION_TYPE, customResourceDefinition, typesOfCrd } from './crd-types.js';
