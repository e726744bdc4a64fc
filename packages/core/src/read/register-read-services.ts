import type { DependencyContainer } from 'tsyringe';
import { ApplicationReadService } from './application-read-service.js';
import { ClusterReadService } from './cluster-read-service.js';
import { InstanceReadService } from './instance-read-service.js';
import { LoadBalancerReadService } from './load-balancer-read-service.js';
import { SearchService } from './search-service.js';
import { SecurityGroupReadService } from './security-group-read-service.js';
import { ServerGroupReadService } from './server-group-read-service.js';
import {
  APPLICATION_READ_SERVICE,
  CLUSTER_READ_SERVICE,
  INSTANCE_READ_SERVICE,
  LOAD_BALANCER_READ_SERVICE,
  SEARCH_SERVICE,
  SECURITY_GROUP_READ_SERVICE,
  SERVER_GROUP_READ_SERVICE,
} from './service-tokens.js';

/**
 * Registers the read services as singletons under their tokens, leaving alone any the container
 * already has (so a server may swap one). They need `READ_MODEL_REGISTRY`, and search also `CACHE`
 * and `KEY_PARSER_REGISTRY`, resolved when a service is first used.
 */
export function registerReadServices(container: DependencyContainer): void {
  for (const [token, service] of READ_SERVICES) {
    if (!container.isRegistered(token, true)) container.registerSingleton(token, service as new (...args: never[]) => unknown);
  }
}

/** Each generic read service and its token (the read services module binds the same list). */
export const READ_SERVICES = [
  [APPLICATION_READ_SERVICE, ApplicationReadService],
  [CLUSTER_READ_SERVICE, ClusterReadService],
  [SERVER_GROUP_READ_SERVICE, ServerGroupReadService],
  [INSTANCE_READ_SERVICE, InstanceReadService],
  [LOAD_BALANCER_READ_SERVICE, LoadBalancerReadService],
  [SECURITY_GROUP_READ_SERVICE, SecurityGroupReadService],
  [SEARCH_SERVICE, SearchService],
] as const;
