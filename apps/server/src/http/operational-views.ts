import type { AgentExecutionRecord, CallerAccess } from '@stratus/core';
import type { ReadinessReport } from '../health/server-health.js';

/**
 * What the operational endpoints show a caller on the main port: admins (and the management port)
 * see everything; everyone else sees only what names no account they cannot read.
 */

/** Readiness for a non-admin: each component's status, kind and latency, without details or errors (they name accounts and stores). */
export function readinessFor(access: CallerAccess, report: ReadinessReport): ReadinessReport {
  if (access.admin) return report;
  const components = Object.fromEntries(
    Object.entries(report.components).map(([name, { status, kind, latencyMs }]) => [name, { status, ...(kind ? { kind } : {}), latencyMs }]),
  );
  return { ...report, components };
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
