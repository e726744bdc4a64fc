import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect, type ConnectionOptions } from 'node:tls';
import type { Redis } from 'ioredis';
import { definedOnly } from '@stratus/core';
import { RespBatch } from './resp-batch.js';

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
  return definedOnly({
    host: o.host ?? '127.0.0.1',
    port: o.port ?? 6379,
    username: o.username || undefined,
    password: o.password || undefined,
    db: o.db ?? 0,
    tls: o.tls ? { servername: o.host, ...o.tls } : undefined,
    connectionName,
    connectTimeoutMs: o.connectTimeout ?? 5000,
    commandTimeoutMs: o.commandTimeout ?? 30_000,
  });
}

/** An error reply from the server (WRONGTYPE, OOM, …); named like ioredis' so `isReplyError` knows it. */
export class RespReplyError extends Error {
  override readonly name = 'ReplyError';
}

/** A reply as this connection decodes it (RESP2): status and bulk strings, integers, arrays, null. */
export type RespReply = string | number | null | RespReply[];

interface Pending {
  remaining: number;
  /** Replies kept for `request`; undefined for `send`, which only needs to know they all arrived. */
  replies: RespReply[] | undefined;
  error: RespReplyError | undefined;
  resolve: (replies: RespReply[]) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

const INCOMPLETE = Symbol('incomplete');

/**
 * Decodes one reply starting at `at`; INCOMPLETE when the buffer ends before it does. Errors come
 * back as {@link RespReplyError} values (the batch's other replies still follow).
 */
function parseReply(buffer: Buffer, at: number): { value: RespReply | RespReplyError; next: number } | typeof INCOMPLETE {
  const lineEnd = buffer.indexOf(CRLF, at + 1);
  if (lineEnd === -1) return INCOMPLETE;
  const kind = buffer[at];
  if (kind === 36 /* $ */) {
    const length = Number(buffer.toString('latin1', at + 1, lineEnd));
    if (length < 0) return { value: null, next: lineEnd + 2 };
    const end = lineEnd + 2 + length;
    if (buffer.length < end + 2) return INCOMPLETE;
    return { value: buffer.toString('utf8', lineEnd + 2, end), next: end + 2 };
  }
  if (kind === 42 /* * */) {
    const count = Number(buffer.toString('latin1', at + 1, lineEnd));
    if (count < 0) return { value: null, next: lineEnd + 2 };
    const items: RespReply[] = new Array(count);
    let next = lineEnd + 2;
    for (let i = 0; i < count; i++) {
      const item = parseReply(buffer, next);
      if (item === INCOMPLETE) return INCOMPLETE;
      if (item.value instanceof RespReplyError) throw item.value; // never nested in replies to the commands sent here
      items[i] = item.value;
      next = item.next;
    }
    return { value: items, next };
  }
  const text = buffer.toString('utf8', at + 1, lineEnd);
  if (kind === 58 /* : */) return { value: Number(text), next: lineEnd + 2 };
  if (kind === 43 /* + */) return { value: text, next: lineEnd + 2 };
  if (kind === 45 /* - */) return { value: new RespReplyError(text), next: lineEnd + 2 };
  throw new Error(`unexpected Redis reply: ${buffer.toString('latin1', at, Math.min(lineEnd, at + 80))}`);
}

const CRLF = Buffer.from('\r\n');
const EMPTY = Buffer.alloc(0);

/**
 * A Redis connection that sends pre-encoded RESP: the cache store builds a whole batch of commands
 * (item writes, or the HGETALLs of a read) into one buffer and sends it in one socket write, and the
 * replies are decoded here (RESP2). ioredis makes a Command, a Promise and several small writes per
 * command; for a million items that client work, not Redis, was the bottleneck (see docs/redis.md).
 *
 * Connects lazily, authenticates and selects the db of the ioredis client it mirrors, and reconnects
 * on the next batch after a failure (batches in flight then fail, and callers see Redis unavailable).
 */
export class RespPipeline {
  #socket: Socket | undefined;
  #ready: Promise<Socket> | undefined;
  readonly #pending: Pending[] = [];
  #buffered: Buffer = EMPTY;
  #closed = false;

  constructor(private readonly options: RespConnectionOptions) {}

  /** Sends `payload` (holding `commands` commands) and resolves when every reply arrived; rejects with the first error reply. */
  async send(payload: Uint8Array, commands: number): Promise<void> {
    if (commands === 0) return;
    await this.#exchange(payload, commands, false);
  }

  /** Like {@link send}, and resolves with the replies, one per command, in order. */
  async request(payload: Uint8Array, commands: number): Promise<RespReply[]> {
    if (commands === 0) return [];
    return this.#exchange(payload, commands, true);
  }

  async #exchange(payload: Uint8Array, commands: number, keepReplies: boolean): Promise<RespReply[]> {
    const socket = await this.#connection();
    if (socket !== this.#socket || socket.destroyed) throw new Error('connection to Redis lost');
    return new Promise<RespReply[]>((resolve, reject) => {
      const timer = setTimeout(() => this.#fail(new Error(`no reply from Redis within ${this.options.commandTimeoutMs} ms`)), this.options.commandTimeoutMs);
      this.#pending.push({ remaining: commands, replies: keepReplies ? [] : undefined, error: undefined, resolve, reject, timer });
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
    socket.on('data', (chunk: Buffer) => this.#onData(chunk, socket));
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
    const setup: string[][] = [];
    const { username, password, db, connectionName } = this.options;
    if (password !== undefined) setup.push(username !== undefined ? ['AUTH', username, password] : ['AUTH', password]);
    if (db !== 0) setup.push(['SELECT', String(db)]);
    if (connectionName) setup.push(['CLIENT', 'SETNAME', connectionName]);
    if (setup.length > 0) {
      const batch = RespBatch.of(...setup);
      try {
        await new Promise<void>((resolve, reject) => {
          const timer = setTimeout(() => this.#fail(new Error('Redis did not answer the connection set-up')), this.options.commandTimeoutMs);
          this.#pending.push({ remaining: batch.count, replies: undefined, error: undefined, resolve: () => resolve(), reject, timer });
          socket.write(batch.payload);
        });
      } finally {
        batch.release();
      }
    }
    return socket;
  }

  #onData(chunk: Buffer, socket: Socket): void {
    if (socket !== this.#socket) return;
    const buffer = this.#buffered.length === 0 ? chunk : Buffer.concat([this.#buffered, chunk]);
    let at = 0;
    try {
      while (at < buffer.length) {
        const head = this.#pending[0];
        if (!head) throw new Error('a Redis reply nobody asked for');
        const reply = parseReply(buffer, at);
        if (reply === INCOMPLETE) break;
        at = reply.next;
        if (reply.value instanceof RespReplyError) head.error ??= reply.value;
        else head.replies?.push(reply.value);
        if (--head.remaining === 0) {
          this.#pending.shift();
          clearTimeout(head.timer);
          if (head.error) head.reject(head.error);
          else head.resolve(head.replies ?? []);
        }
      }
    } catch (error) {
      this.#fail(error instanceof Error ? error : new Error(String(error)));
      return;
    }
    this.#buffered = at === buffer.length ? EMPTY : buffer.subarray(at);
  }

  /** Fails every batch in flight and drops the connection; the next send reconnects. */
  #fail(error: Error, socket: Socket | undefined = this.#socket): void {
    if (socket !== this.#socket) return; // an old connection's late events
    this.#socket = undefined;
    this.#ready = undefined;
    this.#buffered = EMPTY;
    socket?.destroy();
    for (const pending of this.#pending.splice(0)) {
      clearTimeout(pending.timer);
      pending.reject(error);
    }
  }
}
