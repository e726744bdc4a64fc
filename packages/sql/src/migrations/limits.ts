/**
 * Column sizes. MySQL/InnoDB caps an index at 3,072 bytes and counts 4 bytes per utf8mb4
 * character, so the cache primary key (namespace, type, id) has to fit 100 + 100 + 500 characters.
 */
export const SQL_LIMITS = {
  namespaceLength: 100,
  typeLength: 100,
  idLength: 500,
  applicationLength: 255,
  agentLength: 255,
  agentNameLength: 500,
  ownerLength: 255,
  taskIdLength: 64,
  requestIdLength: 255,
  statusLength: 10_000,
} as const;
