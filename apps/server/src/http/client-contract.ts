import type { HttpMethod } from './define-route.js';

/**
 * One Clouddriver endpoint that Spinnaker's own clients call (Gate's `ClouddriverService` and the
 * controllers using it; Orca's `OortService`, `KatoRestService`, `MortService`,
 * `CloudDriverCacheService`, `FeaturesRestService`). docs/read-api.md lists the same table with
 * which part of Stratus serves each endpoint.
 */
export interface ClientEndpoint {
  readonly method: HttpMethod;
  /** OpenAPI-style template, `{name}` for one path segment. */
  readonly path: string;
  /** Who calls it. */
  readonly callers: readonly ('Gate' | 'Orca')[];
  /**
   * What serves it: `core` (provider-independent), a provider id (`aws`, `kubernetes`, …), or a
   * cloud Stratus does not ship (`ecs`, `cloudfoundry`, …).
   */
  readonly needs: string;
}

const gate = ['Gate'] as const;
const orca = ['Orca'] as const;
const both = ['Gate', 'Orca'] as const;

const get = (path: string, callers: ClientEndpoint['callers'], needs = 'core'): ClientEndpoint => ({ method: 'get', path, callers, needs });

/** Every endpoint of the client contract (93 distinct method + path pairs). */
export const CLIENT_CONTRACT: readonly ClientEndpoint[] = [
  get('/credentials', both),
  get('/credentials/{account}', both),
  get('/credentials/type/{type}', gate),
  { method: 'post', path: '/credentials', callers: gate, needs: 'core' },
  { method: 'put', path: '/credentials', callers: gate, needs: 'core' },
  { method: 'delete', path: '/credentials/{account}', callers: gate, needs: 'core' },
  get('/task/{id}', both),
  get('/applications', gate),
  get('/applications/{app}', both),
  get('/applications/{app}/clusters', gate),
  get('/applications/{app}/clusters/{account}', gate),
  get('/applications/{app}/clusters/{account}/{cluster}', gate),
  get('/applications/{app}/clusters/{account}/{cluster}/{type}', both),
  get('/applications/{app}/clusters/{account}/{cluster}/{type}/serverGroups/{serverGroup}', both),
  get('/applications/{app}/clusters/{account}/{cluster}/{type}/{scope}/serverGroups/target/{target}', both),
  get('/applications/{app}/clusters/{account}/{cluster}/{type}/{scope}/serverGroups/target/{target}/{summaryType}', orca),
  get('/applications/{app}/clusters/{account}/{cluster}/{type}/loadBalancers', gate),
  get('/applications/{app}/clusters/{account}/{cluster}/{type}/serverGroups/{serverGroup}/scalingActivities', gate, 'aws'),
  get('/applications/{app}/rawResources', gate, 'kubernetes'),
  get('/applications/{app}/serverGroups', both),
  get('/serverGroups', gate),
  get('/serverGroups/{account}/{region}/{serverGroup}', orca),
  get('/applications/{app}/serverGroups/{account}/{region}/{serverGroup}', both),
  get('/applications/{app}/serverGroups/{account}/{serverGroup}/events', gate, 'aws'),
  get('/applications/{app}/serverGroupManagers', gate),
  { method: 'post', path: '/applications/{app}/jobs/{account}/{region}/{job}', callers: gate, needs: 'kubernetes' },
  get('/applications/{app}/jobs/{account}/{region}/{id}', orca, 'kubernetes'),
  { method: 'delete', path: '/applications/{app}/jobs/{account}/{location}/{id}', callers: orca, needs: 'kubernetes' },
  get('/applications/{app}/jobs/{account}/{region}/{id}/{fileName}', orca, 'kubernetes'),
  get('/applications/{app}/kubernetes/pods/{account}/{namespace}/{pod}/{fileName}', orca, 'kubernetes'),
  get('/applications/{app}/loadBalancers', gate),
  get('/{provider}/loadBalancers', gate),
  get('/{provider}/loadBalancers/{name}', gate),
  get('/{provider}/loadBalancers/{account}/{region}/{name}', both),
  get('/instances/{account}/{region}/{id}', both),
  get('/instances/{account}/{region}/{id}/console', gate, 'aws'),
  get('/{provider}/images/find', both, 'aws'),
  get('/{provider}/images/{account}/{region}/{imageId}', both, 'aws'),
  get('/{provider}/images/tags', gate, 'aws'),
  get('/search', both),
  get('/securityGroups', gate),
  get('/securityGroups/{account}/{type}', gate),
  get('/securityGroups/{account}/{type}/{region}/{name}', both),
  get('/vpcs', orca, 'aws'),
  get('/networks', gate, 'aws'),
  get('/networks/{cloudProvider}', gate, 'aws'),
  get('/subnets', gate, 'aws'),
  get('/subnets/{cloudProvider}', gate, 'aws'),
  get('/keyPairs', gate, 'aws'),
  get('/instanceTypes', gate, 'aws'),
  get('/projects/{project}/clusters', gate),
  get('/reports/reservation', gate, 'aws'),
  get('/reports/reservation/{name}', gate, 'aws'),
  get('/cloudMetrics/{cloudProvider}/{account}/{region}', gate, 'aws'),
  get('/cloudMetrics/{cloudProvider}/{account}/{region}/{metric}/statistics', gate, 'aws'),
  get('/tags', both),
  get('/tags/{id}', gate),
  get('/certificates', gate),
  get('/certificates/{cloudProvider}', gate),
  get('/v1/data/static/{id}', gate, 'netflix-data'),
  get('/v1/data/adhoc/{group}/{bucket}/{object}', gate, 'netflix-data'),
  get('/storage', gate),
  get('/roles/{cloudProvider}', gate),
  get('/artifacts/credentials', gate, 'artifacts'),
  { method: 'put', path: '/artifacts/fetch', callers: both, needs: 'artifacts' },
  get('/artifacts/account/{account}/names', gate, 'artifacts'),
  get('/artifacts/account/{account}/versions', gate, 'artifacts'),
  get('/artifacts/content-address/{app}/{hash}', gate, 'artifacts'),
  get('/manifests/{account}/{location}/{name}', both, 'kubernetes'),
  get('/manifests/{account}/{location}/{kind}/cluster/{app}/{cluster}', orca, 'kubernetes'),
  get('/manifests/{account}/{location}/{kind}/cluster/{app}/{cluster}/dynamic/{criteria}', orca, 'kubernetes'),
  get('/ecs/ecsClusters', gate, 'ecs'),
  get('/ecs/cloudMetrics/alarms', gate, 'ecs'),
  get('/ecs/secrets', gate, 'ecs'),
  get('/ecs/ecsClusterDescriptions/{account}/{region}', gate, 'ecs'),
  get('/ecs/serviceDiscoveryRegistries', gate, 'ecs'),
  get('/servicebroker/{account}/services', gate, 'cloudfoundry'),
  get('/servicebroker/{account}/serviceInstance', both, 'cloudfoundry'),
  get('/functions', gate, 'aws-lambda'),
  get('/applications/{app}/functions', gate, 'aws-lambda'),
  get('/installedPlugins', gate),
  get('/aws/cloudFormation/stacks/{stackId}', orca, 'aws'),
  { method: 'post', path: '/ops', callers: orca, needs: 'core' },
  { method: 'post', path: '/{cloudProvider}/ops', callers: orca, needs: 'core' },
  { method: 'post', path: '/{cloudProvider}/ops/{name}', callers: orca, needs: 'core' },
  { method: 'patch', path: '/{cloudProvider}/task/{id}', callers: orca, needs: 'core' },
  { method: 'post', path: '/{cloudProvider}/task/{id}/restart', callers: orca, needs: 'core' },
  { method: 'post', path: '/task/{id}:resume', callers: orca, needs: 'core' },
  get('/{cloudProvider}/task/{id}/owner', orca),
  { method: 'post', path: '/cache/{cloudProvider}/{type}', callers: orca, needs: 'core' },
  get('/cache/{cloudProvider}/{type}', orca),
  { method: 'put', path: '/admin/db/truncate/{namespace}', callers: orca, needs: 'core' },
  get('/features/stages', orca),
];

interface CompiledEndpoint {
  readonly endpoint: ClientEndpoint;
  readonly pattern: RegExp;
  /** Literal segments first: `/tags/{id}` beats `/{provider}/loadBalancers` only by specificity. */
  readonly literals: number;
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function compile(endpoint: ClientEndpoint): CompiledEndpoint {
  const parts = endpoint.path.split(/(\{[^}]+\})/).filter((part) => part.length > 0);
  const source = parts.map((part) => (part.startsWith('{') ? '[^/]+' : escape(part))).join('');
  const literals = endpoint.path.split('/').filter((segment) => segment.length > 0 && !segment.startsWith('{')).length;
  return { endpoint, pattern: new RegExp(`^${source}/?$`), literals };
}

const COMPILED = CLIENT_CONTRACT.map(compile).sort((a, b) => b.literals - a.literals);

/**
 * The contract endpoint a request is for (the most specific template that matches), or undefined
 * when no Spinnaker client calls such a path.
 */
export function matchClientEndpoint(method: string, path: string): ClientEndpoint | undefined {
  const lower = method.toLowerCase();
  return COMPILED.find(({ endpoint, pattern }) => endpoint.method === lower && pattern.test(path))?.endpoint;
}
