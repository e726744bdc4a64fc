import type { Logger } from '@stratus/plugin-api';
import type { TaskRecord } from '../tasks/task.js';
import type { TaskRepository } from '../tasks/task-repository.js';

export interface TaskLeaseKeeperOptions {
  readonly tasks: TaskRepository;
  readonly nodeId: string;
  /** How long a lease stays unchanged before other replicas take the task over. */
  readonly leaseMs: number;
  readonly logger: Logger;
  /** Ids of the tasks this replica runs now (their leases are renewed). */
  owned(): Iterable<string>;
  /** The store says another replica owns `taskId` now. */
  onLeaseLost(taskId: string): void;
  /** A running task's lease stayed unchanged for a whole lease period: try to take it over. */
  onExpired(task: TaskRecord): Promise<void>;
  readonly now?: () => number;
}

interface Observation {
  readonly lease: string;
  readonly sinceMs: number;
}

/**
 * Keeps this replica's task leases and watches everyone else's (docs/operator-guide.md, "Task
 * leases"). Every third of a lease it renews the lease of each task it runs, and lists the running
 * tasks of other owners: a task whose owner and lease value have not changed for a whole lease
 * period, as measured on this replica's own clock since it first saw that value, is handed to
 * `onExpired`. Comparing values rather than timestamps keeps clock skew between replicas out of it,
 * and since observations restart whenever the store cannot be read, an owner always gets a full
 * lease period after a store outage to renew before anyone takes its tasks.
 */
export class TaskLeaseKeeper {
  private readonly observed = new Map<string, Observation>();
  private timer: NodeJS.Timeout | undefined;
  private renewing = false;
  private scanningNow = false;
  private scanning = true;
  private readonly now: () => number;

  constructor(private readonly options: TaskLeaseKeeperOptions) {
    this.now = options.now ?? Date.now;
  }

  get intervalMs(): number {
    return Math.max(50, Math.floor(this.options.leaseMs / 3));
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.tick(), this.intervalMs);
    this.timer.unref();
  }

  /** Stops taking over other replicas' tasks (shutdown); leases of running tasks are still renewed. */
  stopScanning(): void {
    this.scanning = false;
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /**
   * One round: renew and scan, each skipped while its previous round still runs, and independent of
   * each other, so a takeover stuck behind a locked row never delays this replica's own renewals.
   */
  async tick(): Promise<void> {
    const rounds: Promise<void>[] = [];
    if (!this.renewing) {
      this.renewing = true;
      rounds.push(this.renew().finally(() => (this.renewing = false)));
    }
    if (this.scanning && !this.scanningNow) {
      this.scanningNow = true;
      rounds.push(this.scan().finally(() => (this.scanningNow = false)));
    }
    await Promise.all(rounds);
  }

  private async renew(): Promise<void> {
    await Promise.all(
      [...this.options.owned()].map(async (taskId) => {
        try {
          if (!(await this.options.tasks.renewLease(taskId, this.options.nodeId))) this.options.onLeaseLost(taskId);
        } catch (error) {
          this.options.logger.debug({ taskId, err: error }, 'task lease renewal failed; retrying next round');
        }
      }),
    );
  }

  private async scan(): Promise<void> {
    let running: TaskRecord[];
    try {
      running = await this.options.tasks.listRunning();
    } catch {
      // Nobody could renew while the store was unreadable: start every observation afresh.
      this.observed.clear();
      return;
    }
    const now = this.now();
    const owned = new Set(this.options.owned());
    const seen = new Set<string>();
    for (const task of running) {
      // No lease at all: started by a replica of a version without leases (a rolling upgrade), which
      // is alive but never renews; taking it over would run its operation twice.
      if (owned.has(task.id) || task.leaseRenewedAtMs === undefined) continue;
      seen.add(task.id);
      const lease = `${task.ownerId}|${task.leaseRenewedAtMs ?? ''}`;
      const previous = this.observed.get(task.id);
      if (!previous || previous.lease !== lease) {
        this.observed.set(task.id, { lease, sinceMs: now });
        continue;
      }
      if (now - previous.sinceMs < this.options.leaseMs) continue;
      this.observed.delete(task.id);
      try {
        await this.options.onExpired(task);
      } catch (error) {
        this.options.logger.warn({ taskId: task.id, owner: task.ownerId, err: error }, 'taking over a task with an expired lease failed; retrying later');
      }
    }
    for (const id of this.observed.keys()) if (!seen.has(id)) this.observed.delete(id);
  }
}
