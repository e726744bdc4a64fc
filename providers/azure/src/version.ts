/** This package's version (kept in step with package.json by the release tooling). */
export const AZURE_PROVIDER_VERSION = '0.1.0';
