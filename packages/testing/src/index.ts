export { runCacheStoreContract, type CacheStoreFixture } from './cache-store-contract.js';
export { runSchedulerContract, type SchedulerFixture, type SchedulerFixtureOptions } from './scheduler-contract.js';
export * from './fakes/kubernetes/index.js';
export * from './fakes/gce/index.js';
export * from './fakes/azure/index.js';
export * from './fakes/front50/index.js';
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
export { freePort } from './free-port.js';
export { scratchStoreUnavailable, startScratchMariadb, startScratchPostgres, startScratchRedis, type ScratchStore } from './scratch-store.js';
export { pollUntil, type PollOptions } from './poll-until.js';
export { serverE2e, type ServerE2e } from './server-e2e.js';
export { expectOnDemandRecordProcessedThenEvicted, expectProdCachedBesideFailing, expectServerGroupOnDemandScope } from './server-group-caching-checks.js';
export {
  startStratusProcess,
  stratusServerBin,
  type HttpAnswer,
  type StratusConfig,
  type StratusProcess,
  type StratusProcessOptions,
  type StratusProcessPlace,
} from './server-process.js';
