import { transportUrl, type ProviderTransport } from '@stratus/provider-kit';

/** A Nimbus instance as the API returns it. */
export interface NimbusInstance {
  readonly id: string;
  readonly state: 'STARTING' | 'RUNNING' | 'STOPPED';
  readonly zone: string;
  readonly launchedAt: number;
}

/** A Nimbus instance group (Spinnaker's server group) as the API returns it. */
export interface NimbusGroup {
  readonly name: string;
  readonly region: string;
  readonly image: string;
  readonly min: number;
  readonly max: number;
  readonly desired: number;
  readonly disabled: boolean;
  readonly createdAt: number;
  readonly instances: readonly NimbusInstance[];
}

/** A non-2xx answer from the Nimbus API. */
export class NimbusApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'NimbusApiError';
  }
}

/**
 * The few Nimbus API calls the provider makes, over `fetch`. One client per account; it carries the
 * account's endpoint and token and never retries (the scheduler runs agents again anyway). The
 * endpoint is the kit's transport `baseURL`; a transport's `fetch` replaces the global one (tests).
 */
export class NimbusClient {
  constructor(
    private readonly endpoint: string,
    private readonly token: string,
    private readonly transport: Pick<ProviderTransport, 'fetch'> = {},
  ) {}

  async listGroups(region: string, signal?: AbortSignal): Promise<NimbusGroup[]> {
    const body = (await this.call('GET', `/v1/regions/${encodeURIComponent(region)}/groups`, undefined, signal)) as { groups: NimbusGroup[] };
    return body.groups;
  }

  /** The group, or `undefined` when Nimbus says 404. */
  async getGroup(region: string, name: string, signal?: AbortSignal): Promise<NimbusGroup | undefined> {
    try {
      return (await this.call('GET', this.groupPath(region, name), undefined, signal)) as NimbusGroup;
    } catch (error) {
      if (error instanceof NimbusApiError && error.status === 404) return undefined;
      throw error;
    }
  }

  async resizeGroup(region: string, name: string, capacity: { min: number; max: number; desired: number }, signal?: AbortSignal): Promise<NimbusGroup> {
    return (await this.call('POST', `${this.groupPath(region, name)}/resize`, capacity, signal)) as NimbusGroup;
  }

  async deleteGroup(region: string, name: string, signal?: AbortSignal): Promise<void> {
    await this.call('DELETE', this.groupPath(region, name), undefined, signal);
  }

  private groupPath(region: string, name: string): string {
    return `/v1/regions/${encodeURIComponent(region)}/groups/${encodeURIComponent(name)}`;
  }

  private async call(method: string, path: string, body: unknown, signal: AbortSignal | undefined): Promise<unknown> {
    const send = this.transport.fetch ?? fetch;
    const response = await send(transportUrl({ baseURL: this.endpoint }, this.endpoint, path), {
      method,
      headers: { authorization: `Bearer ${this.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      ...(signal ? { signal } : {}),
    });
    const text = await response.text();
    if (!response.ok) {
      let message = text;
      try {
        message = (JSON.parse(text) as { message?: string }).message ?? text;
      } catch {
        // not JSON: keep the text
      }
      throw new NimbusApiError(response.status, `Nimbus ${method} ${path} answered ${response.status}: ${message}`);
    }
    return text === '' ? undefined : JSON.parse(text);
  }
}
