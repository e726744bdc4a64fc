/** The SQL dialects Stratus speaks. MariaDB is `mysql`. */
export type SqlDialectName = 'postgres' | 'mysql' | 'sqlite';
