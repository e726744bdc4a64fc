import { RouteError, type ProviderRoute, type ProviderRouteRequest } from '@stratus/plugin-api';
import type { ImageLookup } from './image-lookup.js';

/** One query parameter as a string (the first of repeated ones). */
function param(request: ProviderRouteRequest, name: string): string | undefined {
  const value = request.query[name];
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' && first !== '' ? first : undefined;
}

function required(request: ProviderRouteRequest, name: string): string {
  const value = param(request, name);
  if (value === undefined) throw new RouteError(400, `${name} is required`);
  return value;
}

/** Spring's boolean spellings, as Clouddriver's request binding accepts them. */
const TRUE = new Set(['true', 'on', 'yes', '1']);
const FALSE = new Set(['false', 'off', 'no', '0']);

function booleanParam(request: ProviderRouteRequest, name: string): boolean {
  const value = param(request, name)?.toLowerCase();
  if (value === undefined) return false;
  if (!TRUE.has(value) && !FALSE.has(value)) throw new RouteError(400, `${name} must be true or false`);
  return TRUE.has(value);
}

function countParam(request: ProviderRouteRequest): number | undefined {
  const value = param(request, 'count');
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) <= 0) throw new RouteError(400, 'count must be a positive integer');
  return Number(value);
}

/** Clouddriver's `/dockerRegistry/images/tags` and `/dockerRegistry/images/find`, as Deck (through Gate) and Igor call them. */
export function imageRoutes(lookup: ImageLookup): ProviderRoute[] {
  return [
    {
      method: 'get',
      path: '/dockerRegistry/images/tags',
      summary: "A repository's cached tags (newest first when the account sorts by date); 403 without READ on the account",
      async handle(request) {
        const account = required(request, 'account');
        const repository = required(request, 'repository');
        if (lookup.knows(account) && !request.caller.canReadAccount(account)) throw new RouteError(403, `Access denied to account ${account}`);
        return { body: await lookup.tags(account, repository) };
      },
    },
    {
      method: 'get',
      path: '/dockerRegistry/images/find',
      summary: 'Cached tagged images (q: part of <registry>/<repository>:<tag>; account, repository, tag, count, includeDetails)',
      async handle(request) {
        const q = param(request, 'q');
        const account = param(request, 'account');
        const repository = param(request, 'repository');
        const tag = param(request, 'tag');
        const count = countParam(request);
        const body = await lookup.find(
          {
            ...(q ? { q } : {}),
            ...(account ? { account } : {}),
            ...(repository ? { repository } : {}),
            ...(tag ? { tag } : {}),
            ...(count ? { count } : {}),
            includeDetails: booleanParam(request, 'includeDetails'),
          },
          request.caller,
        );
        return { body };
      },
    },
  ];
}
