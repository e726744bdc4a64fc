import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './free-port.js';
import { pollUntil } from './poll-until.js';

/** Where a started server lives: its port and base URL, and the temporary directory its config is in. */
export interface StratusProcessPlace {
  /** The port the server listens on (127.0.0.1). */
  readonly port: number;
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** The temporary directory holding `stratus.yml` and the {@link StratusProcessOptions.files}; removed by `stop()`. */
  readonly dir: string;
}

/** Configuration for the server: an object, or YAML text written as is. */
export type StratusConfig = Record<string, unknown> | string;

/** How to start a server process. */
export interface StratusProcessOptions {
  /**
   * The server's configuration. An object is merged over `{server: {port, address: 127.0.0.1},
   * logging: {level: warn}}` and written as JSON (which is YAML); a string is written as is and must
   * set `server.port` to `place.port` itself.
   */
  readonly config: StratusConfig | ((place: StratusProcessPlace) => StratusConfig);
  /** Files written into the temporary directory before the server starts (name → contents). */
  readonly files?: Readonly<Record<string, string>>;
  /** Environment variables for the process, on top of this process's (minus those dropped). */
  readonly env?: Readonly<Record<string, string>> | ((place: StratusProcessPlace) => Readonly<Record<string, string>>);
  /**
   * Prefixes of inherited environment variables to drop besides `STRATUS*`, `LOG_LEVEL` and
   * `INIT_CWD` (always dropped), e.g. `AWS_` so the developer's credentials never reach the server.
   */
  readonly dropEnvPrefixes?: readonly string[];
  /** How long to wait for `/health/readiness` to answer 200 (default 60 s). */
  readonly readyTimeoutMs?: number;
  /** Prefix of the temporary directory's name (default `stratus-e2e-`). */
  readonly tempPrefix?: string;
  /** The `stratus` bin to run (default: apps/server's, found next to this package in the workspace or as `@stratus/server`). */
  readonly serverBin?: string;
}

/** An HTTP answer: the status and the body, parsed as JSON when it is JSON, else the text. */
export interface HttpAnswer<T = any> {
  /** The HTTP status. */
  readonly status: number;
  /** The parsed JSON body, or the text when it is not JSON. */
  readonly body: T;
}

/** A running `stratus` server process. */
export interface StratusProcess extends StratusProcessPlace {
  /** The path of the configuration file the server was started with. */
  readonly configPath: string;
  /** The child process (to send it signals such as SIGHUP). */
  readonly child: ChildProcess;
  /** Settles with the exit code once the process has exited (`null` when a signal ended it). */
  readonly exited: Promise<number | null>;
  /** Everything the process printed so far (stdout and stderr interleaved). */
  output(): string;
  /** Sends a request (a JSON body when `body` is given) and returns the answer; rejects when the server cannot be reached. */
  call<T = any>(method: string, path: string, body?: unknown, headers?: Readonly<Record<string, string>>): Promise<HttpAnswer<T>>;
  /** `call('GET', path)`. */
  get<T = any>(path: string, headers?: Readonly<Record<string, string>>): Promise<HttpAnswer<T>>;
  /** {@link pollUntil} whose timeout error ends with the server's last output. */
  until<T>(what: string, read: () => Promise<T>, accept: (value: T) => boolean, timeoutMs?: number): Promise<T>;
  /** Rewrites the configuration file (as `config` of the options); the server rereads it on SIGHUP. */
  writeConfig(config: StratusConfig): void;
  /** SIGTERM, SIGKILL after `graceMs` (default 10 s) if still running, then removes the temporary directory. */
  stop(graceMs?: number): Promise<void>;
}

const ALWAYS_DROPPED = ['STRATUS', 'LOG_LEVEL', 'INIT_CWD'];

/** apps/server's `stratus` bin: in this workspace next to this package, else wherever `@stratus/server` resolves from the working directory. */
export function stratusServerBin(): string {
  const inWorkspace = fileURLToPath(new URL('../../../apps/server/bin/stratus.js', import.meta.url));
  if (existsSync(inWorkspace)) return inWorkspace;
  try {
    const manifest = createRequire(join(process.cwd(), 'noop.js')).resolve('@stratus/server/package.json');
    return join(dirname(manifest), 'bin', 'stratus.js');
  } catch {
    throw new Error('Cannot find the stratus server bin: pass serverBin, or run inside the Stratus workspace or with @stratus/server installed');
  }
}

/**
 * Starts the real server process (`node bin/stratus.js --config <file>`) on a free loopback port with
 * the given configuration and waits until `/health/readiness` answers 200. For end-to-end tests that
 * drive the HTTP API the way Orca and Deck do. Call `stop()` afterwards.
 */
export async function startStratusProcess(options: StratusProcessOptions): Promise<StratusProcess> {
  const bin = options.serverBin ?? stratusServerBin();
  const port = await freePort();
  const place: StratusProcessPlace = { port, url: `http://127.0.0.1:${port}`, dir: mkdtempSync(join(tmpdir(), options.tempPrefix ?? 'stratus-e2e-')) };
  const configPath = join(place.dir, 'stratus.yml');
  const writeConfig = (config: StratusConfig) =>
    writeFileSync(
      configPath,
      typeof config === 'string' ? config : `${JSON.stringify({ server: { port, address: '127.0.0.1' }, logging: { level: 'warn' }, ...config }, null, 2)}\n`,
    );
  for (const [name, contents] of Object.entries(options.files ?? {})) writeFileSync(join(place.dir, name), contents);
  writeConfig(typeof options.config === 'function' ? options.config(place) : options.config);

  const dropped = [...ALWAYS_DROPPED, ...(options.dropEnvPrefixes ?? [])];
  const inherited = Object.entries(process.env).filter(([name]) => !dropped.some((prefix) => name.startsWith(prefix)));
  const extra = typeof options.env === 'function' ? options.env(place) : (options.env ?? {});
  const child = spawn(process.execPath, [bin, '--config', configPath], {
    cwd: dirname(dirname(bin)),
    env: { ...Object.fromEntries(inherited), ...extra },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const chunks: string[] = [];
  child.stdout!.on('data', (chunk: Buffer) => chunks.push(chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => chunks.push(chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const output = () => chunks.join('');

  const call = async <T = any>(method: string, path: string, body?: unknown, headers: Readonly<Record<string, string>> = {}): Promise<HttpAnswer<T>> => {
    const response = await fetch(`${place.url}${path}`, {
      method,
      headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON (e.g. /metrics)
    }
    return { status: response.status, body: parsed as T };
  };
  const until = <T>(what: string, read: () => Promise<T>, accept: (value: T) => boolean, timeoutMs?: number) =>
    pollUntil(what, read, accept, timeoutMs, { context: () => output().slice(-3000) });
  const stop = async (graceMs = 10_000) => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const done = await Promise.race([exited.then(() => true), new Promise<false>((resolve) => setTimeout(() => resolve(false), graceMs))]);
      if (!done) child.kill('SIGKILL');
    }
    rmSync(place.dir, { recursive: true, force: true });
  };

  const server: StratusProcess = {
    ...place,
    configPath,
    child,
    exited,
    output,
    call,
    get: (path, headers) => call('GET', path, undefined, headers),
    until,
    writeConfig,
    stop,
  };
  try {
    await until(
      'readiness',
      async () => {
        if (child.exitCode !== null || child.signalCode !== null)
          throw new Error(`the server exited (${child.exitCode ?? child.signalCode}) before it was ready:\n${output().slice(-3000)}`);
        return call('GET', '/health/readiness').catch(() => ({ status: 0, body: undefined }));
      },
      (answer) => answer.status === 200,
      options.readyTimeoutMs ?? 60_000,
    );
  } catch (error) {
    await stop(1_000);
    throw error;
  }
  return server;
}
