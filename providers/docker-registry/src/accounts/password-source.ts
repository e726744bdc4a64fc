import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Where an account's registry password comes from (at most one of the three). */
export interface PasswordSourceOptions {
  readonly username?: string;
  readonly password?: string;
  /** Read on every resolution, so a rotated secret file is picked up without a reload. */
  readonly passwordFile?: string;
  /** Run with `bash -c` (as Clouddriver does); only parsed when the operator allowed commands. */
  readonly passwordCommand?: string;
}

/** How long a passwordCommand may run. */
const COMMAND_TIMEOUT_MS = 30_000;
/** How long a resolved file or command password is reused before it is read again. */
const REUSE_MS = 60_000;

/**
 * An account's credentials for basic auth and token requests. A class instance on purpose: the
 * `/credentials` view drops class instances, so neither the user name nor the password can leak
 * through it; `toJSON` hides them from logs as well.
 */
export class PasswordSource {
  private resolved?: { value: string; at: number };

  constructor(private readonly options: PasswordSourceOptions) {}

  /** Whether requests carry credentials at all (anonymous registries and Docker Hub pulls do not). */
  get hasCredentials(): boolean {
    return this.options.username !== undefined;
  }

  get username(): string | undefined {
    return this.options.username;
  }

  /** `Basic base64(user:password)`, or undefined for an anonymous account. */
  async basicAuthHeader(): Promise<string | undefined> {
    if (this.options.username === undefined) return undefined;
    const password = await this.password();
    return `Basic ${Buffer.from(`${this.options.username}:${password}`).toString('base64')}`;
  }

  private async password(): Promise<string> {
    const { password, passwordFile, passwordCommand } = this.options;
    if (password !== undefined) return password;
    if (this.resolved && Date.now() - this.resolved.at < REUSE_MS) return this.resolved.value;
    let value = '';
    if (passwordFile !== undefined) {
      // A trailing newline is almost never part of the password (editors add one).
      value = (
        await readFile(passwordFile, 'utf8').catch((error: NodeJS.ErrnoException) => {
          throw new Error(`passwordFile ${passwordFile} cannot be read (${error.code ?? error.message})`);
        })
      ).replace(/\r?\n$/, '');
    } else if (passwordCommand !== undefined) {
      const { stdout } = await run('bash', ['-c', passwordCommand], { timeout: COMMAND_TIMEOUT_MS, maxBuffer: 64 * 1024 }).catch(
        (error: Error & { code?: unknown }) => {
          // Never echo the command's output: it may hold the secret.
          throw new Error(`passwordCommand failed (exit ${String(error.code ?? 'unknown')})`);
        },
      );
      value = stdout.trim();
    }
    this.resolved = { value, at: Date.now() };
    return value;
  }

  toJSON(): Record<string, unknown> {
    return { username: this.options.username ? '<set>' : undefined };
  }
}
