import { CLUSTER_READ_SERVICE, FRONT50_CLIENT, Front50Error, OPEN_ACCESS, type CallerAccess, type SearchResultSet } from '@stratus/core';
import type { DependencyContainer } from 'tsyringe';
import { resolve, resolveOptional } from '../di.js';

/** The search type Front50 answers (Clouddriver's `ApplicationSearchProvider`). */
const APPLICATIONS = 'applications';
const PLATFORM = 'front50';

export interface ApplicationSearch {
  readonly q: string;
  readonly types: readonly string[];
  readonly platform?: string | undefined;
  readonly pageSize: number;
  readonly filters: Readonly<Record<string, string>>;
}

/**
 * Applications from Front50 for `/search?type=applications` (platform `front50`), as Clouddriver's
 * `ApplicationSearchProvider` adds them: Front50's application JSON plus `application` (lower-cased
 * name), `type: applications`, `url: /applications/<name>` and `accounts` (those with clusters the
 * caller can READ). An application whose clusters all live in accounts the caller cannot READ is
 * left out, as `/applications` leaves it out. Undefined when Front50 is not configured or the
 * search is not for applications.
 */
export async function front50ApplicationResults(
  container: DependencyContainer,
  access: CallerAccess,
  search: ApplicationSearch,
  onError?: (error: Error) => void,
): Promise<Record<string, unknown>[] | undefined> {
  const front50 = resolveOptional(container, FRONT50_CLIENT);
  if (!front50 || !search.types.includes(APPLICATIONS)) return undefined;
  if (search.platform && search.platform !== PLATFORM) return undefined;
  // Like Clouddriver, the cloudProvider filter means nothing to Front50.
  const { cloudProvider: _ignored, ...filters } = search.filters;
  let applications: Record<string, unknown>[];
  try {
    applications = await front50.searchApplications(search.q, search.pageSize, filters);
  } catch (error) {
    // Clouddriver logs a failing search provider and answers with the others' results.
    if (error instanceof Front50Error) {
      onError?.(error);
      return undefined;
    }
    throw error;
  }
  const clusters = resolve(container, CLUSTER_READ_SERVICE);
  const results = await Promise.all(
    applications.map(async (application) => {
      const name = String(application.name ?? '').toLowerCase();
      if (!name) return undefined;
      const readable = Object.keys(await clusters.clusterNamesByAccount(access, name));
      if (readable.length === 0 && Object.keys(await clusters.clusterNamesByAccount(OPEN_ACCESS, name)).length > 0) return undefined;
      return { ...application, application: name, type: APPLICATIONS, url: `/applications/${name}`, accounts: readable };
    }),
  );
  return results.filter((result): result is NonNullable<typeof result> => result !== undefined);
}

/** Clouddriver's merge of several providers' result sets: one set, matches summed. */
export function withApplications(
  sets: readonly SearchResultSet[],
  applications: readonly Record<string, unknown>[],
  platform: string | undefined,
): SearchResultSet[] {
  const [first] = sets;
  const base = first ?? { totalMatches: 0, pageNumber: 1, pageSize: applications.length, platform: platform ?? PLATFORM, query: '', results: [] };
  const merged = {
    ...base,
    totalMatches: base.totalMatches + applications.length,
    ...(platform === PLATFORM ? { platform: PLATFORM } : {}),
    results: [...base.results, ...(applications as Record<string, string>[])],
  };
  return [merged];
}
