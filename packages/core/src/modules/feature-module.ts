import type { Token, TokenType } from '@stratus/plugin-api';
import type { DependencyContainer } from 'tsyringe';
import type { ExtensionPoint } from './extension-point.js';

/** Tokens by the names a module wants to use them under. */
export type TokenMap = Readonly<Record<string, Token<unknown>>>;

/** The values of a {@link TokenMap}, by the same names. */
export type ResolvedDeps<D extends TokenMap> = { readonly [K in keyof D]: TokenType<D[K]> };

/**
 * What a module's config schema must offer: zod's `safeParse` (any zod schema fits). Core does not
 * depend on zod; the packages that define schemas do.
 */
export interface ModuleConfigSchema<T> {
  safeParse(input: unknown): { success: true; data: T } | { success: false; error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] } };
}

/** A class whose constructor parameters all name their tokens with `@inject`. */
export type Injectable<T> = new (...args: never[]) => T;

/** What a module gets while it registers. */
export interface ModuleRegistration<TConfig, TDeps extends TokenMap, TRoot> {
  /** The module's own config section, parsed by its schema (`undefined` without a schema). */
  readonly config: TConfig;
  /** The whole configuration, for the few modules that read several sections. */
  readonly root: TRoot;
  /** The tokens of `deps`, resolved: modules listed before this one bound them. */
  readonly deps: ResolvedDeps<TDeps>;
  /** Binds a value. Binding a token another module bound is a startup error naming both. */
  bind<T>(token: Token<T>, value: T): void;
  /** Binds a class as a singleton, built on first resolve from its `@inject` tokens. */
  bindClass<T>(token: Token<T>, implementation: Injectable<T>): void;
  /** Binds a value computed per resolve (settings that a reload may change). */
  bindFactory<T>(token: Token<T>, factory: () => T): void;
  /** Adds to an extension point (storage adapters, route modules …) that a later module collects. */
  contribute<T>(point: ExtensionPoint<T>, value: T): void;
  /** Everything contributed to `point` by the modules registered so far, in their order. */
  collect<T>(point: ExtensionPoint<T>): readonly T[];
  /**
   * The container, for code that resolves by token later (at start, per request). Registering
   * through it bypasses the one-binder check: modules bind with `bind*` only.
   */
  readonly container: DependencyContainer;
}

/**
 * One feature of the server: what config it reads, what it needs, what it registers (Backstage's
 * backend modules, on tsyringe). Nothing else registers services; `startServer` picks modules and
 * runs their lifecycle. See docs/architecture.md, "Feature modules".
 */
export interface FeatureModule<TConfig = unknown, TDeps extends TokenMap = TokenMap, TRoot = unknown> {
  /** Unique, dotted (`storage.redis`, `routes.read`); named in every assembly error. */
  readonly id: string;
  /** The config section this module owns and the schema that parses it; its errors name `<key>.<field>`. */
  readonly config?: { readonly key: string; readonly schema: ModuleConfigSchema<TConfig> };
  /** Whether the configuration turns the module on (default: always). */
  enabled?(root: TRoot): boolean;
  /** Tokens that must be bound (by modules listed before) when `register` runs. */
  readonly deps?: TDeps;
  register(registration: ModuleRegistration<TConfig, TDeps, TRoot>): void | Promise<void>;
}

/** Declares a module; only types the declaration (the assembly does the work). */
export function defineModule<TConfig = undefined, TDeps extends TokenMap = Record<never, never>, TRoot = unknown>(
  module: FeatureModule<TConfig, TDeps, TRoot>,
): FeatureModule<TConfig, TDeps, TRoot> {
  return module;
}
