import { APPLICATION_GENERATIONS, ACCOUNTS_HEADER, USER_HEADER, type ApplicationGenerations } from '@stratus/core';
import type { Request, RequestHandler, Response } from 'express';
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { brotliCompress, constants as zlib, gzip } from 'node:zlib';
import { callerAccessOf } from './caller-access-middleware.js';

export interface ApplicationViewCacheOptions {
  readonly generations?: ApplicationGenerations;
  /**
   * The account registry's version: which accounts exist decides what every caller may read, so a
   * view built before an account was added, replaced or removed is stale.
   */
  readonly accountsVersion?: () => number;
  /**
   * How long a cached response may be served without a write to its application being seen
   * (default 60 s). Writes through this process move the generations and, with a shared store,
   * those of other replicas move the stamps read per poll; this bounds staleness only against
   * writers that do neither (the admin CLI, migration tools).
   */
  readonly ttlMs?: number;
  /** Cached responses kept at most (default 64; least recently used go first). */
  readonly maxEntries?: number;
  /** Bytes of uncompressed bodies kept at most (default 256 MiB; least recently used go first). */
  readonly maxBytes?: number;
  /** Bodies smaller than this are not compressed (default 1 KiB). */
  readonly compressAbove?: number;
  readonly now?: () => number;
}

interface Entry {
  readonly generation: string;
  readonly storedAt: number;
  readonly etag: string;
  readonly contentType: string;
  readonly body: Buffer;
  gzip?: Promise<Buffer>;
  br?: Promise<Buffer>;
}

const gzipAsync = promisify(gzip);
const brotliAsync = promisify(brotliCompress);

/** The big per-application reads Deck polls: `/applications/{app}/serverGroups|clusters…|loadBalancers`. */
const CACHED_PATH = /^\/applications\/([^/?]+)\/(?:serverGroups|clusters|loadBalancers)(?:[/?]|$)/;

/**
 * Serves repeated polls of an application's big views from the serialised response of the last one
 * (docs/read-api.md, "Repeated reads"): a strong `ETag` per response; `If-None-Match` on an unchanged
 * view answers `304` without reading the cache or serialising; the body is compressed once per
 * encoding (`br`, `gzip`) on first demand. An entry is reused while the application's generation
 * (moved by every cache write that touches it, see `ChangeTrackingCacheStoreFactory`) is unchanged
 * and it is younger than the TTL. Entries are per access (`CallerAccess.viewKey`: callers with the
 * same permissions share one), else per caller identity, so a caller only ever gets a view built
 * with exactly its own access.
 */
export function applicationViewCache(options: ApplicationViewCacheOptions = {}): RequestHandler {
  const generations = options.generations ?? APPLICATION_GENERATIONS;
  const accountsVersion = options.accountsVersion ?? (() => 0);
  const ttlMs = options.ttlMs ?? 60_000;
  const maxEntries = options.maxEntries ?? 64;
  const maxBytes = options.maxBytes ?? 256 * 1024 * 1024;
  let bytes = 0;
  const compressAbove = options.compressAbove ?? 1024;
  const now = options.now ?? Date.now;
  const entries = new Map<string, Entry>();

  return (req, res, next) => {
    // Without a tracked store, writes would not invalidate anything: serve every request afresh.
    if (req.method !== 'GET' || !generations.tracking) return next();
    const match = CACHED_PATH.exec(req.url);
    if (!match) return next();
    let application: string;
    try {
      application = decodeURIComponent(match[1]!).toLowerCase();
    } catch {
      return next();
    }
    const key = `${req.url}\u0000${callerKey(req)}`;
    const local = `${generations.of(application)}/${accountsVersion()}`;
    const serve = (generation: string) => {
      const entry = entries.get(key);
      if (entry && entry.generation === generation && now() - entry.storedAt < ttlMs) {
        entries.delete(key); // re-insert: most recently used last
        entries.set(key, entry);
        send(req, res, entry, compressAbove);
        return;
      }
      captureBody(
        res,
        (body, contentType) => remember(key, { generation, storedAt: now(), etag: etagOf(body), contentType, body }),
        (stored) => send(req, res, stored, compressAbove),
      );
      next();
    };
    // With a store other replicas write to, their writes count too: one small read of the shared
    // stamps per poll (read before the view is built, so a write racing the build only costs a rebuild).
    const shared = generations.shared;
    if (!shared) return serve(local);
    void shared.stampOf(application).then(
      (stamp) => serve(`${local}|${stamp}`),
      // The stamps cannot be read: nothing cached can be trusted, serve afresh (and keep nothing).
      () => next(),
    );
  };

  /** Keeps `stored` (least recently used entries go past the count or byte budget); returns it. */
  function remember(key: string, stored: Entry): Entry {
    if (stored.body.length > maxBytes / 4) return stored; // served once, never kept: one body may not crowd out the rest
    const previous = entries.get(key);
    if (previous) {
      entries.delete(key);
      bytes -= previous.body.length;
    }
    entries.set(key, stored);
    bytes += stored.body.length;
    while (entries.size > maxEntries || bytes > maxBytes) {
      const [oldestKey, oldest] = entries.entries().next().value!;
      entries.delete(oldestKey);
      bytes -= oldest.body.length;
    }
    return stored;
  }
}

/**
 * What decides the caller's access: the same key never mixes two callers' views. Callers whose
 * resolver names their access (`viewKey`: same roles, or the same Fiat grants) share entries;
 * anyone else gets entries of their own identity.
 */
function callerKey(req: Request): string {
  const access = callerAccessOf(req);
  if (access.viewKey !== undefined) return `view\u0001${access.viewKey}`;
  return [
    'caller',
    access.admin ? 'admin' : '',
    access.user ?? '',
    [...access.roles].sort().join(','),
    req.get(USER_HEADER) ?? '',
    req.get(ACCOUNTS_HEADER) ?? '',
  ].join('\u0001');
}

function etagOf(body: Buffer): string {
  return `"${createHash('sha1').update(body).digest('base64url')}"`;
}

/**
 * Replaces `res.send` for this response: a 200 with a string or Buffer body is handed to `store`
 * and answered through `reply`; anything else (errors, other statuses) goes out untouched.
 */
function captureBody(res: Response, store: (body: Buffer, contentType: string) => Entry, reply: (entry: Entry) => void): void {
  const original = res.send.bind(res);
  res.send = ((body?: unknown) => {
    res.send = original;
    if (res.statusCode !== 200 || (typeof body !== 'string' && !Buffer.isBuffer(body))) return original(body);
    const contentType = String(res.getHeader('Content-Type') ?? 'application/json; charset=utf-8');
    reply(store(typeof body === 'string' ? Buffer.from(body) : body, contentType));
    return res;
  }) as Response['send'];
}

function send(req: Request, res: Response, entry: Entry, compressAbove: number): void {
  res.setHeader('ETag', entry.etag);
  res.setHeader('Vary', 'Accept-Encoding');
  const conditional = req.get('If-None-Match');
  if (conditional && conditional.split(',').some((tag) => tag.trim().replace(/^W\//, '') === entry.etag)) {
    res.status(304).end();
    return;
  }
  res.setHeader('Content-Type', entry.contentType);
  const encoding = entry.body.length >= compressAbove ? negotiate(req.get('Accept-Encoding') ?? '') : undefined;
  // Compressed once per entry and encoding, off the event loop (zlib's thread pool).
  let compressed: Promise<Buffer> | undefined;
  if (encoding === 'br') {
    // Quality 4: most of brotli's gain at a fraction of its default (11) cost on multi-MB bodies.
    compressed = entry.br ??= brotliAsync(entry.body, { params: { [zlib.BROTLI_PARAM_QUALITY]: 4, [zlib.BROTLI_PARAM_SIZE_HINT]: entry.body.length } });
  } else if (encoding === 'gzip') {
    compressed = entry.gzip ??= gzipAsync(entry.body, { level: 6 });
  }
  if (!compressed) {
    res.setHeader('Content-Length', entry.body.length);
    res.status(200).end(entry.body);
    return;
  }
  compressed.then(
    (body) => {
      res.setHeader('Content-Encoding', encoding!);
      res.setHeader('Content-Length', body.length);
      res.status(200).end(body);
    },
    () => {
      // Compression failing is no reason to fail the read: send it as is.
      res.setHeader('Content-Length', entry.body.length);
      res.status(200).end(entry.body);
    },
  );
}

/** `br` when accepted, else `gzip`, else none (q=0 refuses). */
function negotiate(header: string): 'br' | 'gzip' | undefined {
  const accepted = new Set<string>();
  for (const part of header.split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (!name || params.some((p) => /^\s*q\s*=\s*0(\.0*)?\s*$/.test(p))) continue;
    accepted.add(name.trim());
  }
  if (accepted.has('br')) return 'br';
  if (accepted.has('gzip') || accepted.has('*')) return 'gzip';
  return undefined;
}
