import type { SqlDatabase } from '../database/sql-database.js';
import type { SqlDialectAdapter } from '../dialects/sql-dialect-adapter.js';

/** The task repository's SQL, built once per database (what differs per dialect comes from its adapter). */
export class TaskStatements {
  readonly #db: SqlDatabase;
  readonly #dialect: SqlDialectAdapter;
  readonly #byCount = new Map<string, string>();
  readonly insertTask: string;
  readonly insertState: string;
  readonly lockTask: string;
  readonly latestState: string;
  readonly selectIdByRequest: string;
  readonly updateOwner: string;
  readonly updateCheckpoint: string;
  readonly runningIds: string;
  readonly runningIdsByOwner: string;
  readonly completedBefore: string;

  constructor(db: SqlDatabase) {
    this.#db = db;
    this.#dialect = db.adapter;
    const t = db.tables;
    const s = (text: string) => db.statement(text);
    this.insertTask = s(this.#dialect.insertIgnore(t.tasks, 'id, request_id, owner_id, created_at, lease_renewed_at, scope', '(?, ?, ?, ?, ?, ?)'));
    this.insertState = s(`insert into ${t.taskStates} (task_id, created_at, state, phase, status) values (?, ?, ?, ?, ?)`);
    // Row lock on the task: updates to one task run one after another (SQLite serialises all writers).
    this.lockTask = s(`select id, owner_id, lease_renewed_at from ${t.tasks} where id = ?${this.#dialect.forUpdate}`);
    this.latestState = s(`select state from ${t.taskStates} where task_id = ? order by seq desc limit 1`);
    this.selectIdByRequest = s(`select id from ${t.tasks} where request_id = ?`);
    this.updateOwner = s(`update ${t.tasks} set owner_id = ?, lease_renewed_at = ? where id = ?`);
    this.updateCheckpoint = s(`update ${t.tasks} set checkpoint = ? where id = ?`);
    const latest = `select s.task_id, s.state, s.created_at from ${t.taskStates} s
      join (select task_id, max(seq) as seq from ${t.taskStates} group by task_id) l on l.task_id = s.task_id and l.seq = s.seq`;
    this.runningIds = s(`select x.task_id from (${latest}) x where x.state = 'STARTED'`);
    this.runningIdsByOwner = s(`select x.task_id from (${latest}) x join ${t.tasks} t on t.id = x.task_id where x.state = 'STARTED' and t.owner_id = ?`);
    this.completedBefore = s(`select x.task_id from (${latest}) x where x.state <> 'STARTED' and x.created_at < ? limit ?`);
  }

  #cached(key: string, build: () => string): string {
    let text = this.#byCount.get(key);
    if (!text) {
      text = this.#db.statement(build());
      if (this.#byCount.size < 256) this.#byCount.set(key, text);
    }
    return text;
  }

  #in(column: string, count: number): string {
    return this.#dialect.inList(column, count);
  }

  /** Binds an id list for {@link readTasks} and the deletes: PostgreSQL takes one array parameter. */
  idParams(ids: readonly string[]): unknown[] {
    return this.#dialect.listParams(ids);
  }

  /**
   * Every row of `count` tasks in one `union all` statement, so the read is one snapshot: a reader
   * never sees a status without the results written before it. Bind {@link idParams} four times.
   */
  readTasks(count: number): string {
    const t = this.#db.tables;
    const key = this.#dialect.bindsWholeList ? 'read' : `read:${count}`;
    return this.#cached(key, () =>
      [
        // The task row carries its lease in `seq` (task rows are not ordered), its scope in `c` and its checkpoint in `d`.
        `select 'T' as kind, t.id as task_id, t.lease_renewed_at as seq, t.created_at, t.request_id as a, t.owner_id as b, t.scope as c, t.checkpoint as d from ${t.tasks} t where ${this.#in('t.id', count)}`,
        `select 'S', s.task_id, s.seq, s.created_at, s.state, s.phase, s.status, null from ${t.taskStates} s where ${this.#in('s.task_id', count)}`,
        `select 'R', r.task_id, r.seq, r.created_at, r.body, null, null, null from ${t.taskResults} r where ${this.#in('r.task_id', count)}`,
        `select 'O', o.task_id, o.seq, o.created_at, o.body, null, null, null from ${t.taskOutputs} o where ${this.#in('o.task_id', count)}`,
      ].join(' union all '),
    );
  }

  insertBodies(table: string, count: number): string {
    return this.#cached(
      `bodies:${table}:${count}`,
      () => `insert into ${table} (task_id, created_at, body) values ${new Array(count).fill('(?, ?, ?)').join(', ')}`,
    );
  }

  deleteTasks(table: string, column: string, count: number): string {
    return this.#cached(`delete:${table}:${this.#dialect.bindsWholeList ? 0 : count}`, () => `delete from ${table} where ${this.#in(column, count)}`);
  }
}
