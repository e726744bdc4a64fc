import { InvalidArgumentError, type Command } from 'commander';
import { registerMigrateCacheCommands } from './migrate-cache-command.js';
import { openTaskStore, type OpenedTaskStore } from './open-task-store.js';
import { verifyTasks, type VerifyProgress } from './verify-tasks.js';

interface VerifyFlags {
  readonly from: string;
  readonly to: string;
  readonly sample: number;
  readonly timestampToleranceMs: number;
}

function count(min: number) {
  return (value: string): number => {
    const parsed = Number(value);
    if (!Number.isInteger(parsed) || parsed < min) throw new InvalidArgumentError(`expected an integer >= ${min}`);
    return parsed;
  };
}

/** A bar redrawn in place on a terminal; a plain line at most every second otherwise. */
function printer(stream: NodeJS.WriteStream): (p: VerifyProgress) => void {
  let last = 0;
  return (p) => {
    if (stream.isTTY) {
      const filled = p.total === 0 ? 30 : Math.round((p.processed / p.total) * 30);
      stream.write(`\r[${'#'.repeat(filled)}${'.'.repeat(30 - filled)}] ${p.processed}/${p.total} compared${p.processed === p.total ? '\n' : ''}`);
    } else if (Date.now() - last >= 1000 || p.processed === p.total) {
      last = Date.now();
      stream.write(`verify: ${p.processed}/${p.total} compared\n`);
    }
  };
}

async function verifyTaskStores(flags: VerifyFlags): Promise<number> {
  const opened: OpenedTaskStore[] = [];
  try {
    const from = await openTaskStore(flags.from);
    opened.push(from);
    const to = await openTaskStore(flags.to);
    opened.push(to);
    process.stderr.write(`verify: from ${from.description}\nverify: to   ${to.description}\n`);
    const report = await verifyTasks({
      from: from.repository,
      to: to.repository,
      sampleSize: flags.sample,
      timestampToleranceMs: flags.timestampToleranceMs,
      onProgress: printer(process.stderr),
    });
    process.stdout.write(`${JSON.stringify(report)}\n`);
    if (report.ok) {
      process.stderr.write(`verify: OK: ${report.fromCount} task(s) in both, ${report.sampled} compared field by field\n`);
      return 0;
    }
    if (report.missingInTo.count > 0)
      process.stderr.write(`verify: ${report.missingInTo.count} task(s) only in --from (first: ${report.missingInTo.first.slice(0, 5).join(', ')})\n`);
    if (report.missingInFrom.count > 0)
      process.stderr.write(`verify: ${report.missingInFrom.count} task(s) only in --to (first: ${report.missingInFrom.first.slice(0, 5).join(', ')})\n`);
    for (const line of report.differences) process.stderr.write(`verify: ${line}\n`);
    process.stderr.write('verify: MISMATCH\n');
    return 1;
  } catch (error) {
    process.stderr.write(`stratus: migrate verify tasks: ${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  } finally {
    await Promise.allSettled(opened.map((store) => store.close()));
  }
}

/**
 * `stratus migrate verify tasks|cache --from <store> --to <store>` (exit 0 when they match, 1 on a
 * mismatch, 2 when it cannot run) and `stratus migrate cache`.
 */
export function registerMigrateVerifyCommand(migrate: Command): void {
  const verify = migrate.command('verify').description('compare two stores: counts both ways and a sampled field-by-field diff; exit 1 on a mismatch');
  verify
    .command('tasks')
    .description('compare two task stores (same store URLs as `migrate tasks`); read-only, usable at any step of a migration')
    .requiredOption('--from <store>', 'one task store (e.g. the old one)')
    .requiredOption('--to <store>', 'the other task store')
    .option('--sample <n>', 'tasks compared field by field, spread over all ids', count(0), 100)
    .option('--timestamp-tolerance-ms <ms>', 'how far history timestamps of a dual-written copy may trail', count(0), 60_000)
    .action(async (flags: VerifyFlags) => {
      process.exitCode = await verifyTaskStores(flags);
    });
  registerMigrateCacheCommands(migrate, verify);
}
