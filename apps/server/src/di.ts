import type { Token } from '@stratus/plugin-api';
import type { DependencyContainer } from 'tsyringe';

/** Resolves a typed token (tsyringe's own `resolve` cannot infer the type of a symbol token). */
export function resolve<T>(container: DependencyContainer, token: Token<T>): T {
  return container.resolve<T>(token);
}

/** Resolves a typed token, or `undefined` when nothing registered it (optional services). */
export function resolveOptional<T>(container: DependencyContainer, token: Token<T>): T | undefined {
  return container.isRegistered(token, true) ? container.resolve<T>(token) : undefined;
}

/** Registers a value under a typed token. */
export function registerValue<T>(container: DependencyContainer, token: Token<T>, value: T): void {
  container.registerInstance<T>(token, value);
}
