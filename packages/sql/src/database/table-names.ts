/** Every table Stratus creates, with the `sql.tableNamespace` prefix applied. */
export interface TableNames {
  readonly prefix: string;
  readonly cacheItems: string;
  readonly cacheSources: string;
  readonly cacheTypes: string;
  readonly agentLocks: string;
  readonly tasks: string;
  readonly taskStates: string;
  readonly taskResults: string;
  readonly taskOutputs: string;
  readonly migrations: string;
  readonly migrationLock: string;
}

const NAMESPACE_PATTERN = /^[a-z][a-z0-9_]{0,29}$/;

/**
 * Table names for a namespace. The namespace is spliced into SQL text, so it is restricted to
 * lower-case letters, digits and `_` (at most 30 characters, which keeps every name under MySQL's 64).
 */
export function tableNames(namespace?: string): TableNames {
  if (namespace !== undefined && namespace !== '' && !NAMESPACE_PATTERN.test(namespace)) {
    throw new Error(`sql.tableNamespace '${namespace}' is invalid: use 1-30 lower-case letters, digits or '_', starting with a letter`);
  }
  const prefix = namespace ? `${namespace}_` : '';
  return {
    prefix,
    cacheItems: `${prefix}cache_items`,
    cacheSources: `${prefix}cache_sources`,
    cacheTypes: `${prefix}cache_types`,
    agentLocks: `${prefix}agent_locks`,
    tasks: `${prefix}tasks`,
    taskStates: `${prefix}task_states`,
    taskResults: `${prefix}task_results`,
    taskOutputs: `${prefix}task_outputs`,
    migrations: `${prefix}stratus_migrations`,
    migrationLock: `${prefix}stratus_migrations_lock`,
  };
}
