import { ACCESS_RESOLVER, ACCOUNTS_HEADER, USER_HEADER, type CallerAccess } from '@stratus/core';
import type { Request, RequestHandler } from 'express';
import { createHash, timingSafeEqual } from 'node:crypto';
import { BlockList, isIP } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { DependencyContainer } from 'tsyringe';
import { resolve, resolveOptional } from '../di.js';
import { IDENTITY_TRUST } from '../tokens.js';

/**
 * Who may name the caller. With neither set, every request's `X-SPINNAKER-USER` is believed, which
 * is only right when Stratus is reachable from Gate and Orca alone (docs/threat-model.md).
 */
export interface IdentityTrust {
  /** Peer addresses (IPs or CIDRs) whose identity headers are believed. */
  readonly trustedProxies: readonly string[];
  /** A shared secret a trusted caller sends in {@link sharedSecretHeader}; believed from any address. */
  readonly sharedSecret?: string;
  readonly sharedSecretHeader: string;
  /** The configured roles header (trusted proxies only), stripped from untrusted requests too. */
  readonly rolesHeader?: string;
  /** Client certificates are checked (`server.ssl.clientAuth`): a connection with a verified one is trusted. */
  readonly clientCertificate?: boolean;
}

/**
 * Where a request keeps its caller's access: a property only this module can name (a WeakMap
 * entry per request cost more, mostly in garbage collection, on small endpoints).
 */
const ACCESS = Symbol('stratus.callerAccess');
type WithAccess = Request & { [ACCESS]?: CallerAccess };
const keep = (req: Request, access: CallerAccess) => void ((req as WithAccess)[ACCESS] = access);

/** An anonymous caller with no permissions. */
const NO_ACCESS: CallerAccess = { roles: [], canReadAccount: () => false, canWriteAccount: () => false };

/** The caller's access, as {@link resolveCallerAccess} resolved it for this request. */
export function callerAccessOf(req: Request): CallerAccess {
  const access = (req as WithAccess)[ACCESS];
  if (!access) throw new Error('the caller access was not resolved: mount resolveCallerAccess before the routes');
  return access;
}

function blockListOf(entries: readonly string[]): BlockList {
  const list = new BlockList();
  for (const entry of entries) {
    const [address, prefix] = entry.split('/') as [string, string | undefined];
    const family = isIP(address) === 6 ? 'ipv6' : 'ipv4';
    if (prefix === undefined) list.addAddress(address, family);
    else list.addSubnet(address, Number(prefix), family);
  }
  return list;
}

const digest = (value: string) => createHash('sha256').update(value).digest();

/** True when the request's identity headers may be believed under `trust`. */
export function identityTrusted(req: Request, trust: IdentityTrust | undefined, proxies: BlockList | undefined): boolean {
  if (!trust || (trust.trustedProxies.length === 0 && !trust.sharedSecret && !trust.clientCertificate)) return true;
  // Only TLS sockets have `authorized`: true once the certificate chained to `server.ssl.clientCaFile`.
  if (trust.clientCertificate && (req.socket as TLSSocket).authorized === true) return true;
  if (trust.sharedSecret) {
    const sent = req.headers[trust.sharedSecretHeader.toLowerCase()];
    if (typeof sent === 'string' && timingSafeEqual(digest(sent), digest(trust.sharedSecret))) return true;
  }
  const peer = (req.socket.remoteAddress ?? '').replace(/^::ffff:/, '');
  if (!proxies || !peer) return false;
  return proxies.check(peer, isIP(peer) === 6 ? 'ipv6' : 'ipv4');
}

/**
 * The one place a request's caller is established: identity headers are believed only as
 * {@link IdentityTrust} allows (otherwise dropped, so the request is anonymous), then the configured
 * resolver (static roles or Fiat) builds the caller's access once; routes read it with
 * {@link callerAccessOf} and never look at identity headers themselves.
 */
export function resolveCallerAccess(container: DependencyContainer): RequestHandler {
  // The trusted-proxy list is rebuilt only when a reload gives a different one (by identity, then content).
  let cachedList: readonly string[] | undefined;
  let cachedFor: string | undefined;
  let proxies: BlockList | undefined;
  const resolver = () => resolve(container, ACCESS_RESOLVER);
  return (req, _res, next) => {
    try {
      // Probes name no caller and must answer even while Fiat is unreachable: they get no permissions
      // without asking the resolver (so their readiness details show no account).
      if (req.url.startsWith('/health') && !req.headers[USER_HEADER]) {
        keep(req, NO_ACCESS);
        next();
        return;
      }
      const trust = resolveOptional(container, IDENTITY_TRUST);
      const list = trust?.trustedProxies;
      if (list !== cachedList) {
        const key = JSON.stringify(list ?? []);
        if (key !== cachedFor) proxies = trust ? blockListOf(trust.trustedProxies) : undefined;
        cachedList = list;
        cachedFor = key;
      }
      let headers = req.headers;
      if (!identityTrusted(req, trust, proxies)) {
        headers = { ...req.headers };
        for (const name of [USER_HEADER, ACCOUNTS_HEADER, trust?.rolesHeader?.toLowerCase()]) if (name) delete headers[name];
      }
      const access = resolver().resolve(headers);
      // The static resolver answers at once: no promise, no extra turn of the microtask queue per request.
      if (!(access instanceof Promise)) {
        keep(req, access);
        next();
        return;
      }
      access.then(
        (resolved) => {
          keep(req, resolved);
          next();
        },
        (error: unknown) => next(error),
      );
    } catch (error) {
      next(error);
    }
  };
}

/** Gives every request the same access (the management port, reached by operators only). */
export function grantCallerAccess(access: CallerAccess): RequestHandler {
  return (req, _res, next) => {
    keep(req, access);
    next();
  };
}
