import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback fake Fiat for the security tests: `GET /authorize/{user}` answers the user's
 * `UserPermission.View` JSON as Fiat serialises it (every field, authorizations as lists); a user it
 * does not know gets Fiat's 404 body. While `up` is false every request gets a 503 whose body must
 * never reach a Stratus caller.
 */

export type Authorization = 'READ' | 'WRITE' | 'EXECUTE';

export interface FiatView {
  name: string;
  accounts: { name: string; authorizations: Authorization[] }[];
  applications: { name: string; authorizations: Authorization[] }[];
  serviceAccounts: { name: string; memberOf: string[] }[];
  roles: { name: string; source: string }[];
  buildServices: { name: string; authorizations: Authorization[] }[];
  extensionResources: Record<string, unknown>;
  admin: boolean;
  accountManager: boolean;
  legacyFallback: boolean;
  allowAccessToUnknownApplications: boolean;
}

/** A full `UserPermission.View` for `name`: no permissions except `overrides`. */
export function fiatView(name: string, overrides: Partial<FiatView>): FiatView {
  return {
    name,
    accounts: [],
    applications: [],
    serviceAccounts: [],
    roles: [],
    buildServices: [],
    extensionResources: {},
    admin: false,
    accountManager: false,
    legacyFallback: false,
    allowAccessToUnknownApplications: false,
    ...overrides,
  };
}

export interface FakeFiat {
  /** `http://127.0.0.1:<port>`, for `services.fiat.baseUrl`. */
  readonly url: string;
  /** The permissions served, by user name; change them at will. */
  readonly permissions: Map<string, FiatView>;
  /** The users asked for, in order. */
  readonly calls: string[];
  /** False makes Fiat answer 503 to everything. */
  up: boolean;
  close(): Promise<void>;
}

/** Starts a fake Fiat on a free loopback port. */
export async function startFakeFiat(): Promise<FakeFiat> {
  const permissions = new Map<string, FiatView>();
  const calls: string[] = [];
  const state = { up: true };
  const server: Server = createServer((req, res) => {
    const match = /^\/authorize\/([^/?]+)$/.exec(req.url ?? '');
    if (!state.up) {
      res.writeHead(503, { 'content-type': 'application/json' }).end('{"message":"secret internals of fiat"}');
      return;
    }
    if (req.method !== 'GET' || !match) {
      res.writeHead(404).end();
      return;
    }
    const user = decodeURIComponent(match[1]!);
    calls.push(user);
    const permission = permissions.get(user);
    if (!permission) {
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'Not Found', message: `${user} not found`, status: 404 }));
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(permission));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    permissions,
    calls,
    get up() {
      return state.up;
    },
    set up(value: boolean) {
      state.up = value;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
