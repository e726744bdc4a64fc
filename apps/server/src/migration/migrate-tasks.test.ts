import { MemoryTaskRepository } from '@stratus/core';
import { describe, expect, it } from 'vitest';
import { parseSince, progressPrinter } from './migrate-tasks-command.js';
import { migrateTasks, type MigrationProgress } from './migrate-tasks.js';

async function seed(count: number, clock: { now: number }): Promise<MemoryTaskRepository> {
  const source = new MemoryTaskRepository(() => clock.now);
  for (let i = 0; i < count; i++) {
    clock.now += 1000;
    const { task } = await source.create('ORCHESTRATION', 'init', `req-${i}`, 'node');
    await source.addOutput(task.id, { i });
    if (i % 2 === 0) await source.appendStatus(task.id, 'DONE', 'done', 'COMPLETED');
  }
  return source;
}

describe('migrateTasks', () => {
  it('copies in batches with progress, only tasks since a time, and verifies', async () => {
    const clock = { now: 1_000_000 };
    const source = await seed(10, clock);
    const destination = new MemoryTaskRepository();
    const progress: MigrationProgress[] = [];
    const report = await migrateTasks({ from: source, to: destination, sinceMs: 1_000_000 + 5_000, batchSize: 3, onProgress: (p) => progress.push(p) });
    expect(report).toMatchObject({ total: 10, processed: 10, copied: 6, present: 0, skipped: 4, problems: [], sampled: 6 });
    expect(progress.map((p) => p.processed)).toEqual([0, 3, 6, 9, 10]);
    for (const id of await destination.listTaskIds()) expect(await destination.get(id)).toEqual(await source.get(id));
  });

  it('a dry run writes nothing; a rerun finds everything present', async () => {
    const source = await seed(4, { now: 0 });
    const destination = new MemoryTaskRepository();
    expect(await migrateTasks({ from: source, to: destination, dryRun: true })).toMatchObject({ copied: 4, dryRun: true, sampled: 0 });
    expect(await destination.listTaskIds()).toEqual([]);
    await migrateTasks({ from: source, to: destination });
    expect(await migrateTasks({ from: source, to: destination })).toMatchObject({ copied: 0, present: 4, problems: [] });
  });

  it('reports a task that changed in the source after it was copied', async () => {
    const source = await seed(3, { now: 0 });
    const destination = new MemoryTaskRepository();
    await migrateTasks({ from: source, to: destination });
    const [running] = await source.listRunning();
    await source.appendStatus(running!.id, 'LATE', 'written after the copy');
    const report = await migrateTasks({ from: source, to: destination });
    expect(report.problems).toEqual([`task ${running!.id} differs between source and destination (changed in the source after it was copied?)`]);
  });
});

describe('parseSince', () => {
  it('reads ages, epoch ms and ISO times, and rejects the rest', () => {
    expect(parseSince('12h', 100_000_000)).toBe(100_000_000 - 12 * 3_600_000);
    expect(parseSince('7d', 1e12)).toBe(1e12 - 7 * 86_400_000);
    expect(parseSince('1700000000000')).toBe(1_700_000_000_000);
    expect(parseSince('2026-11-01T00:00:00Z')).toBe(Date.UTC(2026, 10, 1));
    expect(() => parseSince('last tuesday')).toThrow(/ISO time, epoch milliseconds, or an age/);
  });
});

describe('progressPrinter', () => {
  const fakeStream = (isTTY: boolean) => {
    const written: string[] = [];
    return { written, stream: { isTTY, write: (text: string) => written.push(text) } as unknown as NodeJS.WriteStream };
  };
  const at = (processed: number): MigrationProgress => ({ total: 10, processed, copied: processed, present: 0, skipped: 0 });

  it('redraws a bar in place on a terminal', () => {
    const { written, stream } = fakeStream(true);
    const printer = progressPrinter(stream);
    printer.update(at(5));
    printer.update(at(10));
    printer.done();
    expect(written[0]).toBe(`\r[${'#'.repeat(15)}${'.'.repeat(15)}] 5/10 tasks (copied 5, already there 0, skipped 0)`);
    expect(written[1]).toContain(`[${'#'.repeat(30)}]`);
    expect(written[2]).toBe('\n');
  });

  it('prints plain lines, at most one a second plus the last, otherwise', () => {
    const { written, stream } = fakeStream(false);
    const printer = progressPrinter(stream);
    for (let i = 0; i <= 10; i++) printer.update(at(i));
    expect(written).toEqual(['migrate: 0/10 tasks (copied 0, already there 0, skipped 0)\n', 'migrate: 10/10 tasks (copied 10, already there 0, skipped 0)\n']);
  });
});
