import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { resolve as resolvePath } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { ConfigError } from './config/config-error.js';
import { loadConfig, type LoadedConfig } from './config/load-config.js';
import { validateConfig, type ConfigReport } from './config/validate-config.js';
import { providerSpecs, resolveBases } from './server/start-server.js';

/**
 * Validates a config file the way startup does: the server settings, the `redis:` and `sql:` blocks
 * that the storage adapters would only check once selected, every selected provider, and every
 * configured account through its provider's own parsing. Throws a ConfigError naming every offending
 * key; with `strict`, keys nothing reads (likely typos) are errors too.
 */
export async function validateConfigFile(path: string, options: { strict?: boolean } = {}): Promise<{ selected: string[]; report: ConfigReport }> {
  const loaded = loadConfig({ path });
  const report = await reportOn(loaded);
  const problems = [
    ...report.errors,
    ...(options.strict ? report.unknownKeys.map((key) => `${key}: not a key Stratus, a loaded provider or Clouddriver reads`) : []),
  ];
  if (problems.length > 0) throw new ConfigError(`Invalid configuration (${path}): ${problems.join('; ')}`);
  const { config } = loaded;
  const selected = [
    config.redis.enabled ? 'redis' : undefined,
    config.sql.enabled ? 'sql' : undefined,
    config.dualTaskRepository.enabled ? `dual tasks (${config.dualTaskRepository.primary} <- ${config.dualTaskRepository.previous})` : undefined,
    ...Object.entries(report.accounts).map(([key, names]) => `${names.length} ${key} account${names.length === 1 ? '' : 's'}`),
  ].filter((name): name is string => name !== undefined);
  return { selected, report };
}

function reportOn(loaded: LoadedConfig): Promise<ConfigReport> {
  return validateConfig(loaded, { providerSpecs: providerSpecs(loaded.config, loaded.raw), resolveFrom: resolveBases(loaded.path) });
}

/** Where a user-typed path points: under `pnpm` scripts INIT_CWD is where the command was typed. */
const userPath = (file: string) => resolvePath(process.env.INIT_CWD ?? process.cwd(), file);

function failWith(error: unknown): void {
  process.stderr.write(`stratus: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}

/**
 * `stratus config validate <file>` (exit 0 "valid", or 1 with one line naming each bad key) and
 * `stratus config migrate <clouddriver.yml>` (which keys of a Clouddriver file Stratus uses, ignores,
 * or does not know, and whether the rest validates).
 */
export function registerConfigCommand(program: Command): void {
  const config = program.command('config').description('work with config files');
  config
    .command('validate <file>')
    .description('validate a config file as startup would (server, redis/sql, providers, every account) without starting; exit 1 on errors')
    .option('--strict', 'unknown top-level keys are errors, not warnings')
    .action(async (file: string, flags: { strict?: boolean }) => {
      try {
        const { selected, report } = await validateConfigFile(userPath(file), flags);
        for (const key of report.unknownKeys)
          process.stderr.write(`stratus: warning: ${key}: not a key Stratus, a loaded provider or Clouddriver reads (a typo?)\n`);
        process.stdout.write(`${file}: valid${selected.length > 0 ? ` (${selected.join(', ')})` : ''}\n`);
      } catch (error) {
        failWith(error);
      }
    });

  config
    .command('migrate <file>')
    .description('report which keys of a Clouddriver config file (clouddriver.yml) Stratus uses, ignores or does not know; exit 1 if it would not start')
    .option('--json', 'print the report as JSON')
    .action(async (file: string, flags: { json?: boolean }) => {
      try {
        const path = userPath(file);
        const loaded = loadConfig({ path });
        const report = await reportOn(loaded);
        const written = parseYaml(readFileSync(path, 'utf8'), { version: '1.1' }) as Record<string, unknown> | null;
        const skipped = new Set([...report.unknownKeys, ...report.ignoredKeys]);
        const used = Object.keys(written ?? {}).filter((key) => !skipped.has(key));
        const summary = { used, ignored: report.ignoredKeys, unknown: report.unknownKeys, accounts: report.accounts, errors: report.errors };
        if (flags.json) {
          process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
        } else {
          const line = (label: string, keys: readonly string[]) => `${label.padEnd(9)}${keys.length > 0 ? keys.join(', ') : '-'}\n`;
          process.stdout.write(line('used', used) + line('ignored', report.ignoredKeys) + line('unknown', report.unknownKeys));
          for (const [key, names] of Object.entries(report.accounts)) process.stdout.write(`accounts ${key}: ${names.join(', ')}\n`);
          for (const error of report.errors) process.stdout.write(`error    ${error}\n`);
        }
        if (report.errors.length > 0) process.exitCode = 1;
      } catch (error) {
        failWith(error);
      }
    });
}
