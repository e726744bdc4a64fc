import { Command, InvalidArgumentError } from 'commander';
import { resolve as resolvePath } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serverLogger } from './logging/server-logger.js';
import { ConfigError } from './config/config-error.js';
import { loadConfig, type LoadedConfig } from './config/load-config.js';
import { providerSpecs, resolveBases, startServer } from './server/start-server.js';
import { validateConfig } from './config/validate-config.js';
import { registerCacheCommand } from './cli-cache.js';
import { registerConfigCommand } from './cli-config.js';
import { registerMigrateCommand } from './migration/migrate-tasks-command.js';

interface StartFlags {
  readonly config?: string;
  readonly port?: number;
  /** `--demo` / `--no-demo`; unset: the demo runs when no config is given. */
  readonly demo?: boolean;
  /** Set by `start` (not by `check-config`): only a starting server defaults to the demo. */
  readonly startsServer?: boolean;
}

function port(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0 || parsed > 65535) throw new InvalidArgumentError('a port is an integer from 0 to 65535');
  return parsed;
}

/** The built-in demo's config (a synthetic cloud); see config/demo.yml. */
export const DEMO_CONFIG = fileURLToPath(new URL('../config/demo.yml', import.meta.url));

function load(flags: StartFlags): LoadedConfig {
  const given = flags.config ?? process.env.STRATUS_CONFIG;
  // Under `pnpm start` the script runs in apps/server; INIT_CWD is where the user typed the command.
  // With no config at all `start` runs the demo (unless --no-demo); a real config turns it off.
  const demo = flags.demo ?? (given === undefined && flags.startsServer === true);
  const path = given ? resolvePath(process.env.INIT_CWD ?? process.cwd(), given) : demo ? DEMO_CONFIG : undefined;
  const loaded = loadConfig(path ? { path } : {});
  if (flags.port === undefined) return loaded;
  return { ...loaded, config: { ...loaded.config, server: { ...loaded.config.server, port: flags.port } } };
}

/** Prints one line for a config or startup error and exits 1; anything else keeps its stack. */
function fail(error: unknown): never {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (error instanceof ConfigError || (error instanceof Error && error.name === 'ProviderLoadError')) {
    process.stderr.write(`stratus: ${error.message}\n`);
  } else if (code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL') {
    const { address, port } = error as NodeJS.ErrnoException & { address?: string; port?: number };
    process.stderr.write(`stratus: cannot listen on ${address ?? ''}:${port ?? ''} (${code}); change server.port or server.address\n`);
  } else {
    process.stderr.write(`stratus: startup failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  }
  process.exit(1);
}

async function start(flags: StartFlags): Promise<void> {
  let loaded: LoadedConfig;
  try {
    loaded = load({ ...flags, startsServer: true });
  } catch (error) {
    fail(error);
  }
  // A log pipe whose reader went away (a supervisor such as pnpm ended before the server finished
  // draining) must not crash the drain: EPIPE on stdout/stderr only loses log lines.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
    });
  }
  const logger = serverLogger(loaded.config.logging);
  if (loaded.config.demo.enabled) {
    logger.warn({ config: loaded.path }, 'DEMO MODE: a synthetic cloud with made-up accounts and applications; start with --config <file> for real clouds');
  }
  // A provider's stray promise must not take the whole server down; it is logged loudly instead.
  process.on('unhandledRejection', (reason) => logger.error({ err: reason }, 'unhandled promise rejection'));
  try {
    await startServer({
      config: loaded.config,
      raw: loaded.raw,
      ...(loaded.path ? { configPath: loaded.path } : {}),
      logger,
      handleSignals: true,
    });
  } catch (error) {
    fail(error);
  }
}

/** The `stratus` command line: `stratus [start] [--config file] [--port n]`, `stratus check-config`. */
export async function runCli(argv: readonly string[]): Promise<void> {
  const program = new Command().name('stratus').description("Stratus: Spinnaker's Clouddriver in TypeScript").showHelpAfterError();

  program
    .command('start', { isDefault: true })
    .description('start the server (the default command)')
    .option('-c, --config <file>', 'YAML config file (default: $STRATUS_CONFIG, else the built-in demo)')
    .option('-p, --port <port>', 'override server.port', port)
    .option('--demo', 'run the built-in demo cloud (the default when no config is given)')
    .option('--no-demo', 'start with the empty built-in defaults when no config is given')
    .action((flags: StartFlags) => start(flags));

  program
    .command('check-config')
    .description('validate the config file and print what it selects, without starting')
    .option('-c, --config <file>', 'YAML config file (default: $STRATUS_CONFIG)')
    .action(async (flags: StartFlags) => {
      try {
        const loaded = load(flags);
        const { config, raw, path } = loaded;
        // The same checks as `config validate`: providers load and every account parses.
        const report = await validateConfig(loaded, { providerSpecs: providerSpecs(config, raw), resolveFrom: resolveBases(path) });
        if (report.errors.length > 0) throw new ConfigError(`Invalid configuration (${path ?? 'defaults'}): ${report.errors.join('; ')}`);
        const summary = {
          file: path ?? '(defaults)',
          port: config.server.port,
          writeEnabled: config.caching.writeEnabled,
          providers: providerSpecs(config, raw),
          redis: config.redis.enabled,
          sql: config.sql.enabled,
          accountStorage: config.account.storage.enabled,
          accounts: report.accounts,
          ...(report.unknownKeys.length > 0 ? { unknownKeys: report.unknownKeys } : {}),
        };
        process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
      } catch (error) {
        fail(error);
      }
    });

  registerConfigCommand(program);
  registerMigrateCommand(program);
  registerCacheCommand(program);

  // `pnpm start -- --config x` passes the `--` through; it only separates pnpm's options from ours.
  const args = argv.slice(2);
  if (args[0] === '--') args.shift();
  // `start` is the default command, so commander would read `stratus frobnicate` as `start frobnicate`
  // and complain about arguments; a word in the command position that names no command is a typo.
  const known = new Set(['help', ...program.commands.flatMap((command) => [command.name(), ...command.aliases()])]);
  if (args[0] !== undefined && !args[0].startsWith('-') && !known.has(args[0])) {
    process.stderr.write(`stratus: unknown command '${args[0]}' (commands: ${[...known].filter((name) => name !== 'help').join(', ')})\n`);
    process.exit(1);
  }
  await program.parseAsync(args, { from: 'user' });
}
