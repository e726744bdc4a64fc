export { createExtensionPoint, type ExtensionPoint } from './extension-point.js';
export {
  defineModule,
  type FeatureModule,
  type Injectable,
  type ModuleConfigSchema,
  type ModuleRegistration,
  type ResolvedDeps,
  type TokenMap,
} from './feature-module.js';
export { Lifecycle, SHUTDOWN_STAGES, type ShutdownStage } from './lifecycle.js';
export { ModuleAssembly, type ModuleAssemblyOptions } from './module-assembly.js';
export { ModuleAssemblyError } from './module-assembly-error.js';
export { LIFECYCLE } from './tokens.js';
