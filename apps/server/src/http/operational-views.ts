import type { AgentExecutionRecord, CallerAccess } from '@stratus/core';
import type { ReadinessReport } from '../health/server-health.js';

/**
 * What the operational endpoints show a caller on the main port: admins (and the management port)
 * see everything; everyone else sees only what names no account they cannot read.
 */

/**
 * Readiness for a non-admin: each component's status, kind and latency, and of its details only
 * the per-account entries of accounts the caller may read (see {@link accountDetailsFor}). A
 * component's own error (a store's, naming hosts) and anything not known to belong to an account
 * stay for admins and the management port.
 */
export function readinessFor(access: CallerAccess, report: ReadinessReport): ReadinessReport {
  if (access.admin) return report;
  const components = Object.fromEntries(
    Object.entries(report.components).map(([name, { status, kind, latencyMs, details }]) => {
      const shown = details ? accountDetailsFor(access, details) : undefined;
      return [name, { status, ...(kind ? { kind } : {}), latencyMs, ...(shown ? { details: shown } : {}) }];
    }),
  );
  return { ...report, components };
}

/**
 * The per-account part of a component's details, for the accounts the caller may read. The shapes
 * known to name accounts: `accounts` as a list of `{account, …}` (Kubernetes) or a map by account
 * name (Docker Registry), and `problems` as a list of `{name, …}` (accounts that failed to load).
 * Everything else (totals over all accounts, free-form messages) is left out: a count or a message
 * cannot be filtered by account. Undefined when nothing is left.
 */
export function accountDetailsFor(access: CallerAccess, details: Record<string, unknown>): Record<string, unknown> | undefined {
  const readable = (entry: unknown, key: 'account' | 'name') => {
    const account = isRecord(entry) ? entry[key] : undefined;
    return typeof account === 'string' && access.canReadAccount(account);
  };
  const shown: Record<string, unknown> = {};
  const { accounts, problems } = details;
  if (Array.isArray(accounts)) shown.accounts = accounts.filter((entry) => readable(entry, 'account'));
  else if (isRecord(accounts)) shown.accounts = Object.fromEntries(Object.entries(accounts).filter(([account]) => access.canReadAccount(account)));
  if (Array.isArray(problems)) shown.problems = problems.filter((entry) => readable(entry, 'name'));
  return Object.keys(shown).length > 0 ? shown : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const LABEL = /(\w+)="((?:[^"\\]|\\.)*)"/g;

/**
 * Prometheus text for a non-admin: every sample whose `account` label, or whose `agent` label's
 * account, the caller cannot read is left out (agents of housekeeping, with no account, stay).
 */
export function metricsFor(access: CallerAccess, text: string, agents: readonly AgentExecutionRecord[]): string {
  if (access.admin) return text;
  const accountOfAgent = new Map(agents.map((record) => [record.agentType, record.accountName]));
  const hidden = (account: string | undefined) => account !== undefined && account !== '' && !access.canReadAccount(account);
  return text
    .split('\n')
    .filter((line) => {
      if (line.startsWith('#') || !line.includes('{')) return true;
      for (const [, name, value] of line.matchAll(LABEL)) {
        if (name === 'account' && hidden(value)) return false;
        if (name === 'agent') {
          // Unknown agents (not in the instrumentation any more) are judged by their `<account>/` prefix.
          const account = accountOfAgent.has(value!) ? accountOfAgent.get(value!) : value!.includes('/') ? value!.split('/')[0] : undefined;
          if (hidden(account)) return false;
        }
      }
      return true;
    })
    .join('\n');
}
