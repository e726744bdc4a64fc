import type { ProviderRoute } from '@stratus/plugin-api';

/** A provider route together with the provider that registered it. */
export interface RegisteredProviderRoute {
  readonly providerId: string;
  readonly route: ProviderRoute;
}

/** The routes providers registered through `ProviderContext.registerRoutes`; the server mounts them. */
export class ProviderRouteRegistry {
  private readonly routes: RegisteredProviderRoute[] = [];

  /**
   * Adds routes; a method + path another provider already registered is refused with an error naming
   * both, unless both name the `{account}` in the same place (Clouddriver's shared per-account paths,
   * such as `/instances/{account}/{region}/{id}/console`): those are shared, and the server hands each
   * request to the provider that owns the account (see {@link accountSegment}).
   */
  register(providerId: string, routes: readonly ProviderRoute[]): void {
    for (const route of routes) {
      const clash = this.routes.find(
        (existing) =>
          existing.route.method === route.method &&
          samePath(existing.route.path, route.path) &&
          (existing.providerId === providerId ||
            accountSegment(existing.route.path) === undefined ||
            accountSegment(existing.route.path) !== accountSegment(route.path)),
      );
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

/** The index of the `{account}` path segment, when the path has one. */
export function accountSegment(path: string): number | undefined {
  const index = path.split('/').indexOf('{account}');
  return index >= 0 ? index : undefined;
}
