/** This package's version, reported by `/health` and the startup log. Keep in step with package.json. */
export const DOCKER_REGISTRY_PROVIDER_VERSION = '0.1.0';
