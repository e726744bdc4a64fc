/**
 * Thrown when a run finished but may no longer store its result (timed out, lock lost, agent
 * unscheduled). It lives with the scheduler, which decides staleness; cache writers only throw it.
 */
export class StaleRunError extends Error {
  constructor(agentType: string, reason: string) {
    super(`Discarded the result of ${agentType}: ${reason}`);
    this.name = 'StaleRunError';
  }
}
