import { isDeepStrictEqual } from 'node:util';
import type { TaskRecord, TaskRepository } from '@stratus/core';

export interface VerifyProgress {
  readonly total: number;
  readonly processed: number;
}

export interface VerifyTasksOptions {
  readonly from: TaskRepository;
  readonly to: TaskRepository;
  /** How many tasks present in both to compare field by field (default 100; spread over all ids). */
  readonly sampleSize?: number;
  /**
   * How far a history line's timestamp may differ between the stores (ms, default 60 s): a
   * dual-written copy stamps the lines it appends with its own clock (docs/runbooks/cache-and-task-migration.md).
   */
  readonly timestampToleranceMs?: number;
  readonly onProgress?: (progress: VerifyProgress) => void;
}

export interface VerifyReport {
  readonly fromCount: number;
  readonly toCount: number;
  /** In `from`, not in `to` (first 20 ids and the count). */
  readonly missingInTo: { readonly count: number; readonly first: readonly string[] };
  readonly missingInFrom: { readonly count: number; readonly first: readonly string[] };
  readonly sampled: number;
  /** One line per differing sampled task, naming the fields that differ. */
  readonly differences: readonly string[];
  readonly ok: boolean;
}

/**
 * Compares two task stores at any step of a migration: id counts both ways, then a sample spread
 * over the ids present in both, field by field. Running tasks may legitimately be a step apart
 * while a copy is in flight; run it again after they settle before calling a difference real.
 */
export async function verifyTasks(options: VerifyTasksOptions): Promise<VerifyReport> {
  const tolerance = options.timestampToleranceMs ?? 60_000;
  const [fromIds, toIds] = await Promise.all([options.from.listTaskIds(), options.to.listTaskIds()]);
  const inTo = new Set(toIds);
  const inFrom = new Set(fromIds);
  const missingInTo = fromIds.filter((id) => !inTo.has(id));
  const missingInFrom = toIds.filter((id) => !inFrom.has(id));
  const sample = spread(
    fromIds.filter((id) => inTo.has(id)),
    options.sampleSize ?? 100,
  );
  const differences: string[] = [];
  let processed = 0;
  for (const id of sample) {
    const [a, b] = await Promise.all([options.from.get(id), options.to.get(id)]);
    processed += 1;
    options.onProgress?.({ total: sample.length, processed });
    if (!a || !b) continue; // removed by retention between listing and reading
    const fields = differingFields(a, b, tolerance);
    if (fields.length > 0) differences.push(`task ${id}: ${fields.join(', ')} differ`);
  }
  return {
    fromCount: fromIds.length,
    toCount: toIds.length,
    missingInTo: { count: missingInTo.length, first: missingInTo.slice(0, 20) },
    missingInFrom: { count: missingInFrom.length, first: missingInFrom.slice(0, 20) },
    sampled: sample.length,
    differences,
    ok: missingInTo.length === 0 && missingInFrom.length === 0 && differences.length === 0,
  };
}

/** The fields of two copies of one task that differ (lease times never count: the owner renews them). */
export function differingFields(a: TaskRecord, b: TaskRecord, toleranceMs: number): string[] {
  const fields: string[] = [];
  const same = (x: unknown, y: unknown) => isDeepStrictEqual(plain(x), plain(y));
  for (const field of ['requestId', 'ownerId', 'startTimeMs', 'scope', 'checkpoint', 'resultObjects', 'outputs'] as const) {
    if (!same(a[field], b[field])) fields.push(field);
  }
  if (a.history.length !== b.history.length) {
    fields.push(`history (${a.history.length} vs ${b.history.length} lines)`);
  } else {
    a.history.forEach((line, i) => {
      const other = b.history[i]!;
      if (line.phase !== other.phase || line.status !== other.status || line.state !== other.state) fields.push(`history[${i}]`);
      else if (Math.abs(line.timestamp - other.timestamp) > toleranceMs) fields.push(`history[${i}].timestamp`);
    });
  }
  return fields;
}

/** JSON round trip: stores may drop `undefined` members or return fresh objects. */
function plain(value: unknown): unknown {
  return value === undefined ? undefined : JSON.parse(JSON.stringify(value));
}

/** Up to `count` ids spread evenly over the list, first and last included. */
export function spread(ids: readonly string[], count: number): string[] {
  if (ids.length <= count) return [...ids];
  if (count <= 0) return [];
  const step = (ids.length - 1) / Math.max(1, count - 1);
  return [...new Set(Array.from({ length: count }, (_, i) => ids[Math.round(i * step)]!))];
}
