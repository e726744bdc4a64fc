/**
 * A transaction left idle this long is ended by the server (PostgreSQL, MariaDB): a replica paused
 * or hung mid-transaction must not hold a task's row lock, or no other replica could take its tasks
 * over (docs/operator-guide.md, "Task leases").
 */
export const IDLE_TRANSACTION_TIMEOUT_SECONDS = 10;
