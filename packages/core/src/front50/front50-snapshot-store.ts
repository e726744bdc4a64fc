import type { InfrastructureSnapshot, SnapshotStore } from '@stratus/plugin-api';
import { Front50Error } from './front50-client.js';

export interface Front50SnapshotStoreOptions {
  /** Front50's base URL (`services.front50.baseUrl`). */
  readonly baseUrl: string;
  /** Per-request timeout (default 10 s). */
  readonly timeoutMs?: number;
  /** For tests and proxies; `globalThis.fetch` by default. */
  readonly fetch?: typeof fetch;
}

/**
 * {@link SnapshotStore} over Front50's `SnapshotsController`, the calls Clouddriver's
 * `Front50Service` makes: `POST /snapshots` (Front50 keys it `<application>-<account>` and stamps
 * the time) and `GET /snapshots/{application}-{account}/{timestamp}` (404 when no version has that
 * timestamp). Only `baseUrl` is contacted; names are path-encoded into it.
 */
export class Front50SnapshotStore implements SnapshotStore {
  private readonly baseUrl: string;
  private readonly timeoutMs: number;
  private readonly fetchImpl: typeof fetch;

  constructor(options: Front50SnapshotStoreOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.fetchImpl = options.fetch ?? globalThis.fetch;
  }

  async save(snapshot: InfrastructureSnapshot): Promise<void> {
    const response = await this.request('POST', '/snapshots', snapshot);
    await response.body?.cancel();
    if (!response.ok) throw new Front50Error(`Front50 answered ${response.status} for POST ${this.baseUrl}/snapshots`, response.status);
  }

  async get(application: string, account: string, timestamp: number): Promise<InfrastructureSnapshot | undefined> {
    const path = `/snapshots/${encodeURIComponent(`${application}-${account}`)}/${encodeURIComponent(String(timestamp))}`;
    const response = await this.request('GET', path);
    if (response.status === 404) {
      await response.body?.cancel();
      return undefined;
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new Front50Error(`Front50 answered ${response.status} for GET ${this.baseUrl}${path}`, response.status);
    }
    let body: unknown;
    try {
      body = await response.json();
    } catch {
      throw new Front50Error(`Front50 answered GET ${this.baseUrl}${path} with a body that is not JSON`, response.status);
    }
    const snapshot = body as Partial<InfrastructureSnapshot> | null;
    if (typeof snapshot !== 'object' || snapshot === null || typeof snapshot.infrastructure !== 'object' || snapshot.infrastructure === null) {
      throw new Front50Error(`Front50 returned a malformed snapshot for ${application} in ${account}`);
    }
    return snapshot as InfrastructureSnapshot;
  }

  private async request(method: string, path: string, body?: unknown): Promise<Response> {
    const url = `${this.baseUrl}${path}`;
    try {
      return await this.fetchImpl(url, {
        method,
        headers: { accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      throw new Front50Error(`Front50 is unreachable at ${url}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
