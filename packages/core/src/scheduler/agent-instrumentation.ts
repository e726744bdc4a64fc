import { redactErrorMessage } from '../security/redact-error-message.js';
import type { Agent } from '@stratus/plugin-api';
import type { ExecutionOutcome } from './agent-execution.js';

export type ExecutionResultKind = 'success' | 'failure' | 'timeout' | 'discarded';

/** What is known about an agent's runs; served by `/cache/introspection` and metrics. */
export interface AgentExecutionRecord {
  readonly agentType: string;
  readonly providerName: string;
  /** The account the agent works for (absent for housekeeping agents), for authorizing who sees the record. */
  readonly accountName?: string;
  lastStartMs?: number;
  lastDurationMs?: number;
  lastOutcome?: ExecutionResultKind;
  /** Cleared (undefined) by the next success. */
  lastError?: string | undefined;
  lastItemsWritten: number;
  lastItemsEvicted: number;
  totalAdditions: number;
  totalEvictions: number;
  executions: number;
  failures: number;
  /** The last successful run's details; undefined when that run reported none. */
  details?: Record<string, unknown> | undefined;
}

export interface ExecutionEvent {
  readonly agent: Agent;
  readonly result: ExecutionResultKind;
  readonly durationMs: number;
  readonly outcome?: ExecutionOutcome;
  readonly error?: unknown;
}

/** Keeps one {@link AgentExecutionRecord} per agent in memory and tells listeners about every run. */
export class AgentInstrumentation {
  private readonly records = new Map<string, AgentExecutionRecord>();
  private readonly listeners = new Set<(event: ExecutionEvent) => void>();

  onExecution(listener: (event: ExecutionEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private record(agent: Agent): AgentExecutionRecord {
    let record = this.records.get(agent.agentType);
    if (!record) {
      record = {
        agentType: agent.agentType,
        providerName: agent.providerName,
        ...(agent.accountName ? { accountName: agent.accountName } : {}),
        lastItemsWritten: 0,
        lastItemsEvicted: 0,
        totalAdditions: 0,
        totalEvictions: 0,
        executions: 0,
        failures: 0,
      };
      this.records.set(agent.agentType, record);
    }
    return record;
  }

  started(agent: Agent, startMs: number): void {
    this.record(agent).lastStartMs = startMs;
  }

  completed(agent: Agent, durationMs: number, outcome: ExecutionOutcome): void {
    const record = this.record(agent);
    record.executions++;
    record.lastDurationMs = durationMs;
    record.lastOutcome = 'success';
    record.lastError = undefined;
    record.lastItemsWritten = outcome.itemsWritten ?? 0;
    record.lastItemsEvicted = outcome.itemsEvicted ?? 0;
    record.totalAdditions += record.lastItemsWritten;
    record.totalEvictions += record.lastItemsEvicted;
    record.details = outcome.details;
    this.emit({ agent, result: 'success', durationMs, outcome });
  }

  failed(agent: Agent, durationMs: number, error: unknown, result: Exclude<ExecutionResultKind, 'success'> = 'failure'): void {
    const record = this.record(agent);
    record.executions++;
    record.failures++;
    record.lastDurationMs = durationMs;
    record.lastOutcome = result;
    // Shown by /cache/introspection: never the file text or remote body an error may carry.
    record.lastError = redactErrorMessage(error);
    record.lastItemsWritten = 0;
    record.lastItemsEvicted = 0;
    this.emit({ agent, result, durationMs, error });
  }

  forget(agentType: string): void {
    this.records.delete(agentType);
  }

  get(agentType: string): AgentExecutionRecord | undefined {
    return this.records.get(agentType);
  }

  list(): AgentExecutionRecord[] {
    return [...this.records.values()];
  }

  private emit(event: ExecutionEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // a broken listener must not break scheduling
      }
    }
  }
}
