import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, pollUntil } from '@stratus/testing';

/** Where Debian's `docker-registry` package puts the CNCF distribution registry (v2). */
export const REGISTRY_BIN = process.env.DOCKER_REGISTRY_BIN ?? '/usr/bin/docker-registry';

/** Why the real registry (and the tools its auth set-ups need) cannot run here, or undefined when it can. */
export function registryUnavailable(): string | undefined {
  if (!existsSync(REGISTRY_BIN)) return `${REGISTRY_BIN} is missing: apt-get install -y docker-registry apache2-utils (or run scripts/ensure-services.sh)`;
  for (const tool of ['htpasswd', 'openssl']) {
    if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0)
      return `${tool} is missing: apt-get install -y apache2-utils openssl (or run scripts/ensure-services.sh)`;
  }
  return undefined;
}

/** How the registry authenticates. */
export type RegistryAuth =
  | { readonly kind: 'none' }
  | { readonly kind: 'htpasswd'; readonly users: Readonly<Record<string, string>> }
  | { readonly kind: 'token'; readonly realm: string; readonly service: string; readonly issuer: string; readonly rootCertPem: string };

/** What one pushed image was made of. */
export interface PushedImage {
  readonly digest: string;
  readonly configDigest: string;
  readonly created: string;
}

const sha256 = (data: Buffer) => `sha256:${createHash('sha256').update(data).digest('hex')}`;

/**
 * The real distribution registry (`docker-registry serve`) on a free loopback port, with filesystem
 * storage in a temporary directory, deletes enabled and the given auth. Images are pushed through
 * its HTTP API as `docker push` would: blobs by monolithic upload (POST, then PUT with the digest),
 * then a schema-2 manifest per tag.
 */
export class RegistryServer {
  private constructor(
    readonly url: string,
    readonly host: string,
    private readonly child: ChildProcess,
    private readonly dir: string,
    private readonly output: string[],
    /** The `Authorization` header pushes send (basic credentials, or a token minted for the test). */
    private readonly pushAuthorization: (scope: string) => Promise<string | undefined>,
  ) {}

  static async start(
    auth: RegistryAuth = { kind: 'none' },
    pushAuthorization: (scope: string) => Promise<string | undefined> = async () => undefined,
  ): Promise<RegistryServer> {
    const port = await freePort();
    const dir = mkdtempSync(join(tmpdir(), 'stratus-registry-'));
    const lines = [
      'version: 0.1',
      'log:',
      '  level: error',
      '  accesslog:',
      '    disabled: true',
      'storage:',
      '  filesystem:',
      `    rootdirectory: ${join(dir, 'data')}`,
      '  delete:',
      '    enabled: true',
      'http:',
      `  addr: 127.0.0.1:${port}`,
    ];
    if (auth.kind === 'htpasswd') {
      const entries = Object.entries(auth.users).map(([user, password]) => {
        // The registry only accepts bcrypt entries; htpasswd (apache2-utils) makes them.
        const made = spawnSync('htpasswd', ['-nbB', user, password], { encoding: 'utf8' });
        if (made.status !== 0) throw new Error(`htpasswd failed (apt-get install -y apache2-utils): ${made.stderr}`);
        return made.stdout.trim();
      });
      writeFileSync(join(dir, 'htpasswd'), `${entries.join('\n')}\n`);
      lines.push('auth:', '  htpasswd:', '    realm: stratus-test', `    path: ${join(dir, 'htpasswd')}`);
    } else if (auth.kind === 'token') {
      writeFileSync(join(dir, 'token.crt'), auth.rootCertPem);
      lines.push(
        'auth:',
        '  token:',
        `    realm: ${auth.realm}`,
        `    service: ${auth.service}`,
        `    issuer: ${auth.issuer}`,
        `    rootcertbundle: ${join(dir, 'token.crt')}`,
      );
    }
    writeFileSync(join(dir, 'config.yml'), `${lines.join('\n')}\n`);
    const child = spawn(REGISTRY_BIN, ['serve', join(dir, 'config.yml')], { stdio: ['ignore', 'pipe', 'pipe'] });
    const output: string[] = [];
    child.stdout!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    const url = `http://127.0.0.1:${port}`;
    const server = new RegistryServer(url, `127.0.0.1:${port}`, child, dir, output, pushAuthorization);
    await pollUntil(
      'the registry to listen',
      async () => {
        if (child.exitCode !== null) throw new Error(`docker-registry exited (${child.exitCode}): ${output.join('').slice(-2000)}`);
        return fetch(`${url}/v2/`).then(
          (response) => response.status,
          () => 0,
        );
      },
      (status) => status === 200 || status === 401,
      15_000,
    );
    return server;
  }

  private async call(method: string, path: string, scope: string, body?: Buffer | string, headers: Record<string, string> = {}): Promise<Response> {
    const authorization = await this.pushAuthorization(scope);
    const target = path.startsWith('http') ? path : `${this.url}${path}`;
    return fetch(target, { method, headers: { ...headers, ...(authorization ? { authorization } : {}) }, ...(body !== undefined ? { body } : {}) });
  }

  /** Monolithic blob upload: `POST /v2/<name>/blobs/uploads/`, then `PUT <location>&digest=`. */
  async pushBlob(repository: string, data: Buffer): Promise<string> {
    const scope = `repository:${repository}:pull,push`;
    const digest = sha256(data);
    const started = await this.call('POST', `/v2/${repository}/blobs/uploads/`, scope);
    if (started.status !== 202) throw new Error(`blob upload start answered ${started.status}: ${await started.text()}`);
    const location = new URL(started.headers.get('location')!, this.url);
    location.searchParams.set('digest', digest);
    const put = await this.call('PUT', location.toString(), scope, data, { 'content-type': 'application/octet-stream' });
    if (put.status !== 201) throw new Error(`blob upload answered ${put.status}: ${await put.text()}`);
    return digest;
  }

  /** Pushes a one-layer image as `<repository>:<tag>` with a config whose `created` is `created`. */
  async pushImage(repository: string, tag: string, options: { created?: string; labels?: Record<string, string> } = {}): Promise<PushedImage> {
    const created = options.created ?? new Date().toISOString();
    const layer = randomBytes(64);
    const layerDigest = await this.pushBlob(repository, layer);
    const config = Buffer.from(
      JSON.stringify({
        architecture: 'amd64',
        os: 'linux',
        created,
        config: { Labels: options.labels ?? {} },
        rootfs: { type: 'layers', diff_ids: [layerDigest] },
        history: [{ created, created_by: 'stratus test' }],
      }),
    );
    const configDigest = await this.pushBlob(repository, config);
    const manifest = JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
      config: { mediaType: 'application/vnd.docker.container.image.v1+json', size: config.length, digest: configDigest },
      layers: [{ mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip', size: layer.length, digest: layerDigest }],
    });
    const put = await this.call('PUT', `/v2/${repository}/manifests/${tag}`, `repository:${repository}:pull,push`, manifest, {
      'content-type': 'application/vnd.docker.distribution.manifest.v2+json',
    });
    if (put.status !== 201) throw new Error(`manifest PUT answered ${put.status}: ${await put.text()}`);
    return { digest: put.headers.get('docker-content-digest') ?? sha256(Buffer.from(manifest)), configDigest, created };
  }

  /** Deletes a manifest by digest (and so every tag pointing at it). */
  async deleteManifest(repository: string, digest: string): Promise<void> {
    const response = await this.call('DELETE', `/v2/${repository}/manifests/${digest}`, `repository:${repository}:delete,pull,push`);
    if (response.status !== 202) throw new Error(`manifest DELETE answered ${response.status}: ${await response.text()}`);
  }

  logs(): string {
    return this.output.join('');
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null) {
      const exited = new Promise((resolve) => this.child.once('exit', resolve));
      this.child.kill('SIGTERM');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 3000))]);
      if (this.child.exitCode === null) this.child.kill('SIGKILL');
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}
