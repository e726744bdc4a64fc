import {
  authoritative,
  cacheData,
  defineProvider,
  SPI_VERSION,
  type AccountCredentials,
  type CachingAgent,
  type ProviderDefinition,
} from '@stratus/plugin-api';

export interface ToyAccount extends AccountCredentials {
  readonly region: string;
  readonly things: number;
}

export interface ToyProbe {
  readonly disposed: string[];
  readonly runs: Map<string, number>;
  /** Names of `wait` operations that ran to the end, and those whose signal was aborted. */
  readonly finished?: string[];
  readonly aborted?: string[];
}

/**
 * A minimal provider for server tests: account type `toy` (needs a `region`, rejects `bad`), one
 * caching agent per account writing `things` items, a dispose log.
 */
export function toyProvider(probe: ToyProbe = { disposed: [], runs: new Map() }): ProviderDefinition {
  return defineProvider({
    id: 'toy',
    apiVersion: SPI_VERSION,
    version: '0.0.1',
    register(context) {
      context.registerAccountType<ToyAccount>({
        cloudProvider: 'toy',
        parse(raw, defaults) {
          const region = raw.region ?? defaults.region;
          if (typeof region !== 'string' || region === 'bad') throw new Error(`region: ${JSON.stringify(region)} is not a region`);
          return {
            name: String(raw.name),
            cloudProvider: 'toy',
            region,
            things: typeof raw.things === 'number' ? raw.things : 2,
            ...(raw.permissions ? { permissions: raw.permissions as ToyAccount['permissions'] } : {}),
            ...(typeof raw.apiKey === 'string' ? { apiKey: raw.apiKey } : {}),
          };
        },
        agents(account): CachingAgent[] {
          if (account.things === 13) throw new Error('unlucky number of things');
          return [
            {
              agentType: `${account.name}/${account.region}/ToyAgent`,
              providerName: 'toy',
              accountName: account.name,
              intervalMs: 50,
              providedDataTypes: [authoritative('things')],
              async loadData() {
                if (account.region === 'unreachable') throw new Error('connect ECONNREFUSED 127.0.0.1:9');
                probe.runs.set(account.name, (probe.runs.get(account.name) ?? 0) + 1);
                const items = Array.from({ length: account.things }, (_, i) => cacheData(`toy:things:${account.name}:${i}`, { account: account.name, i }));
                return { cacheResults: { things: items } };
              },
            },
          ];
        },
        dispose(account) {
          probe.disposed.push(account.name);
        },
      });
      // `wait` sleeps `ms` (or until the server aborts it), for shutdown tests.
      context.registerOperation('toy', {
        name: 'wait',
        converter: {
          convertDescription: (input) => input as { account: string; ms: number; label: string },
          convertOperation: (d: { ms: number; label: string }) => ({
            operate: (_prior, { signal }) =>
              new Promise((resolve, reject) => {
                const timer = setTimeout(() => {
                  probe.finished?.push(d.label);
                  resolve({ waited: d.ms });
                }, d.ms);
                signal.addEventListener('abort', () => {
                  clearTimeout(timer);
                  probe.aborted?.push(d.label);
                  reject(new Error('aborted'));
                });
              }),
          }),
        },
      });
    },
  });
}
