import { createToken } from '@stratus/plugin-api';
import type { ApplicationReadService } from './application-read-service.js';
import type { ClusterReadService } from './cluster-read-service.js';
import type { InstanceReadService } from './instance-read-service.js';
import type { LoadBalancerReadService } from './load-balancer-read-service.js';
import type { SearchService } from './search-service.js';
import type { SecurityGroupReadService } from './security-group-read-service.js';
import type { ServerGroupReadService } from './server-group-read-service.js';

/**
 * DI tokens of the generic read services: `registerReadServices` registers them and the read routes
 * resolve them.
 */
export const APPLICATION_READ_SERVICE = createToken<ApplicationReadService>('core.read.applications');
export const CLUSTER_READ_SERVICE = createToken<ClusterReadService>('core.read.clusters');
export const SERVER_GROUP_READ_SERVICE = createToken<ServerGroupReadService>('core.read.server-groups');
export const INSTANCE_READ_SERVICE = createToken<InstanceReadService>('core.read.instances');
export const LOAD_BALANCER_READ_SERVICE = createToken<LoadBalancerReadService>('core.read.load-balancers');
export const SECURITY_GROUP_READ_SERVICE = createToken<SecurityGroupReadService>('core.read.security-groups');
export const SEARCH_SERVICE = createToken<SearchService>('core.read.search');
