export { FakeGceServer, type FakeGceServerOptions, type RecordedGceRequest } from './fake-gce-server.js';
export {
  FakeGceCloud,
  lastSegment,
  type FakeGceCloudOptions,
  type GceResource,
  type GceScope,
  type OperationFailure,
  type OperationMatch,
} from './fake-gce-cloud.js';
export { FakeGceError } from './fake-gce-error.js';
