export { runCacheStoreContract, type CacheStoreFixture } from './cache-store-contract.js';
export { runSchedulerContract, type SchedulerFixture, type SchedulerFixtureOptions } from './scheduler-contract.js';
export * from './fakes/kubernetes/index.js';
export * from './fakes/gce/index.js';
export * from './fakes/azure/index.js';
export { runTaskRepositoryContract, type TaskRepositoryFixture } from './task-repository-contract.js';
export * from './synthetic/index.js';
export {
  CONFORMANCE_CHECKS,
  prepareConformanceSubject,
  runProviderConformance,
  type ConformanceCheck,
  type ConformanceSubject,
  type ProviderConformanceOptions,
} from './provider-conformance.js';
