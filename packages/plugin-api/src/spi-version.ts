/**
 * The version of the provider SPI defined by this package.
 *
 * A provider declares the SPI version it was built against as `apiVersion` in
 * {@link defineProvider}; the server refuses a provider whose major version differs.
 *
 * 1.1: `ProviderContext.registerRoutes`, `ProviderContext.registerHealthDetails` and the on-demand
 * record helpers.
 * 1.2: artifacts: `ProviderContext.registerArtifactAccountType`, `ArtifactAccount`, `Artifact`,
 * `ArtifactError` and the `ARTIFACT_DOWNLOAD_SERVICE` token.
 * 1.3: application-scoped reads: the optional `Cache.getAllByApplication` and `applicationOfItem`.
 * 1.4: `OperationContext.snapshots` (a `SnapshotStore` over Front50's snapshots) and `InfrastructureSnapshot`;
 *   `ProviderDefinition.parseConfig`: a provider checks its own config block.
 */
export const SPI_VERSION = '1.4.0';

/** The major component of a semver string (`"1.4.2"` → `1`); `NaN` when it has none. */
export function majorVersionOf(version: string): number {
  const match = /^\s*v?(\d+)/.exec(version);
  return match ? Number(match[1]) : Number.NaN;
}
