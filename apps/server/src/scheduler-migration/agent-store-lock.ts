import type { ScheduledEntry } from '@stratus/redis';

/**
 * One store's agent lock, in exactly the shape that store's own scheduler uses, so replicas running
 * that scheduler alone see it as theirs would (docs/runbooks/cache-and-task-migration.md, "Scheduler").
 */
export interface AgentStoreLock {
  readonly store: 'redis' | 'sql';
  /** Takes the lock of each entry not locked yet (for its timeout); the tokens of the ones taken. */
  take(entries: readonly ScheduledEntry[]): Promise<Map<string, string>>;
  /** Owner-only: still ours? then extend it by `leaseMs`. */
  confirm(agentType: string, token: string, leaseMs: number): Promise<boolean>;
  /** Owner-only end of a run: the lock stays as a "not before" marker for `nextRunInMs`, or goes. */
  release(agentType: string, token: string, nextRunInMs: number): Promise<void>;
  /** Owner-only: drops the lock at once (a run that did not start, or shutdown). */
  forget(agentType: string, token: string): Promise<void>;
}
