import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.js';
import { pollUntil } from './poll-until.js';

/**
 * A database server of its own for one test (never the shared ones): started on a free loopback
 * port with its data in a temporary directory, so a test can kill -9 it and start it again on the
 * same data.
 */
export interface ScratchStore {
  readonly kind: 'redis' | 'postgres' | 'mariadb';
  readonly port: number;
  /** The URL a Stratus config takes (`redis://…`, `postgres://…/stratus`, `mysql://…/stratus`). */
  readonly url: string;
  /** SIGKILL to the server process; resolves once it is gone. */
  kill9(): Promise<void>;
  /** Starts the server again on the same port and data; resolves once it accepts connections. */
  restart(): Promise<void>;
  /** Stops it and removes its data. */
  stop(): Promise<void>;
}

/** The server binaries a scratch store needs, or why it cannot run here. */
export function scratchStoreUnavailable(kind: ScratchStore['kind']): string | undefined {
  if (kind === 'redis') return which('redis-server') ? undefined : 'redis-server is not installed';
  if (kind === 'postgres') return postgresBin() ? undefined : 'no PostgreSQL server binaries under /usr/lib/postgresql/*/bin';
  if (!which('mariadbd') && !existsSync('/usr/sbin/mariadbd')) return 'mariadbd is not installed';
  return which('mariadb-install-db') ? undefined : 'mariadb-install-db is not installed';
}

function which(binary: string): string | undefined {
  const found = spawnSync('sh', ['-c', `command -v ${binary}`], { encoding: 'utf8' });
  return found.status === 0 ? found.stdout.trim() : undefined;
}

function postgresBin(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? join(root, versions[0], 'bin') : undefined;
}

/**
 * PostgreSQL and MariaDB refuse to run as root: as root the servers run as their system user
 * (`postgres`, `mysql`) through setpriv, which execs, so the process id is the server's own.
 */
function asServiceUser(user: string, command: string, args: readonly string[]): [string, string[]] {
  if (userInfo().uid !== 0) return [command, [...args]];
  return ['setpriv', [`--reuid=${user}`, `--regid=${user}`, '--clear-groups', command, ...args]];
}

function ownedDir(prefix: string, user: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  if (userInfo().uid === 0) {
    const id = spawnSync('id', ['-u', user], { encoding: 'utf8' });
    const gid = spawnSync('id', ['-g', user], { encoding: 'utf8' });
    chownSync(dir, Number(id.stdout.trim()), Number(gid.stdout.trim()));
  }
  return dir;
}

function run(command: string, args: readonly string[], what: string): void {
  const result = spawnSync(command, args, { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${what} failed (${result.status}): ${result.stderr || result.stdout}`);
}

const accepts = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

async function exitOf(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((resolve) => child.once('exit', () => resolve()));
}

/** A scratch server around `launch`, which starts the server process once the data directory exists. */
async function scratch(
  kind: ScratchStore['kind'],
  port: number,
  url: string,
  dir: string,
  launch: () => ChildProcess,
  ready: () => Promise<boolean>,
): Promise<ScratchStore> {
  let child: ChildProcess | undefined;
  const output: string[] = [];
  const start = async () => {
    child = launch();
    child.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    await pollUntil(`scratch ${kind} on port ${port}`, ready, Boolean, 60_000, { intervalMs: 100, context: () => output.join('').slice(-2000) });
  };
  await start();
  const kill9 = async () => {
    const current = child;
    current?.kill('SIGKILL');
    await exitOf(current);
    // Wait until the port is free again (the server's children notice their parent is gone).
    await pollUntil(`scratch ${kind} port ${port} to close`, async () => !(await accepts(port)), Boolean, 30_000);
  };
  return {
    kind,
    port,
    url,
    kill9,
    restart: async () => {
      // PostgreSQL's stopped backends may linger a moment after a kill -9; retry until it starts.
      await pollUntil(
        `scratch ${kind} to restart`,
        async () => {
          try {
            await start();
            return true;
          } catch {
            child?.kill('SIGKILL');
            await exitOf(child);
            return false;
          }
        },
        Boolean,
        90_000,
        { intervalMs: 500 },
      );
    },
    stop: async () => {
      await kill9().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** redis-server with an append-only file fsynced on every write, so a kill -9 loses nothing acknowledged. */
export async function startScratchRedis(): Promise<ScratchStore> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'stratus-redis-'));
  const launch = () =>
    spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--appendfsync', 'always', '--save', ''], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  return scratch('redis', port, `redis://127.0.0.1:${port}`, dir, launch, async () => {
    const ping = spawnSync('redis-cli', ['-p', String(port), 'ping'], { encoding: 'utf8' });
    return ping.stdout?.trim() === 'PONG';
  });
}

/** PostgreSQL (initdb into a temporary directory, trust authentication, database `stratus`). */
export async function startScratchPostgres(): Promise<ScratchStore> {
  const bin = postgresBin();
  if (!bin) throw new Error('no PostgreSQL server binaries under /usr/lib/postgresql/*/bin');
  const port = await freePort();
  const dir = ownedDir('stratus-pg-', 'postgres');
  const data = join(dir, 'data');
  run(...asServiceUser('postgres', join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '-A', 'trust', '--no-sync']), 'initdb');
  const launch = () =>
    spawn(...asServiceUser('postgres', join(bin, 'postgres'), ['-D', data, '-p', String(port), '-h', '127.0.0.1', '-k', dir]), {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  let created = false;
  const store = await scratch('postgres', port, `postgres://postgres@127.0.0.1:${port}/stratus`, dir, launch, async () => {
    const ready = spawnSync(join(bin, 'pg_isready'), ['-h', '127.0.0.1', '-p', String(port)], { encoding: 'utf8' });
    if (ready.status !== 0) return false;
    if (!created) {
      run(join(bin, 'psql'), ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-c', 'create database stratus'], 'create database');
      created = true;
    }
    return true;
  });
  return store;
}

/** MariaDB (mariadb-install-db into a temporary directory, root without password, database `stratus`). */
export async function startScratchMariadb(): Promise<ScratchStore> {
  const port = await freePort();
  const dir = ownedDir('stratus-mariadb-', 'mysql');
  const data = join(dir, 'data');
  run(
    ...asServiceUser('mysql', 'mariadb-install-db', ['--no-defaults', `--datadir=${data}`, '--auth-root-authentication-method=normal', '--skip-test-db']),
    'mariadb-install-db',
  );
  const mariadbd = existsSync('/usr/sbin/mariadbd') ? '/usr/sbin/mariadbd' : 'mariadbd';
  const launch = () =>
    spawn(
      ...asServiceUser('mysql', mariadbd, [
        '--no-defaults',
        `--datadir=${data}`,
        `--port=${port}`,
        '--bind-address=127.0.0.1',
        `--socket=${join(dir, 'sock')}`,
        `--pid-file=${join(dir, 'pid')}`,
        '--skip-log-bin',
        '--skip-name-resolve',
        '--innodb-buffer-pool-size=32M',
      ]),
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
  let created = false;
  return scratch('mariadb', port, `mysql://root@127.0.0.1:${port}/stratus`, dir, launch, async () => {
    const ping = spawnSync('mariadb', ['-h127.0.0.1', `-P${port}`, '-uroot', '-e', created ? 'select 1' : 'create database if not exists stratus'], {
      encoding: 'utf8',
    });
    if (ping.status !== 0) return false;
    created = true;
    return true;
  });
}
