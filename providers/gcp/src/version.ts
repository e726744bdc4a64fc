/** This package's version (kept in step with package.json by the release tooling). */
export const GCE_PROVIDER_VERSION = '0.1.0';
