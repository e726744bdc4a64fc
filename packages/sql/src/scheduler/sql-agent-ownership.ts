import type { AgentOwnership } from '@stratus/plugin-api';
import type { SqlDatabase } from '../database/sql-database.js';
import type { AgentLocksTable } from '../database/stratus-tables.js';
import type { AgentLockStatements } from './agent-lock-statements.js';

/** What {@link sqlAgentOwnership} needs from the scheduler. */
export interface SqlAgentOwnershipContext {
  readonly db: SqlDatabase;
  readonly statements: AgentLockStatements;
  readonly nodeId: string;
  readonly now: () => number;
  /** How long a write between runs may hold the agent's row. */
  readonly writeLeaseMs: number;
  /** False once the agent was rescheduled or unscheduled, or the scheduler stopped or was killed. */
  readonly current: () => boolean;
  /** Runs a statement whose failure only delays things, logging instead of throwing. */
  readonly quietly: (what: string, work: () => Promise<unknown>) => Promise<void>;
}

/**
 * This node's claim on an agent between runs: its lock row (a run, or the "not before" marker a
 * finished run leaves) names this node. Once the marker is gone nobody owns the agent until the
 * next acquisition; the agent then stops its between-run writes until it runs again. A write holds
 * the row for its duration (no other node can acquire it meanwhile) and puts its expiry back.
 */
export function sqlAgentOwnership(agentType: string, context: SqlAgentOwnershipContext): AgentOwnership {
  const { db, statements: sql, nodeId, now, current } = context;
  const ownedRow = async () => {
    const [row] = await db.rows<Pick<AgentLocksTable, 'acquired_at' | 'expires_at'>>(sql.selectOwnedRow, [agentType, nodeId, now()]);
    return row && { acquiredAt: Number(row.acquired_at), expiresAt: Number(row.expires_at) };
  };
  return {
    owned: async () => current() && (await ownedRow()) !== undefined,
    writeIfOwned: async (write) => {
      if (!current()) return false;
      const row = await ownedRow();
      if (!row) return false;
      const held = Math.max(row.expiresAt, now() + context.writeLeaseMs);
      if (held !== row.expiresAt) {
        const claimed = await db.affected(sql.holdOwned, [held, agentType, nodeId, row.acquiredAt, row.expiresAt]);
        if (claimed === 0) return false;
      }
      try {
        await write();
      } finally {
        if (held !== row.expiresAt) {
          await context.quietly('write release', () => db.affected(sql.holdOwned, [row.expiresAt, agentType, nodeId, row.acquiredAt, held]));
        }
      }
      return true;
    },
  };
}
