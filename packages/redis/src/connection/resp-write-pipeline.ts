import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect, type ConnectionOptions } from 'node:tls';
import type { Redis } from 'ioredis';

/** Where and how to connect; taken from an ioredis client so both talk to the same server and db. */
export interface RespConnectionOptions {
  readonly host: string;
  readonly port: number;
  readonly username?: string;
  readonly password?: string;
  readonly db: number;
  readonly tls?: ConnectionOptions;
  readonly connectionName?: string;
  readonly connectTimeoutMs: number;
  /** A batch not fully answered within this time fails, and the connection is dropped. */
  readonly commandTimeoutMs: number;
}

/** The same server, credentials, db and TLS settings as an ioredis client already configured. */
export function respOptionsOf(redis: Redis, connectionName?: string): RespConnectionOptions {
  const o = redis.options;
  return {
    host: o.host ?? '127.0.0.1',
    port: o.port ?? 6379,
    username: o.username || undefined,
    password: o.password || undefined,
    db: o.db ?? 0,
    tls: o.tls ? { servername: o.host, ...o.tls } : undefined,
    connectionName,
    connectTimeoutMs: o.connectTimeout ?? 5000,
    commandTimeoutMs: o.commandTimeout ?? 30_000,
  };
}

/** An error reply from the server (WRONGTYPE, OOM, …); named like ioredis' so `isReplyError` knows it. */
export class RespReplyError extends Error {
  override readonly name = 'ReplyError';
}

/** One RESP bulk string. */
export function bulk(arg: string): string {
  return `$${Buffer.byteLength(arg)}\r\n${arg}\r\n`;
}

/** One command as RESP. Arguments are strings (numbers formatted by the caller). */
export function encodeCommand(args: readonly string[]): string {
  let out = `*${args.length}\r\n`;
  for (const arg of args) out += bulk(arg);
  return out;
}

interface Pending {
  remaining: number;
  error: RespReplyError | undefined;
  resolve: () => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

/**
 * A write-only Redis connection that sends pre-encoded RESP: the cache store's bulk writes build a
 * whole batch of commands as one string and send it in one socket write. ioredis makes a Command,
 * a Promise and several small writes per command; for a million item writes that client work, not
 * Redis, was the bottleneck (see docs/redis.md). Only commands with one-line replies (integers,
 * `+OK`, errors) may be sent, so a reply is one line; anything else fails the connection loudly.
 *
 * Connects lazily, authenticates and selects the db of the ioredis client it mirrors, and reconnects
 * on the next batch after a failure (batches in flight then fail, and callers see Redis unavailable).
 */
export class RespWritePipeline {
  #socket: Socket | undefined;
  #ready: Promise<Socket> | undefined;
  readonly #pending: Pending[] = [];
  #partial = '';
  #closed = false;

  constructor(private readonly options: RespConnectionOptions) {}

  /** Sends `payload` (holding `commands` commands) and resolves when every reply arrived; rejects with the first error reply. */
  async send(payload: string | Uint8Array, commands: number): Promise<void> {
    if (commands === 0) return;
    const socket = await this.#connection();
    if (socket !== this.#socket || socket.destroyed) throw new Error('connection to Redis lost');
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => this.#fail(new Error(`no reply from Redis within ${this.options.commandTimeoutMs} ms`)), this.options.commandTimeoutMs);
      this.#pending.push({ remaining: commands, error: undefined, resolve, reject, timer });
      socket.write(payload);
    });
  }

  close(): void {
    this.#closed = true;
    this.#fail(new Error('connection closed'));
  }

  #connection(): Promise<Socket> {
    if (this.#closed) return Promise.reject(new Error('connection closed'));
    this.#ready ??= this.#open().catch((error: unknown) => {
      this.#ready = undefined;
      throw error;
    });
    return this.#ready;
  }

  async #open(): Promise<Socket> {
    const { host, port, tls, connectTimeoutMs } = this.options;
    const socket = tls ? tlsConnect({ host, port, ...tls }) : netConnect({ host, port });
    this.#socket = socket;
    socket.unref(); // an idle writer must not keep the process alive
    socket.setNoDelay(true);
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => this.#onData(chunk));
    socket.on('error', (error) => this.#fail(error, socket));
    socket.on('close', () => this.#fail(new Error('connection to Redis closed'), socket));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error(`could not connect to Redis at ${host}:${port} within ${connectTimeoutMs} ms`));
        socket.destroy();
      }, connectTimeoutMs);
      socket.once(tls ? 'secureConnect' : 'connect', () => {
        clearTimeout(timer);
        resolve();
      });
      socket.once('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
    });
    let setup = '';
    let commands = 0;
    const add = (...args: string[]) => {
      setup += encodeCommand(args);
      commands++;
    };
    if (this.options.password !== undefined) {
      if (this.options.username !== undefined) add('AUTH', this.options.username, this.options.password);
      else add('AUTH', this.options.password);
    }
    if (this.options.db !== 0) add('SELECT', String(this.options.db));
    if (this.options.connectionName) add('CLIENT', 'SETNAME', this.options.connectionName);
    if (commands > 0) {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => this.#fail(new Error('Redis did not answer the connection set-up')), this.options.commandTimeoutMs);
        this.#pending.push({ remaining: commands, error: undefined, resolve, reject, timer });
        socket.write(setup);
      });
    }
    return socket;
  }

  #onData(chunk: string): void {
    let text = this.#partial + chunk;
    let start = 0;
    for (let end = text.indexOf('\r\n'); end !== -1; end = text.indexOf('\r\n', start)) {
      const head = this.#pending[0];
      const kind = text.charCodeAt(start);
      if (!head || (kind !== 58 /* : */ && kind !== 43 /* + */ && kind !== 45) /* - */) {
        this.#fail(new Error(`unexpected Redis reply on the write connection: ${text.slice(start, Math.min(end, start + 80))}`));
        return;
      }
      if (kind === 45 && head.error === undefined) head.error = new RespReplyError(text.slice(start + 1, end));
      start = end + 2;
      if (--head.remaining === 0) {
        this.#pending.shift();
        clearTimeout(head.timer);
        if (head.error) head.reject(head.error);
        else head.resolve();
      }
    }
    text = text.slice(start);
    this.#partial = text;
  }

  /** Fails every batch in flight and drops the connection; the next send reconnects. */
  #fail(error: Error, socket: Socket | undefined = this.#socket): void {
    if (socket !== this.#socket) return; // an old connection's late events
    this.#socket = undefined;
    this.#ready = undefined;
    this.#partial = '';
    socket?.destroy();
    for (const pending of this.#pending.splice(0)) {
      clearTimeout(pending.timer);
      pending.reject(error);
    }
  }
}
