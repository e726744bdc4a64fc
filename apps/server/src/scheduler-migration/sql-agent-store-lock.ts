import type { ScheduledEntry } from '@stratus/redis';
import type { SqlDatabase } from '@stratus/sql';
import type { AgentStoreLock } from './agent-store-lock.js';

/**
 * The SQL scheduler's lock protocol (packages/sql/src/scheduler/sql-agent-scheduler.ts): a row
 * (agent_name, owner_id, acquired_at, expires_at) inserted if absent, expiring at acquire + timeout;
 * `(owner_id, acquired_at)` is the run; at the end of a run the row stays until the next start, or
 * is deleted. Statements live here (not in packages/sql) so the migration stays self-contained.
 */
export class SqlAgentStoreLock implements AgentStoreLock {
  readonly store = 'sql';
  private readonly deleteExpired: string;
  private readonly deleteRun: string;
  private readonly extendRun: string;

  constructor(
    private readonly db: SqlDatabase,
    private readonly nodeId: string,
    private readonly releaseThresholdMs = 500,
    private readonly now: () => number = Date.now,
  ) {
    const t = db.tables.agentLocks;
    const s = (text: string) => db.statement(text);
    this.deleteExpired = s(`delete from ${t} where expires_at <= ?`);
    this.deleteRun = s(`delete from ${t} where agent_name = ? and owner_id = ? and acquired_at = ?`);
    this.extendRun = s(`update ${t} set expires_at = ? where agent_name = ? and owner_id = ? and acquired_at = ? and expires_at > ?`);
  }

  async take(entries: readonly ScheduledEntry[]): Promise<Map<string, string>> {
    const taken = new Map<string, string>();
    if (entries.length === 0) return taken;
    const now = this.now();
    await this.db.guard('agent lock', async () => {
      await this.db.affected(this.deleteExpired, [now]);
      // Agent-name order, as the SQL scheduler inserts, so concurrent replicas lock in one order.
      const sorted = [...entries].sort((a, b) => (a.agent.agentType < b.agent.agentType ? -1 : 1));
      for (let from = 0; from < sorted.length; from += 200) {
        const slice = sorted.slice(from, from + 200);
        const params = slice.flatMap((entry) => [entry.agent.agentType, this.nodeId, now, now + entry.timing.timeoutMs]);
        await this.db.affected(this.insertMany(slice.length), params);
        // Ours are the rows with this node and this acquisition time (MySQL's `insert ignore` returns no rows).
        const names = slice.map((entry) => entry.agent.agentType);
        for (const row of await this.db.rows<{ agent_name: string }>(this.selectMine(slice.length), [this.nodeId, now, ...names])) {
          taken.set(row.agent_name, String(now));
        }
      }
    });
    return taken;
  }

  private insertMany(count: number): string {
    const t = this.db.tables.agentLocks;
    const columns = '(agent_name, owner_id, acquired_at, expires_at)';
    const values = new Array(count).fill('(?, ?, ?, ?)').join(', ');
    return this.db.statement(
      this.db.dialect === 'postgres'
        ? `insert into ${t} ${columns} values ${values} on conflict do nothing`
        : this.db.dialect === 'sqlite'
          ? `insert or ignore into ${t} ${columns} values ${values}`
          : `insert ignore into ${t} ${columns} values ${values}`,
    );
  }

  private selectMine(count: number): string {
    return this.db.statement(
      `select agent_name from ${this.db.tables.agentLocks} where owner_id = ? and acquired_at = ? and agent_name in (${new Array(count).fill('?').join(', ')})`,
    );
  }

  async confirm(agentType: string, token: string, leaseMs: number): Promise<boolean> {
    const now = this.now();
    return (await this.db.guard('agent lease', () => this.db.affected(this.extendRun, [now + leaseMs, agentType, this.nodeId, Number(token), now]))) > 0;
  }

  async release(agentType: string, token: string, nextRunInMs: number): Promise<void> {
    const now = this.now();
    await this.db.guard('agent release', () =>
      nextRunInMs < this.releaseThresholdMs
        ? this.db.affected(this.deleteRun, [agentType, this.nodeId, Number(token)])
        : this.db.affected(this.extendRun, [now + nextRunInMs, agentType, this.nodeId, Number(token), now]),
    );
  }

  async forget(agentType: string, token: string): Promise<void> {
    await this.db.guard('agent release', () => this.db.affected(this.deleteRun, [agentType, this.nodeId, Number(token)]));
  }
}
