/** The last outcome of one agent's run. */
interface AgentOutcome {
  readonly ok: boolean;
  readonly at: number;
  readonly error?: string;
  readonly repositories?: number;
  readonly tags?: number;
  /** Repositories whose tags could not be read this run (their previous tags were kept). */
  readonly failedRepositories?: readonly string[];
}

/**
 * What readiness shows per account (`dockerRegistry.accounts`): whether the last caching runs
 * reached the registry, and the error when not (wrong credentials, unreachable registry, rate
 * limit). Informational, like Clouddriver's `DockerRegistryHealthIndicator`: a bad registry never
 * takes the server out of rotation.
 */
export class AccountStatus {
  private readonly outcomes = new Map<string, Map<string, AgentOutcome>>();

  succeeded(account: string, agentType: string, counts: { repositories: number; tags: number; failedRepositories: readonly string[]; error?: string }): void {
    this.agentsOf(account).set(agentType, { ok: true, at: Date.now(), ...counts });
  }

  failed(account: string, agentType: string, error: unknown): void {
    this.agentsOf(account).set(agentType, { ok: false, at: Date.now(), error: error instanceof Error ? error.message : String(error) });
  }

  forget(account: string): void {
    this.outcomes.delete(account);
  }

  /** `{<account>: {status, lastRunAt, repositories, tags, error?}}`, accounts by name. */
  details(accounts: readonly string[]): Record<string, unknown> {
    const result: Record<string, unknown> = {};
    for (const account of [...accounts].sort()) {
      const outcomes = [...(this.outcomes.get(account)?.values() ?? [])];
      if (outcomes.length === 0) {
        result[account] = { status: 'PENDING' };
        continue;
      }
      const failures = outcomes.filter((outcome) => !outcome.ok);
      const partial = outcomes.flatMap((outcome) => outcome.failedRepositories ?? []);
      const error = failures[0]?.error ?? outcomes.find((outcome) => outcome.error)?.error;
      result[account] = {
        status: failures.length > 0 ? 'DOWN' : partial.length > 0 ? 'DEGRADED' : 'UP',
        lastRunAt: new Date(Math.max(...outcomes.map((outcome) => outcome.at))).toISOString(),
        repositories: outcomes.reduce((sum, outcome) => sum + (outcome.repositories ?? 0), 0),
        tags: outcomes.reduce((sum, outcome) => sum + (outcome.tags ?? 0), 0),
        ...(partial.length > 0 ? { failedRepositories: partial.sort() } : {}),
        ...(error ? { error } : {}),
      };
    }
    return result;
  }

  private agentsOf(account: string): Map<string, AgentOutcome> {
    let agents = this.outcomes.get(account);
    if (!agents) this.outcomes.set(account, (agents = new Map()));
    return agents;
  }
}
