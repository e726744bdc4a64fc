export { FakeAzureServer, type FakeAzureServerOptions, type RecordedAzureRequest } from './fake-azure-server.js';
export {
  FakeAzureCloud,
  AZURE_RESOURCE_TYPES,
  type AzureResource,
  type AzureOperationFailure,
  type AzureLongRunningOperation,
  type FakeAzureCloudOptions,
} from './fake-azure-cloud.js';
export { FakeAzureError } from './fake-azure-error.js';
