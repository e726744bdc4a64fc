export {
  Front50Error,
  HttpFront50Client,
  type Front50Client,
  type Front50Project,
  type Front50ProjectCluster,
  type HttpFront50ClientOptions,
} from './front50-client.js';
export { Front50SnapshotStore, type Front50SnapshotStoreOptions } from './front50-snapshot-store.js';
export {
  ProjectClustersService,
  nameMatches,
  type ApplicationClustersView,
  type DeployedBuildView,
  type ProjectClusterView,
  type RegionClusterView,
} from './project-clusters-service.js';
export { FRONT50_CLIENT } from './tokens.js';
