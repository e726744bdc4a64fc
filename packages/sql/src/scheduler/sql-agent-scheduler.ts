import type { Agent, AgentOwnership, Logger } from '@stratus/plugin-api';
import {
  AgentInstrumentation,
  DEFAULT_SCHEDULER_DEFAULTS,
  StaleRunError,
  timingOf,
  type AgentExecution,
  type AgentLock,
  type AgentScheduler,
  type ExecutionContext,
  type SchedulerDefaults,
} from '@stratus/core';
import type { SqlDatabase } from '../database/sql-database.js';
import { SQL_LIMITS } from '../migrations/limits.js';
import { AgentLockStatements } from './agent-lock-statements.js';
import { lockToken, parseLockToken } from './lock-token.js';
import { shuffle } from './shuffle.js';
import { sqlAgentOwnership } from './sql-agent-ownership.js';

export interface SqlAgentSchedulerOptions extends Partial<SchedulerDefaults> {
  /** This replica's id; it is the lock owner (at most 255 characters). */
  readonly nodeId: string;
  /** Runs this node may have at once (`sql.agent.maxConcurrentAgents`, default 100). */
  readonly maxConcurrentAgents?: number;
  /** How often the node looks for agents to run (`sql.agent.agentLockAcquisitionIntervalMs`, default 1 s). */
  readonly tickMs?: number;
  /** A finished run deletes its lock when fewer ms than this remain until its next start (default 500). */
  readonly releaseThresholdMs?: number;
  /** Local runs older than this are cancelled as zombies (default 1 h). */
  readonly zombieThresholdMs?: number;
  readonly instrumentation?: AgentInstrumentation;
  readonly logger?: Logger;
  readonly now?: () => number;
  /** How long a write between runs may hold the agent's row (default 10 s). */
  readonly writeLeaseMs?: number;
  /** Close the database when the scheduler stops (default false: the pool is usually shared). */
  readonly ownsDatabase?: boolean;
}

interface Run {
  readonly controller: AbortController;
  readonly acquiredAt: number;
  readonly startMs: number;
  settled?: Promise<void>;
  /** True while a guarded write is in progress: the lease then outlives a local timeout. */
  writing: boolean;
  finished: boolean;
  /** Frees the slot without waiting for the run to return (zombies). */
  abandon?: () => void;
}

interface Entry {
  readonly agent: Agent;
  readonly execution: AgentExecution;
  /** Local cadence: this node won't start the agent before this time (epoch ms). */
  notBefore: number;
  /** The run in flight; undefined once it finishes. */
  run?: Run | undefined;
}

/**
 * The clustered scheduler on SQL lock rows (Clouddriver's SqlClusteredAgentScheduler, plus fencing).
 *
 * Every tick each replica deletes expired rows, reads which agents hold a live row, and inserts rows
 * (`insert … on conflict do nothing` / `insert ignore`, in agent-name order so concurrent replicas
 * lock in the same order) for a shuffled, capacity-limited set of the rest; the rows it got are its
 * runs. A row expires at acquire + timeout, so a dead replica's agents move on after their timeout.
 * A finished run keeps its row as the "not before" marker until start + interval (error interval
 * after a failure), or deletes it when less than `releaseThresholdMs` remains. Only the run that
 * owns a row — same owner and acquired_at — may extend, shorten or delete it, and `guardedWrite`
 * first extends the row's lease by the agent's timeout: a run whose row expired or was taken over
 * stores nothing.
 */
export class SqlAgentScheduler implements AgentScheduler {
  readonly kind = 'sql';
  readonly atomic = true;
  readonly instrumentation: AgentInstrumentation;
  readonly #db: SqlDatabase;
  readonly #sql: AgentLockStatements;
  readonly #defaults: SchedulerDefaults;
  readonly #nodeId: string;
  readonly #maxConcurrent: number;
  readonly #tickMs: number;
  readonly #releaseThresholdMs: number;
  readonly #zombieThresholdMs: number;
  readonly #log: Logger | undefined;
  readonly #now: () => number;
  readonly #ownsDatabase: boolean;
  readonly #writeLeaseMs: number;
  readonly #entries = new Map<string, Entry>();
  #running = 0;
  #started = false;
  #stopping = false;
  /** Set by kill(): from then on this scheduler sends nothing to the database. */
  #killed = false;
  #timer?: NodeJS.Timeout;
  #ticking?: Promise<void>;

  constructor(database: SqlDatabase, options: SqlAgentSchedulerOptions) {
    if (!options.nodeId || options.nodeId.length > SQL_LIMITS.ownerLength) throw new Error(`nodeId must be 1-${SQL_LIMITS.ownerLength} characters`);
    this.#db = database;
    this.#sql = new AgentLockStatements(database);
    this.#defaults = {
      intervalMs: options.intervalMs ?? DEFAULT_SCHEDULER_DEFAULTS.intervalMs,
      errorIntervalMs: options.errorIntervalMs ?? options.intervalMs ?? DEFAULT_SCHEDULER_DEFAULTS.errorIntervalMs,
      timeoutMs: options.timeoutMs ?? DEFAULT_SCHEDULER_DEFAULTS.timeoutMs,
    };
    this.#nodeId = options.nodeId;
    this.#maxConcurrent = Math.max(1, options.maxConcurrentAgents ?? 100);
    this.#tickMs = Math.max(5, options.tickMs ?? 1_000);
    this.#releaseThresholdMs = options.releaseThresholdMs ?? 500;
    this.#zombieThresholdMs = options.zombieThresholdMs ?? 3_600_000;
    this.instrumentation = options.instrumentation ?? new AgentInstrumentation();
    this.#log = options.logger;
    this.#now = options.now ?? Date.now;
    this.#ownsDatabase = options.ownsDatabase ?? false;
    this.#writeLeaseMs = options.writeLeaseMs ?? 10_000;
  }

  get nodeId(): string {
    return this.#nodeId;
  }

  schedule(agent: Agent, execution: AgentExecution): void {
    if (agent.agentType.length > SQL_LIMITS.agentNameLength) {
      throw new Error(`agent type '${agent.agentType.slice(0, 80)}…' is longer than ${SQL_LIMITS.agentNameLength} characters`);
    }
    this.unschedule(agent.agentType);
    this.#entries.set(agent.agentType, { agent, execution, notBefore: 0 });
  }

  unschedule(agentType: string): void {
    const entry = this.#entries.get(agentType);
    if (!entry) return;
    this.#entries.delete(agentType);
    if (entry.run && !entry.run.finished) {
      entry.run.controller.abort(new StaleRunError(agentType, 'agent unscheduled'));
    }
    void this.#quietly('unschedule', () => this.#db.affected(this.#sql.deleteOwned, [agentType, this.#nodeId]));
  }

  scheduledAgentTypes(): string[] {
    return [...this.#entries.keys()];
  }

  start(): void {
    if (this.#started) return;
    this.#started = true;
    this.#scheduleTick(0);
  }

  async stop(graceMs = 10_000): Promise<void> {
    this.#stopping = true;
    clearTimeout(this.#timer);
    await this.#ticking;
    const inFlight = [...this.#entries.values()].flatMap((entry) => (entry.run && !entry.run.finished ? [entry] : []));
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.allSettled(inFlight.flatMap((entry) => entry.run?.settled ?? [])),
      new Promise((resolve) => (timer = setTimeout(resolve, graceMs))),
    ]);
    clearTimeout(timer);
    for (const entry of inFlight) {
      const run = entry.run;
      if (!run || run.finished) continue;
      run.controller.abort(new StaleRunError(entry.agent.agentType, 'scheduler stopped'));
      await this.#quietly('stop', () => this.#db.affected(this.#sql.deleteRun, [entry.agent.agentType, this.#nodeId, run.acquiredAt]));
    }
    await Promise.allSettled(inFlight.flatMap((entry) => entry.run?.settled ?? []));
    if (this.#ownsDatabase) await this.#db.close();
  }

  /**
   * Stops at once without touching the database: runs are abandoned and their rows are left to
   * expire, exactly what a crashed replica leaves behind. For failover tests and fatal shutdowns.
   */
  kill(): void {
    this.#stopping = true;
    this.#killed = true;
    clearTimeout(this.#timer);
    for (const entry of this.#entries.values()) entry.run?.controller.abort(new StaleRunError(entry.agent.agentType, 'scheduler killed'));
  }

  // ---- on-demand locks (atomic scheduler) ----

  async tryLock(agentType: string): Promise<AgentLock | undefined> {
    const entry = this.#entries.get(agentType);
    const timeoutMs = entry ? timingOf(entry.agent, this.#defaults).timeoutMs : this.#defaults.timeoutMs;
    const now = this.#now();
    const acquired = await this.#db.guard('agent lock', async () => {
      await this.#db.affected(this.#sql.deleteExpired, [now]);
      return this.#insertLocks([agentType], [now + timeoutMs], now);
    });
    return acquired.has(agentType) ? { agentType, token: lockToken(this.#nodeId, now) } : undefined;
  }

  async lockValid(lock: AgentLock): Promise<boolean> {
    const [owner, acquiredAt] = parseLockToken(lock.token);
    const rows = await this.#db.guard('agent lock', () => this.#db.rows(this.#sql.selectRunValid, [lock.agentType, owner, acquiredAt, this.#now()]));
    return rows.length > 0;
  }

  async tryRelease(lock: AgentLock): Promise<boolean> {
    const [owner, acquiredAt] = parseLockToken(lock.token);
    return (await this.#db.guard('agent lock', () => this.#db.affected(this.#sql.deleteRun, [lock.agentType, owner, acquiredAt]))) > 0;
  }

  // ---- the tick ----

  #scheduleTick(delayMs: number): void {
    if (this.#stopping) return;
    this.#timer = setTimeout(() => {
      this.#ticking = this.#tick()
        .catch((error) => this.#log?.warn({ err: error }, 'SQL scheduler tick failed'))
        .finally(() => this.#scheduleTick(this.#tickMs));
    }, delayMs);
    this.#timer.unref?.();
  }

  async #tick(): Promise<void> {
    if (this.#stopping) return;
    const now = this.#now();
    this.#cancelZombies(now);
    const capacity = this.#maxConcurrent - this.#running;
    if (capacity <= 0) return;
    const candidates = [...this.#entries.values()].filter((entry) => !entry.run && entry.notBefore <= now);
    if (candidates.length === 0) return;

    const chosen = await this.#db.guard('agent schedule', async () => {
      await this.#db.affected(this.#sql.deleteExpired, [now]);
      const live = new Set((await this.#db.rows<{ agent_name: string }>(this.#sql.selectLive, [now])).map((row) => row.agent_name));
      const free = shuffle(candidates.filter((entry) => !live.has(entry.agent.agentType))).slice(0, capacity);
      if (free.length === 0) return [];
      free.sort((a, b) => (a.agent.agentType < b.agent.agentType ? -1 : 1));
      const acquired = await this.#insertLocks(
        free.map((entry) => entry.agent.agentType),
        free.map((entry) => now + timingOf(entry.agent, this.#defaults).timeoutMs),
        now,
      );
      return free.filter((entry) => acquired.has(entry.agent.agentType));
    });
    for (const entry of chosen) {
      // The agent may have been unscheduled (or the node stopped) while the statements ran.
      if (this.#stopping || this.#entries.get(entry.agent.agentType) !== entry) {
        void this.#quietly('release', () => this.#db.affected(this.#sql.deleteRun, [entry.agent.agentType, this.#nodeId, now]));
        continue;
      }
      this.#runOnce(entry, now);
    }
  }

  async #insertLocks(names: readonly string[], expiries: readonly number[], now: number): Promise<Set<string>> {
    const acquired = new Set<string>();
    for (let from = 0; from < names.length; from += 500) {
      const slice = names.slice(from, from + 500);
      const params: unknown[] = [];
      slice.forEach((name, i) => params.push(name, this.#nodeId, now, expiries[from + i]));
      if (this.#sql.insertReturnsRows) {
        for (const row of await this.#db.rows<{ agent_name: string }>(this.#sql.insertMany(slice.length), params)) acquired.add(row.agent_name);
      } else {
        await this.#db.affected(this.#sql.insertMany(slice.length), params);
        const mine = await this.#db.rows<{ agent_name: string }>(this.#sql.selectMine(slice.length), [this.#nodeId, now, ...slice]);
        for (const row of mine) acquired.add(row.agent_name);
      }
    }
    return acquired;
  }

  #cancelZombies(now: number): void {
    for (const entry of this.#entries.values()) {
      const run = entry.run;
      if (run && !run.finished && now - run.startMs > this.#zombieThresholdMs) {
        this.#log?.warn({ agentType: entry.agent.agentType, ageMs: now - run.startMs }, 'cancelling zombie agent run');
        const reason = new StaleRunError(entry.agent.agentType, 'zombie run cancelled');
        run.controller.abort(reason);
        this.instrumentation.failed(entry.agent, now - run.startMs, reason, 'timeout');
        run.abandon?.();
      }
    }
  }

  #runOnce(entry: Entry, acquiredAt: number): void {
    const { agent } = entry;
    const timing = timingOf(agent, this.#defaults);
    const controller = new AbortController();
    const startMs = this.#now();
    const run: Run = { controller, acquiredAt, startMs, writing: false, finished: false };
    entry.run = run;
    this.#running++;
    this.instrumentation.started(agent, startMs);

    /** Frees the slot once and moves the lock to the next start (or deletes it). */
    const finish = (nextStartMs: number, keepLease = false) => {
      if (run.finished) return;
      run.finished = true;
      clearTimeout(timeout);
      if (entry.run === run) entry.run = undefined;
      this.#running--;
      entry.notBefore = nextStartMs;
      if (keepLease) return;
      const remaining = nextStartMs - this.#now();
      void this.#quietly('release', () =>
        remaining < this.#releaseThresholdMs
          ? this.#db.affected(this.#sql.deleteRun, [agent.agentType, this.#nodeId, acquiredAt])
          : this.#db.affected(this.#sql.extendRun, [nextStartMs, agent.agentType, this.#nodeId, acquiredAt, this.#now()]),
      );
    };

    run.abandon = () => finish(startMs + timing.errorIntervalMs, run.writing);

    const timeout = setTimeout(
      () => {
        controller.abort(new StaleRunError(agent.agentType, `run exceeded its timeout of ${timing.timeoutMs} ms`));
        this.instrumentation.failed(agent, this.#now() - startMs, controller.signal.reason, 'timeout');
        // A write in progress holds a lease; let it expire rather than hand the agent over mid-write.
        finish(startMs + timing.errorIntervalMs, run.writing);
      },
      Math.max(0, acquiredAt + timing.timeoutMs - this.#now()),
    );
    timeout.unref?.();

    const context: ExecutionContext = {
      signal: controller.signal,
      guardedWrite: async <T>(write: () => Promise<T>): Promise<T> => {
        if (controller.signal.aborted) throw controller.signal.reason ?? new StaleRunError(agent.agentType, 'aborted');
        const now = this.#now();
        const owned = await this.#db.guard('agent lease', () =>
          this.#db.affected(this.#sql.extendRun, [now + timing.timeoutMs, agent.agentType, this.#nodeId, acquiredAt, now]),
        );
        if (owned === 0) {
          const lost = new StaleRunError(agent.agentType, 'its lock expired or was taken over');
          controller.abort(lost);
          throw lost;
        }
        if (controller.signal.aborted) throw controller.signal.reason;
        run.writing = true;
        try {
          return await write();
        } finally {
          run.writing = false;
        }
      },
    };

    Object.assign(context, { ownership: this.#ownershipFor(entry) });

    run.settled = (async () => {
      try {
        const outcome = await entry.execution.execute(context);
        if (run.finished) return;
        if (controller.signal.aborted) {
          this.instrumentation.failed(agent, this.#now() - startMs, controller.signal.reason, 'discarded');
          return finish(startMs + timing.errorIntervalMs);
        }
        this.instrumentation.completed(agent, this.#now() - startMs, outcome);
        finish(startMs + timing.intervalMs);
      } catch (error) {
        if (run.finished) return;
        const kind = error instanceof StaleRunError || controller.signal.aborted ? 'discarded' : 'failure';
        this.instrumentation.failed(agent, this.#now() - startMs, error, kind);
        finish(startMs + timing.errorIntervalMs);
      }
    })();
  }

  /** This node's claim on the agent between runs (see {@link sqlAgentOwnership}). */
  #ownershipFor(entry: Entry): AgentOwnership {
    return sqlAgentOwnership(entry.agent.agentType, {
      db: this.#db,
      statements: this.#sql,
      nodeId: this.#nodeId,
      now: this.#now,
      writeLeaseMs: this.#writeLeaseMs,
      current: () => !this.#stopping && !this.#killed && this.#entries.get(entry.agent.agentType) === entry,
      quietly: (what, work) => this.#quietly(what, work),
    });
  }

  /** Runs a statement whose failure only delays things (the row expires anyway); logs instead of throwing. */
  #quietly(what: string, work: () => Promise<unknown>): Promise<void> {
    if (this.#killed) return Promise.resolve();
    return this.#db.guard(`agent ${what}`, work).then(
      () => undefined,
      (error) => this.#log?.warn({ err: error }, `SQL scheduler: ${what} failed`),
    );
  }
}
