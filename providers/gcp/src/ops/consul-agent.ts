/** Where an instance's Consul agent answers: by default `http://<instance name>:<agentPort>` (GCE's internal DNS resolves instance names). */
export type ConsulAgentUrl = (instanceName: string, agentPort: number) => string;

export const defaultConsulAgentUrl: ConsulAgentUrl = (instanceName, agentPort) => `http://${instanceName}:${agentPort}`;

/** Clouddriver's timeout for a call to a Consul agent. */
const AGENT_TIMEOUT_MS = 2_000;

/**
 * Puts an instance's Consul agent into maintenance mode (`disable`: the node leaves discovery and DNS)
 * or takes it out (`enable`), with Consul's `PUT /v1/agent/maintenance?enable=…&reason=…`.
 */
export async function setConsulMaintenance(baseUrl: string, disable: boolean, signal: AbortSignal): Promise<void> {
  const reason = `Spinnaker ${disable ? 'disable' : 'enable'} Operation`;
  const url = `${baseUrl.replace(/\/$/, '')}/v1/agent/maintenance?enable=${disable}&reason=${encodeURIComponent(reason)}`;
  let response: Response;
  try {
    response = await fetch(url, { method: 'PUT', signal: AbortSignal.any([signal, AbortSignal.timeout(AGENT_TIMEOUT_MS)]) });
  } catch (error) {
    throw new Error(`Consul agent at ${baseUrl} did not answer: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  if (!response.ok) {
    const body = (await response.text().catch(() => '')).slice(0, 200);
    throw new Error(`Consul agent at ${baseUrl} answered ${response.status}${body ? `: ${body}` : ''}`);
  }
}
