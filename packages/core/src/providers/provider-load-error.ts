/** Why a provider could not be loaded or registered; the message always names the provider. */
export class ProviderLoadError extends Error {
  constructor(
    /** The package name or path from config, or the provider id once known. */
    readonly provider: string,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`Provider ${provider} failed to load: ${reason}`, options);
    this.name = 'ProviderLoadError';
  }
}
