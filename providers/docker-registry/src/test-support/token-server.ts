import { execFileSync } from 'node:child_process';
import { createSign, randomUUID, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** One token request the server saw. */
export interface TokenRequest {
  readonly service: string | null;
  readonly scope: string[];
  readonly user?: string;
  readonly granted: boolean;
}

const b64url = (data: Buffer | string) => Buffer.from(data).toString('base64url');

/**
 * A loopback token server for the registry's token auth (the flow Docker Hub, GHCR and Harbor use):
 * `GET /token?service=&scope=` with optional basic credentials answers `{token, access_token,
 * expires_in}`, a JWT signed RS256 by a self-signed certificate (made with openssl) that the real
 * registry trusts as its `rootcertbundle`, carrying the certificate in `x5c` and the requested
 * scopes as `access`. Anonymous requests get a token with no access unless `anonymousPull` is set.
 */
export class TokenServer {
  readonly requests: TokenRequest[] = [];

  private constructor(
    private readonly server: Server,
    readonly url: string,
    readonly certPem: string,
    private readonly keyPem: string,
    readonly service: string,
    readonly issuer: string,
    private readonly users: Readonly<Record<string, string>>,
    private readonly anonymousPull: boolean,
  ) {}

  get realm(): string {
    return `${this.url}/token`;
  }

  static async start(options: { users: Record<string, string>; anonymousPull?: boolean; service?: string; issuer?: string }): Promise<TokenServer> {
    const dir = mkdtempSync(join(tmpdir(), 'stratus-token-'));
    try {
      execFileSync(
        'openssl',
        [
          'req',
          '-x509',
          '-newkey',
          'rsa:2048',
          '-nodes',
          '-keyout',
          join(dir, 'key.pem'),
          '-out',
          join(dir, 'cert.pem'),
          '-days',
          '2',
          '-subj',
          '/CN=stratus-test-token',
        ],
        {
          stdio: 'ignore',
        },
      );
      const keyPem = readFileSync(join(dir, 'key.pem'), 'utf8');
      const certPem = readFileSync(join(dir, 'cert.pem'), 'utf8');
      let self: TokenServer | undefined;
      const server = createServer((req, res) => self!.handle(req.url ?? '/', req.headers.authorization, res));
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const { port } = server.address() as { port: number };
      self = new TokenServer(
        server,
        `http://127.0.0.1:${port}`,
        certPem,
        keyPem,
        options.service ?? 'stratus-test-registry',
        options.issuer ?? 'stratus-test-issuer',
        options.users,
        options.anonymousPull ?? false,
      );
      return self;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  /** A token for `scope` as `user` (tests push with it). */
  mint(scopes: readonly string[], user = 'admin'): string {
    const der = new X509Certificate(this.certPem).raw;
    const header = { typ: 'JWT', alg: 'RS256', x5c: [der.toString('base64')] };
    const now = Math.floor(Date.now() / 1000);
    const access = scopes.map((scope) => {
      const [type, ...rest] = scope.split(':');
      const actions = rest.pop()!;
      return { type, name: rest.join(':'), actions: actions.split(',') };
    });
    const claims = { iss: this.issuer, sub: user, aud: this.service, exp: now + 300, nbf: now - 10, iat: now, jti: randomUUID(), access };
    const signingInput = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
    const signature = createSign('RSA-SHA256').update(signingInput).sign(this.keyPem);
    return `${signingInput}.${b64url(signature)}`;
  }

  private handle(path: string, authorization: string | undefined, res: import('node:http').ServerResponse): void {
    const url = new URL(path, this.url);
    if (url.pathname !== '/token') {
      res.writeHead(404).end();
      return;
    }
    const scopes = url.searchParams
      .getAll('scope')
      .flatMap((scope) => scope.split(' '))
      .filter(Boolean);
    let user: string | undefined;
    if (authorization?.startsWith('Basic ')) {
      const [name, ...password] = Buffer.from(authorization.slice(6), 'base64').toString().split(':');
      if (this.users[name!] === undefined || this.users[name!] !== password.join(':')) {
        this.requests.push({ service: url.searchParams.get('service'), scope: scopes, user: name!, granted: false });
        res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ details: 'incorrect username or password' }));
        return;
      }
      user = name;
    }
    const granted = user !== undefined || this.anonymousPull;
    this.requests.push({ service: url.searchParams.get('service'), scope: scopes, ...(user ? { user } : {}), granted });
    // Like Docker Hub: anonymous callers get a token, just without the access they asked for.
    const token = this.mint(granted ? scopes : [], user ?? 'anonymous');
    res
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify({ token, access_token: token, expires_in: 300, issued_at: new Date().toISOString() }));
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
