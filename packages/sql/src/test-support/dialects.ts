import type { SqlDialectName } from '../dialects/sql-dialect-name.js';

/** Dialects the tests run on; narrow with `SQL_DIALECTS=postgres,sqlite`. */
export function testDialects(offered: readonly SqlDialectName[] = ['postgres', 'mysql', 'sqlite']): SqlDialectName[] {
  const wanted = process.env.SQL_DIALECTS?.split(',').map((d) => d.trim());
  return offered.filter((d) => !wanted || wanted.includes(d));
}
