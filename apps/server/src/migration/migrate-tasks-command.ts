import { InvalidArgumentError, type Command } from 'commander';
import { existsSync } from 'node:fs';
import { MemoryTaskRepository } from '@stratus/core';
import { sqlitePath } from '@stratus/sql';
import { migrateTasks, type MigrationProgress } from './migrate-tasks.js';
import { openTaskStore, type OpenedTaskStore } from './open-task-store.js';
import { registerMigrateVerifyCommand } from './migrate-verify-command.js';

interface MigrateFlags {
  readonly from: string;
  readonly to: string;
  readonly dryRun?: boolean;
  readonly since?: number;
  readonly batchSize: number;
  readonly batchDelayMs: number;
  readonly sample: number;
}

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `--since`: an ISO time (`2026-11-01T00:00:00Z`), epoch milliseconds, or an age (`90m`, `12h`, `7d`). */
export function parseSince(value: string, now = Date.now()): number {
  const age = /^(\d+)([smhd])$/.exec(value);
  if (age) return now - Number(age[1]) * UNIT_MS[age[2]!]!;
  if (/^\d+$/.test(value)) return Number(value);
  const parsed = Date.parse(value);
  if (Number.isNaN(parsed)) throw new InvalidArgumentError('expected an ISO time, epoch milliseconds, or an age like 12h or 7d');
  return parsed;
}

function count(min: number) {
  return (value: string): number => {
    const parsed = Number(value);
    if (!Number.isInteger(parsed) || parsed < min) throw new InvalidArgumentError(`expected an integer >= ${min}`);
    return parsed;
  };
}

/** A bar redrawn in place on a terminal; one plain line at most every second otherwise (logs, CI). */
export function progressPrinter(stream: NodeJS.WriteStream): { update(p: MigrationProgress): void; done(): void } {
  const tty = stream.isTTY === true;
  let lastLine = 0;
  const describe = (p: MigrationProgress) => `${p.processed}/${p.total} tasks (copied ${p.copied}, already there ${p.present}, skipped ${p.skipped})`;
  return {
    update(p) {
      if (tty) {
        const width = 30;
        const filled = p.total === 0 ? width : Math.round((p.processed / p.total) * width);
        stream.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${describe(p)}`);
        return;
      }
      const now = Date.now();
      if (now - lastLine >= 1000 || p.processed === p.total) {
        lastLine = now;
        stream.write(`migrate: ${describe(p)}\n`);
      }
    },
    done() {
      if (tty) stream.write('\n');
    },
  };
}

function isMissingSqliteFile(spec: string): boolean {
  if (!/^sqlite:/i.test(spec) || /^sqlite::memory:/i.test(spec)) return false;
  return !existsSync(sqlitePath(spec));
}

async function run(flags: MigrateFlags): Promise<number> {
  const opened: OpenedTaskStore[] = [];
  try {
    const from = await openTaskStore(flags.from);
    opened.push(from);
    // The destination's schema is created if missing; a dry run writes nothing, not even tables, and
    // does not open a SQLite file that is not there yet (opening would create it): it counts as empty.
    const to =
      flags.dryRun && isMissingSqliteFile(flags.to)
        ? { repository: new MemoryTaskRepository(), description: `${flags.to} (does not exist yet)`, close: async () => {} }
        : await openTaskStore(flags.to, { migrate: !flags.dryRun });
    opened.push(to);
    process.stderr.write(`migrate: from ${from.description}\nmigrate: to   ${to.description}${flags.dryRun ? ' (dry run)' : ''}\n`);
    const printer = progressPrinter(process.stderr);
    const report = await migrateTasks({
      from: from.repository,
      to: to.repository,
      dryRun: flags.dryRun ?? false,
      ...(flags.since !== undefined ? { sinceMs: flags.since } : {}),
      batchSize: flags.batchSize,
      batchDelayMs: flags.batchDelayMs,
      sampleSize: flags.sample,
      onProgress: (p) => printer.update(p),
    });
    printer.done();
    process.stdout.write(`${JSON.stringify(report)}\n`);
    for (const problem of report.problems) process.stderr.write(`migrate: ${problem}\n`);
    if (report.problems.length > 0) {
      process.stderr.write(`migrate: FAILED verification with ${report.problems.length} problem(s); fix them and run again (it resumes)\n`);
      return 1;
    }
    process.stderr.write(
      report.dryRun
        ? `migrate: dry run: ${report.copied} task(s) would be copied, ${report.present} already there\n`
        : `migrate: done: ${report.copied} copied, ${report.present} already there, ${report.skipped} skipped; verified ${report.sampled} sampled task(s)\n`,
    );
    return 0;
  } catch (error) {
    process.stderr.write(`stratus: migrate tasks: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  } finally {
    await Promise.allSettled(opened.map((store) => store.close()));
  }
}

/** `stratus migrate tasks --from <store> --to <store> [--dry-run] [--since <time>]`. */
export function registerMigrateCommand(program: Command): void {
  const migrate = program.command('migrate').description('move stored data between stores');
  migrate
    .command('tasks')
    .description(
      'copy every task (history, results, outputs) from one store to another; idempotent and resumable, verified at the end. ' +
        'Stores: redis://host:6379/0?prefix=stratus, postgres://user@host/db?tableNamespace=ns, mysql://…, mariadb://…, sqlite:<path>, config:<file>',
    )
    .requiredOption('--from <store>', 'source task store')
    .requiredOption('--to <store>', 'destination task store (its SQL schema is created if missing)')
    .option('--dry-run', 'count what would be copied; write nothing')
    .option('--since <time>', 'only tasks started since: ISO time, epoch ms, or an age like 12h / 7d', (value) => parseSince(value))
    .option('--batch-size <n>', 'tasks per batch', count(1), 100)
    .option('--batch-delay-ms <ms>', 'pause between batches, to go easy on a live store', count(0), 0)
    .option('--sample <n>', 'tasks compared field by field at the end', count(0), 25)
    .action(async (flags: MigrateFlags) => {
      process.exitCode = await run(flags);
    });
  registerMigrateVerifyCommand(migrate);
}
