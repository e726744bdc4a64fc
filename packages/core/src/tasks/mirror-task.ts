import { isDeepStrictEqual } from 'node:util';
import type { TaskRecord } from './task.js';
import type { TaskRepository } from './task-repository.js';

/** What `mirrorTask` did to the target. */
export type MirrorOutcome = 'imported' | 'updated' | 'unchanged';

/**
 * Brings `target`'s copy of a task up to `source` (the authoritative record), for dual-write task
 * repositories. A task the target lacks is imported exactly (same id, timestamps, history). A task
 * it has is brought forward with the repository's own writes: owner, checkpoint, the results and
 * outputs it lacks, then the history lines it lacks, in order, so a completed task is completed last.
 * History, results and outputs are append-only, so "what it lacks" is the tail past its length.
 *
 * The target stamps the history lines it appends with its own clock, so a dual-written copy's line
 * timestamps trail the primary's by the write latency; `stratus migrate verify` compares them with
 * a tolerance for that reason (docs/runbooks/cache-and-task-migration.md).
 *
 * Idempotent when runs for one task do not overlap (callers serialize per task id).
 */
export async function mirrorTask(source: TaskRecord, target: TaskRepository): Promise<MirrorOutcome> {
  const copy = await target.get(source.id);
  if (!copy) {
    // `false` = another writer imported it in between: fine, bring that copy forward next time.
    return (await target.importTask(source)) ? 'imported' : 'unchanged';
  }
  let changed = false;
  const content = async () => {
    if (source.checkpoint && !isDeepStrictEqual(source.checkpoint, copy.checkpoint) && currentState(copy) === 'STARTED') {
      await target.saveCheckpoint(source.id, source.checkpoint);
      changed = true;
    }
    if (source.resultObjects.length > copy.resultObjects.length) {
      await target.addResultObjects(source.id, source.resultObjects.slice(copy.resultObjects.length));
      changed = true;
    }
    for (const output of source.outputs.slice(copy.outputs.length)) {
      await target.addOutput(source.id, output);
      changed = true;
    }
  };
  const history = async () => {
    for (const line of source.history.slice(copy.history.length)) {
      await target.appendStatus(source.id, line.phase, line.status, line.state);
      changed = true;
    }
  };
  if (source.ownerId !== copy.ownerId) {
    await target.updateOwnerId(source.id, source.ownerId);
    changed = true;
  }
  // A running copy takes content before the lines that may complete it; a completed copy (a retry
  // re-opened the task in the source) takes the re-opening lines first.
  if (currentState(copy) === 'STARTED') {
    await content();
    await history();
  } else {
    await history();
    await content();
  }
  return changed ? 'updated' : 'unchanged';
}

function currentState(task: TaskRecord) {
  return task.history[task.history.length - 1]?.state ?? 'STARTED';
}
