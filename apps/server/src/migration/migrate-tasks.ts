import type { TaskRepository } from '@stratus/core';
import { differingFields } from './verify-tasks.js';

export interface MigrateTasksOptions {
  readonly from: TaskRepository;
  readonly to: TaskRepository;
  /** Count what would be copied without writing anything. */
  readonly dryRun?: boolean;
  /** Only tasks started at or after this epoch ms. */
  readonly sinceMs?: number;
  /** Tasks read and written per step (default 100). */
  readonly batchSize?: number;
  /** Pause between batches (ms; default 0) to go easy on a live store. */
  readonly batchDelayMs?: number;
  /** How many copied tasks to compare field by field at the end (default 25). */
  readonly sampleSize?: number;
  readonly onProgress?: (progress: MigrationProgress) => void;
}

export interface MigrationProgress {
  /** Task ids in the source (before the `since` filter). */
  readonly total: number;
  readonly processed: number;
  /** Written now (or, on a dry run, would be). */
  readonly copied: number;
  /** Already in the destination: copied by an earlier, interrupted run. */
  readonly present: number;
  /** Older than `since`, or gone from the source between listing and reading (retention). */
  readonly skipped: number;
}

export interface MigrationReport extends MigrationProgress {
  readonly dryRun: boolean;
  /** Problems found while copying or verifying; empty means the destination matches. */
  readonly problems: readonly string[];
  /** Tasks compared field by field. */
  readonly sampled: number;
}

/**
 * Copies every task (history, results and outputs included) from one repository to another with
 * `importTask`, which is idempotent by id: running it again after an interruption skips what is
 * already there and copies the rest. Tasks are processed in id order, one batch at a time, and each
 * task is written atomically by the destination, so a crash leaves whole tasks only. At the end
 * every selected source task must exist in the destination and a sample must match exactly.
 *
 * Copy after the source has gone quiet (no server writes to it any more, e.g. once a dual-mode
 * server's in-flight tasks in `previous` have completed): a task copied while still changing is
 * reported as a mismatch rather than silently frozen.
 */
export async function migrateTasks(options: MigrateTasksOptions): Promise<MigrationReport> {
  const { from, to } = options;
  const batchSize = Math.max(1, options.batchSize ?? 100);
  const sampleSize = Math.max(0, options.sampleSize ?? 25);
  const ids = await from.listTaskIds();
  const problems: string[] = [];
  const selected: string[] = [];
  let processed = 0;
  let copied = 0;
  let present = 0;
  let skipped = 0;
  const progress = (): MigrationProgress => ({ total: ids.length, processed, copied, present, skipped });
  options.onProgress?.(progress());
  // A dry run compares against the destination's ids; a destination without its schema yet is empty.
  const existing = options.dryRun ? new Set(await to.listTaskIds().catch(() => [])) : undefined;

  for (let start = 0; start < ids.length; start += batchSize) {
    if (start > 0 && options.batchDelayMs) await new Promise((resolve) => setTimeout(resolve, options.batchDelayMs));
    const tasks = await Promise.all(ids.slice(start, start + batchSize).map((id) => from.get(id)));
    for (const task of tasks) {
      processed += 1;
      if (!task || (options.sinceMs !== undefined && task.startTimeMs < options.sinceMs)) {
        skipped += 1;
        continue;
      }
      selected.push(task.id);
      if (existing) {
        if (existing.has(task.id)) present += 1;
        else copied += 1;
        continue;
      }
      try {
        if (await to.importTask(task)) copied += 1;
        else present += 1;
      } catch (error) {
        problems.push(`task ${task.id}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    options.onProgress?.(progress());
  }

  let sampled = 0;
  if (!options.dryRun) sampled = await verify(options, selected, sampleSize, problems);
  return { ...progress(), dryRun: options.dryRun ?? false, problems, sampled };
}

/** Every selected id must be in the destination; a spread-out sample must be equal field by field. */
async function verify(options: MigrateTasksOptions, selected: readonly string[], sampleSize: number, problems: string[]): Promise<number> {
  const destination = new Set(await options.to.listTaskIds());
  const missing = selected.filter((id) => !destination.has(id));
  if (missing.length > 0)
    problems.push(`${missing.length} of ${selected.length} tasks missing from the destination (first: ${missing.slice(0, 5).join(', ')})`);
  const sample = spread(
    selected.filter((id) => destination.has(id)),
    sampleSize,
  );
  for (const id of sample) {
    const [source, copy] = await Promise.all([options.from.get(id), options.to.get(id)]);
    // Tasks already in the destination may be dual-written copies, whose history lines carry the
    // destination's clock: timestamps are compared with verify's tolerance (docs/runbooks/cache-and-task-migration.md).
    const fields = source && copy ? differingFields(source, copy, 60_000) : [];
    if (fields.length > 0) {
      problems.push(`task ${id} differs between source and destination (changed in the source after it was copied?)`);
    }
  }
  return sample.length;
}

/** Up to `count` ids spread evenly over the list, first and last included. */
function spread(ids: readonly string[], count: number): string[] {
  if (ids.length <= count) return [...ids];
  if (count === 0) return [];
  const step = (ids.length - 1) / Math.max(1, count - 1);
  return [...new Set(Array.from({ length: count }, (_, i) => ids[Math.round(i * step)]!))];
}
