import { DualWriteTaskRepository, type TaskRepository } from '@stratus/core';
import type { ServerHealth } from './server-health.js';

/**
 * In dual-write task migration, a readiness component `taskCopies` showing how far the second
 * store is behind (queued, failed and dropped copies). Always UP: a lagging copy is retried and
 * must not take the server out of rotation; operators watch the numbers (and the metrics).
 */
export function addTaskCopyReadiness(health: ServerHealth, repository: TaskRepository): void {
  if (!(repository instanceof DualWriteTaskRepository)) return;
  health.addCheck({ name: 'taskCopies', kind: repository.kind, check: async () => repository.status() });
}
