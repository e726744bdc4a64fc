import type { Command } from 'commander';
import { resolve as resolvePath } from 'node:path';
import { parseRedisConfig } from '@stratus/redis';
import { sqlConfigSchema } from '@stratus/sql';
import { ConfigError } from './config/config-error.js';
import { loadConfig } from './config/load-config.js';

/**
 * Validates a config file the way startup does, plus the `redis:` and `sql:` blocks that the storage
 * adapters would only check once selected. Throws a ConfigError naming every offending key.
 */
export function validateConfigFile(path: string): string[] {
  const { config } = loadConfig({ path });
  const problems: string[] = [];
  if (config.redis.enabled) {
    try {
      parseRedisConfig(config.redis);
    } catch (error) {
      problems.push(error instanceof Error ? error.message : String(error));
    }
  }
  if (config.sql.enabled) {
    const parsed = sqlConfigSchema.safeParse(config.sql);
    if (!parsed.success) problems.push(...parsed.error.issues.map((issue) => `sql.${issue.path.join('.')}: ${issue.message}`));
  }
  if (problems.length > 0) throw new ConfigError(`Invalid configuration (${path}): ${problems.join('; ')}`);
  const selected = [
    config.redis.enabled ? 'redis' : undefined,
    config.sql.enabled ? 'sql' : undefined,
    config.dualTaskRepository.enabled ? `dual tasks (${config.dualTaskRepository.primary} <- ${config.dualTaskRepository.previous})` : undefined,
  ].filter((name): name is string => name !== undefined);
  return selected;
}

/** `stratus config validate <file>`: exit 0 with "valid", or 1 with one line naming each bad key. */
export function registerConfigCommand(program: Command): void {
  const config = program.command('config').description('work with config files');
  config
    .command('validate <file>')
    .description('validate a config file (server settings and the redis/sql blocks) without starting; exit 1 on errors')
    .action((file: string) => {
      const path = resolvePath(process.env.INIT_CWD ?? process.cwd(), file);
      try {
        const selected = validateConfigFile(path);
        process.stdout.write(`${file}: valid${selected.length > 0 ? ` (${selected.join(', ')})` : ''}\n`);
      } catch (error) {
        process.stderr.write(`stratus: ${error instanceof Error ? error.message : String(error)}\n`);
        process.exitCode = 1;
      }
    });
}
