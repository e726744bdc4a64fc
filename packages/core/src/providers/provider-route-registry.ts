import type { ProviderRoute } from '@stratus/plugin-api';

/** A provider route together with the provider that registered it. */
export interface RegisteredProviderRoute {
  readonly providerId: string;
  readonly route: ProviderRoute;
}

/** The routes providers registered through `ProviderContext.registerRoutes`; the server mounts them. */
export class ProviderRouteRegistry {
  private readonly routes: RegisteredProviderRoute[] = [];

  /** Adds routes; a method + path another provider already registered is refused with an error naming both. */
  register(providerId: string, routes: readonly ProviderRoute[]): void {
    for (const route of routes) {
      const clash = this.routes.find((existing) => existing.route.method === route.method && samePath(existing.route.path, route.path));
      if (clash) {
        throw new Error(`route ${route.method.toUpperCase()} ${route.path} of provider ${providerId} is already registered by provider ${clash.providerId}`);
      }
      this.routes.push({ providerId, route });
    }
  }

  all(): readonly RegisteredProviderRoute[] {
    return this.routes;
  }
}

/** Paths that differ only in parameter names are the same route. */
function samePath(a: string, b: string): boolean {
  const shape = (path: string) => path.replace(/\{[^}]+\}/g, '{}');
  return shape(a) === shape(b);
}
