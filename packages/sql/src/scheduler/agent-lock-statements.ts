import type { SqlDatabase } from '../database/sql-database.js';

/**
 * The lock table's SQL. A row (agent, owner, acquired_at, expires_at) means "this agent is running
 * on `owner`, or waiting out its interval, until `expires_at`"; `(owner_id, acquired_at)` identifies
 * one run and fences everything that run does later.
 */
export class AgentLockStatements {
  readonly #db: SqlDatabase;
  readonly #insertByCount = new Map<number, string>();
  readonly #selectMineByCount = new Map<number, string>();
  readonly deleteExpired: string;
  readonly selectLive: string;
  readonly deleteRun: string;
  readonly extendRun: string;
  readonly selectRunValid: string;
  readonly deleteOwned: string;
  readonly selectOwnedRow: string;
  readonly holdOwned: string;

  constructor(db: SqlDatabase) {
    this.#db = db;
    const t = db.tables.agentLocks;
    const s = (text: string) => db.statement(text);
    this.deleteExpired = s(`delete from ${t} where expires_at <= ?`);
    this.selectLive = s(`select agent_name from ${t} where expires_at > ?`);
    this.deleteRun = s(`delete from ${t} where agent_name = ? and owner_id = ? and acquired_at = ?`);
    this.extendRun = s(`update ${t} set expires_at = ? where agent_name = ? and owner_id = ? and acquired_at = ? and expires_at > ?`);
    this.selectRunValid = s(`select 1 as ok from ${t} where agent_name = ? and owner_id = ? and acquired_at = ? and expires_at > ?`);
    this.deleteOwned = s(`delete from ${t} where agent_name = ? and owner_id = ?`);
    // Ownership between runs: this node's live row (a run or the "not before" marker it left).
    this.selectOwnedRow = s(`select acquired_at, expires_at from ${t} where agent_name = ? and owner_id = ? and expires_at > ?`);
    this.holdOwned = s(`update ${t} set expires_at = ? where agent_name = ? and owner_id = ? and acquired_at = ? and expires_at = ?`);
  }

  /**
   * Inserts rows for `count` agents, skipping agents that already have one. PostgreSQL and SQLite
   * return the agents that were inserted; on MySQL follow with {@link selectMine}.
   */
  insertMany(count: number): string {
    let text = this.#insertByCount.get(count);
    if (!text) {
      const t = this.#db.tables.agentLocks;
      const values = new Array(count).fill('(?, ?, ?, ?)').join(', ');
      const columns = 'agent_name, owner_id, acquired_at, expires_at';
      text = this.#db.statement(this.#db.adapter.insertIgnore(t, columns, values, 'agent_name'));
      this.#insertByCount.set(count, text);
    }
    return text;
  }

  get insertReturnsRows(): boolean {
    return this.#db.adapter.returnsInsertedRows;
  }

  selectMine(count: number): string {
    let text = this.#selectMineByCount.get(count);
    if (!text) {
      const t = this.#db.tables.agentLocks;
      text = this.#db.statement(
        `select agent_name from ${t} where owner_id = ? and acquired_at = ? and agent_name in (${new Array(count).fill('?').join(', ')})`,
      );
      this.#selectMineByCount.set(count, text);
    }
    return text;
  }
}
