import type { Command } from 'commander';
import { resolve as resolvePath } from 'node:path';
import { openCacheAdmin } from './admin/cache-admin.js';
import { loadConfig } from './config/load-config.js';

interface StatsFlags {
  readonly config?: string;
  readonly json?: boolean;
}

/** `stratus cache stats [--config file] [--json]`: items per type per provider namespace. */
export function registerCacheCommand(program: Command): void {
  const cache = program.command('cache').description('inspect the shared cache store');
  cache
    .command('stats')
    .description('count items per type per provider namespace in the configured Redis or SQL cache')
    .option('-c, --config <file>', 'YAML config file (default: $STRATUS_CONFIG)')
    .option('--json', 'print JSON instead of a table')
    .action(async (flags: StatsFlags) => {
      const given = flags.config ?? process.env.STRATUS_CONFIG;
      try {
        const path = given ? resolvePath(process.env.INIT_CWD ?? process.cwd(), given) : undefined;
        const { config } = loadConfig(path ? { path } : {});
        const admin = openCacheAdmin(config);
        try {
          const stats = await admin.stats();
          if (flags.json) {
            process.stdout.write(`${JSON.stringify({ store: admin.kind, namespace: admin.activeNamespace, providers: stats })}\n`);
            return;
          }
          const rows = Object.entries(stats).flatMap(([namespace, types]) => Object.entries(types).map(([type, count]) => [namespace, type, String(count)]));
          const header = ['NAMESPACE', 'TYPE', 'ITEMS'];
          const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i]!.length)));
          const line = (cells: readonly string[]) => cells.map((cell, i) => (i === 2 ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join('  ');
          process.stdout.write(`${admin.kind} cache, store namespace '${admin.activeNamespace}'\n${[header, ...rows].map(line).join('\n')}\n`);
        } finally {
          await admin.close();
        }
      } catch (error) {
        process.stderr.write(`stratus: cache stats: ${error instanceof Error ? error.message : String(error)}\n`);
        process.exitCode = 1;
      }
    });
}
