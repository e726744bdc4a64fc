import { describe, expect, it } from 'vitest';
import { renderTask } from './task-json.js';
import type { TaskRecord, TaskState } from './task.js';

const task = (states: TaskState[]): TaskRecord => ({
  id: 't1',
  requestId: 'r1',
  ownerId: 'node-1',
  startTimeMs: 100,
  history: states.map((state, i) => ({ phase: 'ORCHESTRATION', status: `line ${i}`, state, timestamp: 100 + i })),
  resultObjects: [{ serverGroupNames: ['r:app-v001'] }],
  outputs: [{ manifest: 'm', phase: 'DEPLOY', stdOut: '', stdError: '' }],
});

describe('renderTask', () => {
  it("renders Orca's task shape with status first", () => {
    const json = renderTask(task(['STARTED', 'COMPLETED']));
    expect(Object.keys(json)[0]).toBe('status');
    expect(json).toEqual({
      status: { phase: 'ORCHESTRATION', status: 'line 1', complete: true, completed: true, failed: false, retryable: false },
      id: 't1',
      history: [
        { phase: 'ORCHESTRATION', status: 'line 0' },
        { phase: 'ORCHESTRATION', status: 'line 1' },
      ],
      resultObjects: [{ serverGroupNames: ['r:app-v001'] }],
      outputs: [{ manifest: 'm', phase: 'DEPLOY', stdOut: '', stdError: '' }],
      startTimeMs: 100,
      requestId: 'r1',
      ownerId: 'node-1',
      retryable: false,
      sagaIds: [],
    });
  });

  it.each([
    ['STARTED', { completed: false, failed: false, retryable: false }],
    ['FAILED', { completed: true, failed: true, retryable: false }],
    ['FAILED_RETRYABLE', { completed: true, failed: true, retryable: true }],
  ] as const)('maps %s to the status flags', (state, flags) => {
    const json = renderTask(task(['STARTED', state]));
    expect(json.status).toMatchObject({ ...flags, complete: flags.completed });
    expect(json.retryable).toBe(flags.retryable);
  });
});
