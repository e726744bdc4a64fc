/**
 * What a registered regional provider (AWS, GCE, Azure) hands its `onRegistered` callback besides its
 * registrations: tests and route hooks reach the accounts, clients, cluster read model and operation
 * dependencies through it.
 */
export interface RegionalProviderHandle<Accounts, Clients, Clusters, OperationDeps> {
  readonly accounts: Accounts;
  readonly clients: Clients;
  readonly clusters: Clusters;
  readonly operations: OperationDeps;
}
