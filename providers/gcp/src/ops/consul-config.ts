/**
 * An account's `consul` block: GCE instances register with a Consul agent running on each of them,
 * and "discovery" for GCE means that agent's maintenance mode (see docs/providers/gcp.md, "Discovery").
 */
export interface ConsulConfig {
  readonly enabled: boolean;
  /** The port every instance's Consul agent listens on (Consul's default 8500). */
  readonly agentPort: number;
}

/** Parses `account.consul`; undefined when absent. Throws naming the field when malformed. */
export function parseConsulConfig(raw: unknown): ConsulConfig | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw !== 'object' || Array.isArray(raw)) throw new Error("google account field 'consul' must be an object {enabled, agentPort}");
  const { enabled, agentPort } = raw as Record<string, unknown>;
  if (enabled !== undefined && typeof enabled !== 'boolean') throw new Error("google account field 'consul.enabled' must be true or false");
  if (agentPort !== undefined && (typeof agentPort !== 'number' || !Number.isInteger(agentPort) || agentPort < 1 || agentPort > 65535)) {
    throw new Error("google account field 'consul.agentPort' must be a port number (1-65535)");
  }
  return { enabled: enabled === true, agentPort: (agentPort as number | undefined) ?? 8500 };
}
