/** `@stratus/testing/synthetic-provider`: the synthetic provider as a module's default export, for the server to load by name. */
export { syntheticProvider as default } from './synthetic-provider.js';
