import type { TaskRecord, TaskScope } from '../tasks/task.js';
import { canAccessApplication, type CallerAccess } from './caller-access.js';

/**
 * The authorization rules every route applies, in one place (docs/threat-model.md):
 * - an account is visible with READ and changed with WRITE (Fiat semantics, see the resolvers);
 * - with application permissions (Fiat), an application's resources need READ on it and
 *   operations on it WRITE, as Clouddriver's `FiatPermissionEvaluator` does;
 * - a task is visible to whoever may READ every account and application it touches, and changed
 *   (marked failed, restarted, resumed) by whoever may WRITE them all; a task touching nothing is
 *   its creator's; a task stored without a scope (before Stratus recorded one) is admin-only;
 * - data that names no account (housekeeping agents) is visible to everyone, data naming an
 *   account follows that account's READ.
 */

/** True when the caller may see the task (404 otherwise, as unreadable resources are). */
export function canReadTask(access: CallerAccess, task: Pick<TaskRecord, 'scope'>): boolean {
  return allowedOnScope(access, task.scope, 'READ');
}

/** True when the caller may change the task (mark it failed, restart or resume it). */
export function canWriteTask(access: CallerAccess, task: Pick<TaskRecord, 'scope'>): boolean {
  return allowedOnScope(access, task.scope, 'WRITE');
}

function allowedOnScope(access: CallerAccess, scope: TaskScope | undefined, kind: 'READ' | 'WRITE'): boolean {
  if (access.admin) return true;
  if (!scope) return false;
  if (scope.accounts.length === 0 && scope.applications.length === 0) return (scope.user ?? '') === (access.user ?? '');
  const account = kind === 'READ' ? (name: string) => access.canReadAccount(name) : (name: string) => access.canWriteAccount(name);
  return scope.accounts.every(account) && scope.applications.every((application) => canAccessApplication(access, application, kind));
}

/** True when data about `account` (an agent's record, a pending on-demand record) may be shown; no account = shared. */
export function canReadAccountData(access: CallerAccess, account: string | undefined): boolean {
  return account === undefined || account === '' || access.canReadAccount(account);
}
