import { InvalidArgumentError, type Command } from 'commander';
import { copyCache, verifyCache, type CacheProgress } from './migrate-cache.js';
import { openCacheStore, type OpenedCacheStore } from './open-cache-store.js';

interface CacheFlags {
  readonly from: string;
  readonly to: string;
  readonly namespace?: string[];
  readonly batchSize: number;
  readonly sample: number;
}

function count(min: number) {
  return (value: string): number => {
    const parsed = Number(value);
    if (!Number.isInteger(parsed) || parsed < min) throw new InvalidArgumentError(`expected an integer >= ${min}`);
    return parsed;
  };
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** One line per type (and at most one a second within a type) on stderr. */
function progress(verb: string): (p: CacheProgress) => void {
  let last = 0;
  return (p) => {
    if (p.done === p.total || Date.now() - last >= 1000) {
      last = Date.now();
      process.stderr.write(`${verb}: ${p.namespace}/${p.type} ${p.done}/${p.total} (${p.items} items so far)\n`);
    }
  };
}

async function withStores(
  flags: CacheFlags,
  command: string,
  work: (from: OpenedCacheStore, to: OpenedCacheStore, namespaces: string[]) => Promise<number>,
): Promise<number> {
  const opened: OpenedCacheStore[] = [];
  try {
    const from = await openCacheStore(flags.from);
    opened.push(from);
    const to = await openCacheStore(flags.to, { migrate: command === 'migrate cache' });
    opened.push(to);
    const namespaces = flags.namespace ?? [...new Set([...(await from.namespaces()), ...(command === 'migrate cache' ? [] : await to.namespaces())])].sort();
    process.stderr.write(
      `${command}: from ${from.description}\n${command}: to   ${to.description}\n${command}: namespaces ${namespaces.join(', ') || '(none)'}\n`,
    );
    return await work(from, to, namespaces);
  } catch (error) {
    process.stderr.write(`stratus: ${command}: ${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  } finally {
    await Promise.allSettled(opened.map((store) => store.close()));
  }
}

const STORES = 'Stores: redis://host:6379/0?prefix=stratus, postgres://user@host/db?tableNamespace=ns, mysql://…, mariadb://…';

/** `stratus migrate cache` (one-off copy) and `stratus migrate verify cache`. */
export function registerMigrateCacheCommands(migrate: Command, verify: Command): void {
  migrate
    .command('cache')
    .description(`copy every cached item of each provider namespace from one cache store to another, with progress; idempotent. ${STORES}`)
    .requiredOption('--from <store>', 'source cache store')
    .requiredOption('--to <store>', 'destination cache store (its SQL schema is created if missing)')
    .option('--namespace <name>', 'provider namespace to copy (repeatable; default: every namespace in --from)', collect)
    .option('--batch-size <n>', 'items read and written per step', count(1), 500)
    .action(async (flags: CacheFlags) => {
      process.exitCode = await withStores(flags, 'migrate cache', async (from, to, namespaces) => {
        const report = await copyCache({ from: from.factory, to: to.factory, namespaces, batchSize: flags.batchSize, onProgress: progress('migrate cache') });
        process.stdout.write(`${JSON.stringify(report)}\n`);
        process.stderr.write(`migrate cache: done: ${report.items} item(s) of ${report.types} type(s) in ${report.namespaces} namespace(s)\n`);
        return 0;
      });
    });
  verify
    .command('cache')
    .description(`compare two cache stores: item counts per namespace and type, ids on one side only, a sample field by field. ${STORES}`)
    .requiredOption('--from <store>', 'one cache store')
    .requiredOption('--to <store>', 'the other cache store')
    .option('--namespace <name>', 'provider namespace to compare (repeatable; default: every namespace in either)', collect)
    .option('--sample <n>', 'items compared field by field per type', count(0), 50)
    .action(async (flags: CacheFlags) => {
      process.exitCode = await withStores(flags, 'verify cache', async (from, to, namespaces) => {
        const report = await verifyCache({ from: from.factory, to: to.factory, namespaces, samplePerType: flags.sample, onProgress: progress('verify cache') });
        process.stdout.write(`${JSON.stringify(report)}\n`);
        for (const line of report.differences) process.stderr.write(`verify cache: ${line}\n`);
        process.stderr.write(report.ok ? `verify cache: OK: ${report.items} item(s), ${report.sampled} compared field by field\n` : 'verify cache: MISMATCH\n');
        return report.ok ? 0 : 1;
      });
    });
}
