import { FakeApiError } from './fake-api-error.js';

/** Which requests a {@link FakeRbac} rule forbids; an absent field matches anything. */
export interface ForbidRule {
  /** The resource's plural (`secrets`, `ingresses`). */
  readonly resource: string;
  /** The API group (`''` for core); any group when absent. */
  readonly group?: string;
  /** Only in this namespace; every namespace and cluster-wide requests when absent. */
  readonly namespace?: string;
  /** Only these verbs (`list`, `watch`, `get`, `create`, …); every verb when absent. */
  readonly verbs?: readonly string[];
}

/**
 * The RBAC of the fake's service account, reduced to deny rules: what a rule matches answers 403
 * Forbidden with the API server's message, everything else is allowed. Rules change at runtime, as
 * a cluster admin editing a Role would.
 */
export class FakeRbac {
  private rules: ForbidRule[] = [];

  forbid(rule: ForbidRule): void {
    this.rules.push(rule);
  }

  /** Removes every rule for the resource (in the namespace, when given). */
  allow(resource: string, namespace?: string): void {
    this.rules = this.rules.filter((r) => !(r.resource === resource && (namespace === undefined || r.namespace === namespace)));
  }

  /** Throws the 403 the API server sends when a rule matches. */
  check(request: { verb: string; group: string; resource: string; namespace?: string | undefined }): void {
    const denied = this.rules.some(
      (r) =>
        r.resource === request.resource &&
        (r.group === undefined || r.group === request.group) &&
        (r.namespace === undefined || r.namespace === request.namespace) &&
        (r.verbs === undefined || r.verbs.includes(request.verb)),
    );
    if (!denied) return;
    const where = request.namespace === undefined ? 'at the cluster scope' : `in the namespace "${request.namespace}"`;
    throw new FakeApiError(
      403,
      'Forbidden',
      `${request.resource}${request.group ? '.' + request.group : ''} is forbidden: User "system:serviceaccount:spinnaker:stratus" cannot ${request.verb} resource "${request.resource}" in API group "${request.group}" ${where}`,
    );
  }
}
