import type { Token } from '@stratus/plugin-api';
import type { DependencyContainer } from 'tsyringe';
import type { ExtensionPoint } from './extension-point.js';
import type { FeatureModule, Injectable, ModuleConfigSchema, ModuleRegistration, TokenMap } from './feature-module.js';
import { ModuleAssemblyError } from './module-assembly-error.js';

export interface ModuleAssemblyOptions<TRoot> {
  /** The whole configuration; each module's `enabled` and config section come from it. */
  readonly root: TRoot;
  /** Where the modules bind; a child of tsyringe's root container, one per server. */
  readonly container: DependencyContainer;
  /** How a config problem is reported (the server's `ConfigError`, so the CLI prints it as one). */
  readonly configError?: (message: string) => Error;
}

/**
 * Registers feature modules in the order given: skips the disabled ones, parses each one's config
 * section, resolves its `deps` (bound by modules before it), and lets it bind. Exactly one module
 * binds each token: a second binder is an error naming both. See docs/architecture.md, "Feature modules".
 */
export class ModuleAssembly<TRoot> {
  readonly #modules: FeatureModule<unknown, TokenMap, TRoot>[] = [];
  readonly #binders = new Map<symbol, string>();
  readonly #contributions = new Map<ExtensionPoint<unknown>, unknown[]>();
  readonly #registered: string[] = [];

  constructor(private readonly options: ModuleAssemblyOptions<TRoot>) {}

  /** Adds modules to the list; an id already listed is an error. (`any`: each module has its own config and deps types.) */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each module has its own config and deps types
  add(...modules: readonly FeatureModule<any, any, TRoot>[]): this {
    for (const module of modules) {
      if (this.#modules.some((listed) => listed.id === module.id)) throw new ModuleAssemblyError(`module "${module.id}" is listed twice`);
      this.#modules.push(module as FeatureModule<unknown, TokenMap, TRoot>);
    }
    return this;
  }

  /** Ids of the modules that registered (the enabled ones), in order. */
  get registered(): readonly string[] {
    return this.#registered;
  }

  /** The module that bound `token`, if any. */
  binderOf(token: Token<unknown>): string | undefined {
    return this.#binders.get(token);
  }

  /** Registers every enabled module, in order. */
  async register(): Promise<void> {
    for (const module of this.#modules) {
      if (module.enabled && !module.enabled(this.options.root)) continue;
      await module.register(this.#registration(module));
      this.#registered.push(module.id);
    }
  }

  #registration(module: FeatureModule<unknown, TokenMap, TRoot>): ModuleRegistration<unknown, TokenMap, TRoot> {
    const { container } = this.options;
    const claim = (token: Token<unknown>) => {
      const earlier = this.#binders.get(token) ?? (container.isRegistered(token, true) ? 'the server' : undefined);
      if (earlier) throw new ModuleAssemblyError(`${tokenName(token)} is bound by both "${earlier}" and "${module.id}"; exactly one module may bind it`);
      this.#binders.set(token, module.id);
    };
    return {
      config: module.config ? this.#parseConfig(module.id, module.config.key, module.config.schema) : undefined,
      root: this.options.root,
      deps: this.#resolveDeps(module),
      bind: (token, value) => {
        claim(token);
        container.registerInstance(token, value);
      },
      bindClass: <T>(token: Token<T>, implementation: Injectable<T>) => {
        claim(token);
        container.registerSingleton<T>(token, implementation as unknown as new (...args: unknown[]) => T);
      },
      bindFactory: (token, factory) => {
        claim(token);
        container.register(token, { useFactory: () => factory() });
      },
      contribute: (point, value) => {
        const list = this.#contributions.get(point as ExtensionPoint<unknown>) ?? [];
        list.push(value);
        this.#contributions.set(point as ExtensionPoint<unknown>, list);
      },
      collect: <T>(point: ExtensionPoint<T>) => [...((this.#contributions.get(point as ExtensionPoint<unknown>) ?? []) as T[])],
      container,
    };
  }

  #resolveDeps(module: FeatureModule<unknown, TokenMap, TRoot>): Record<string, unknown> {
    const resolved: Record<string, unknown> = {};
    for (const [name, token] of Object.entries(module.deps ?? {})) {
      if (!this.options.container.isRegistered(token, true)) {
        throw new ModuleAssemblyError(`module "${module.id}" needs ${tokenName(token)} (deps.${name}), which no module listed before it bound`);
      }
      resolved[name] = this.options.container.resolve(token);
    }
    return resolved;
  }

  #parseConfig(moduleId: string, key: string, schema: ModuleConfigSchema<unknown>): unknown {
    const parsed = schema.safeParse((this.options.root as Record<string, unknown> | undefined)?.[key] ?? {});
    if (parsed.success) return parsed.data;
    const problems = parsed.error.issues.map((issue) => `${[key, ...issue.path.map(String)].join('.')}: ${issue.message}`);
    const message = `Invalid configuration: ${problems.join('; ')} (read by module "${moduleId}")`;
    throw this.options.configError ? this.options.configError(message) : new ModuleAssemblyError(message);
  }
}

function tokenName(token: symbol): string {
  return `token "${(token.description ?? String(token)).replace(/^stratus:/, '')}"`;
}
