import type { Generated } from 'kysely';

/**
 * The schema the migrations build, as kysely table interfaces (keys are the un-namespaced names;
 * `TableNames` gives the real ones). Hot statements are SQL text, so these type what they
 * read back: a row type is a `Pick` of its table. BIGINT columns arrive as strings from `pg` and as
 * numbers elsewhere, hence `Bigint`.
 */
export interface StratusTables {
  cache_items: CacheItemsTable;
  cache_sources: CacheSourcesTable;
  cache_types: CacheTypesTable;
  agent_locks: AgentLocksTable;
  tasks: TasksTable;
  task_states: TaskStatesTable;
  task_results: TaskBodiesTable;
  task_outputs: TaskBodiesTable;
}

/** A BIGINT as a driver returns it. */
export type Bigint = string | number;

/** One cache item per (namespace, type, id); `attributes` and `relationships` are JSON text. */
export interface CacheItemsTable {
  ns: string;
  type: string;
  id: string;
  application: string | null;
  /** `''` once every attribute was cleared (the item is then invisible). */
  attributes: string | null;
  relationships: string | null;
  expires_at: Bigint | null;
  body_hash: string | null;
}

/** An agent's source ids, as JSON arrays of at most a few thousand ids per chunk row. */
export interface CacheSourcesTable {
  ns: string;
  type: string;
  agent: string;
  chunk: number;
  ids: string;
}

export interface CacheTypesTable {
  ns: string;
  type: string;
}

/** The scheduler's lock row: a run, or the "not before" marker a finished run leaves. */
export interface AgentLocksTable {
  agent_name: string;
  owner_id: string;
  acquired_at: Bigint;
  expires_at: Bigint;
}

export interface TasksTable {
  id: string;
  request_id: string;
  owner_id: string;
  created_at: Bigint;
  lease_renewed_at: Bigint | null;
  /** JSON. */
  checkpoint: string | null;
  /** JSON. */
  scope: string | null;
}

export interface TaskStatesTable {
  seq: Generated<Bigint>;
  task_id: string;
  created_at: Bigint;
  state: string;
  phase: string;
  status: string;
}

/** `task_results` and `task_outputs`: JSON bodies in insert order. */
export interface TaskBodiesTable {
  seq: Generated<Bigint>;
  task_id: string;
  created_at: Bigint;
  body: string;
}
