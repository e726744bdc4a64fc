import { defineModule, type FeatureModule, type TokenMap } from '@stratus/core';
import type { StratusConfig } from '../config/config-schema.js';

/** A module of the server: `enabled` and `root` see the server's parsed configuration. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each module has its own config section and deps types; the list holds them all
export type ServerModule = FeatureModule<any, any, StratusConfig>;

/** `defineModule` with the server's configuration as the root (`any` above: each module has its own config and deps types). */
export function defineServerModule<TConfig = undefined, TDeps extends TokenMap = Record<never, never>>(
  module: FeatureModule<TConfig, TDeps, StratusConfig>,
): FeatureModule<TConfig, TDeps, StratusConfig> {
  return defineModule(module);
}
