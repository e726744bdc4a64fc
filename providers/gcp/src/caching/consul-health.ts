/** One of a Consul agent's checks (`GET /v1/agent/checks` values), with Consul's Go field names. */
interface ConsulCheck {
  readonly Node?: string;
  readonly CheckID?: string;
  readonly Name?: string;
  readonly Status?: string;
  readonly Notes?: string;
  readonly Output?: string;
  readonly ServiceID?: string;
  readonly ServiceName?: string;
}

/** What an instance's Consul agent reports (Clouddriver's `ConsulNode`). */
export interface ConsulNode {
  /** Whether the agent answered. */
  readonly running: boolean;
  /** Health entries as Clouddriver serialises its `ConsulHealth`. */
  readonly healths: Record<string, unknown>[];
  readonly services: Record<string, unknown>[];
}

/** Clouddriver's timeout for a call to a Consul agent. */
const AGENT_TIMEOUT_MS = 2_000;
/** The check Consul registers while a node is in maintenance mode (what disableInstancesInDiscovery sets). */
const MAINTENANCE_CHECK = '_node_maintenance';

/** Clouddriver's `ConsulHealth.getState`: passing is Up; critical is Down, or OutOfService for the maintenance check; warning is Down. */
function stateOf(check: ConsulCheck): string {
  switch (check.Status) {
    case 'passing':
      return 'Up';
    case 'critical':
      return check.CheckID === MAINTENANCE_CHECK ? 'OutOfService' : 'Down';
    case 'warning':
      return 'Down';
    default:
      return 'Unknown';
  }
}

/** A check as Clouddriver's `ConsulHealth` JSON: a `Discovery` health of discovery type `Consul`. */
function healthOf(check: ConsulCheck): Record<string, unknown> {
  return {
    type: 'Discovery',
    discoveryType: 'Consul',
    healthClass: 'discovery',
    state: stateOf(check),
    source: check.CheckID,
    description: check.Notes ?? '',
    systemHealth: check.CheckID === MAINTENANCE_CHECK,
    result: {
      node: check.Node,
      checkID: check.CheckID,
      name: check.Name,
      status: check.Status,
      notes: check.Notes,
      output: check.Output,
      serviceID: check.ServiceID,
      serviceName: check.ServiceName,
    },
  };
}

async function getJson(url: string, signal?: AbortSignal): Promise<Record<string, unknown>> {
  const timeout = AbortSignal.timeout(AGENT_TIMEOUT_MS);
  const response = await fetch(url, { signal: signal ? AbortSignal.any([signal, timeout]) : timeout });
  if (!response.ok) {
    await response.body?.cancel();
    throw new Error(`${url} answered ${response.status}`);
  }
  const body = (await response.json()) as unknown;
  return typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
}

/**
 * Asks an instance's Consul agent for its checks and services, as Clouddriver's
 * `ConsulProviderUtils.getHealths` does while caching a GCE instance: an agent that does not answer
 * is a node that is not running Consul (no healths), never a failed caching run. A node in
 * maintenance mode reports only the maintenance check (Clouddriver's `ConsulNode.getHealths`), so
 * a disabled instance shows OutOfService whatever its service checks say.
 */
export async function consulNodeOf(baseUrl: string, signal?: AbortSignal): Promise<ConsulNode> {
  const base = baseUrl.replace(/\/$/, '');
  try {
    const checks = Object.values(await getJson(`${base}/v1/agent/checks`, signal)) as ConsulCheck[];
    const services = Object.values(await getJson(`${base}/v1/agent/services`, signal)) as Record<string, unknown>[];
    const disabled = checks.some((c) => c.CheckID === MAINTENANCE_CHECK);
    const healths = (disabled ? checks.filter((c) => c.CheckID === MAINTENANCE_CHECK) : checks).map(healthOf);
    return { running: true, healths, services };
  } catch {
    signal?.throwIfAborted();
    return { running: false, healths: [], services: [] };
  }
}
