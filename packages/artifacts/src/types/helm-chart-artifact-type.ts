import { ArtifactError, type Artifact, type ArtifactAccountContext, type ArtifactAccountTypeDefinition } from '@stratus/plugin-api';
import { parse as parseYaml } from 'yaml';
import { accountName, basicAuthHeader, requiredString } from '../account-fields.js';
import { describeArtifact } from '../artifact-description.js';
import { compareVersions } from '../compare-versions.js';
import { contentOf, textOf } from '../upstream.js';

interface ChartEntry {
  readonly version?: unknown;
  readonly urls?: unknown;
}

/**
 * `helm/chart` and `helm/index` (`artifacts.helm`): the account's `repository` serves
 * `index.yaml`; names are its entries, versions an entry's versions, and a chart download fetches
 * the first URL of the asked version (the highest when none is given), relative URLs resolved
 * against the repository. `helm/index` answers the index itself.
 */
export const helmChartArtifactType: ArtifactAccountTypeDefinition = {
  configKey: 'helm',
  credentialsType: 'artifacts-helm',
  parse(raw, context) {
    const name = accountName(raw);
    const repository = requiredString(raw, 'repository').replace(/\/+$/, '');
    try {
      new URL(repository);
    } catch {
      throw new Error(`repository must be an absolute URL, got ${repository}`);
    }
    const authorization = basicAuthHeader(raw, context);
    const headers: Record<string, string> = authorization ? { authorization } : {};
    const indexArtifact: Artifact = { type: 'helm/index', reference: `${repository}/index.yaml` };

    const fetchIndex = async (signal: AbortSignal): Promise<Record<string, ChartEntry[]>> => {
      const text = await textOf(await context.fetch(`${repository}/index.yaml`, { headers, signal }), name, indexArtifact);
      let index: unknown;
      try {
        index = parseYaml(text);
      } catch (error) {
        throw new ArtifactError(502, `invalid index.yaml in repository ${repository} (artifact account ${name}): ${(error as Error).message}`);
      }
      const entries = (index as { entries?: unknown } | null)?.entries;
      if (typeof entries !== 'object' || entries === null)
        throw new ArtifactError(502, `index.yaml in repository ${repository} (artifact account ${name}) has no entries`);
      return entries as Record<string, ChartEntry[]>;
    };
    const entriesOf = (index: Record<string, ChartEntry[]>, chart: string | undefined, artifact?: Artifact): ChartEntry[] => {
      if (!chart) throw new ArtifactError(400, `artifact account ${name}: the chart name (artifact name) is required`);
      const entries = index[chart];
      if (!Array.isArray(entries) || entries.length === 0) {
        throw new ArtifactError(
          404,
          `chart ${chart} is not in repository ${repository} (artifact account ${name})${artifact ? ` fetching ${describeArtifact(artifact)}` : ''}`,
        );
      }
      return entries;
    };

    return {
      name,
      types: ['helm/chart', 'helm/index'],
      async download(artifact, signal) {
        if (artifact.type === 'helm/index') return contentOf(await context.fetch(`${repository}/index.yaml`, { headers, signal }), name, indexArtifact);
        const entries = entriesOf(await fetchIndex(signal), artifact.name, artifact);
        const versions = entries.map((entry) => String(entry.version ?? ''));
        const version = artifact.version || [...versions].sort(compareVersions).at(-1);
        const urls = entries.filter((entry) => String(entry.version ?? '') === version).flatMap((entry) => (Array.isArray(entry.urls) ? entry.urls : []));
        if (urls.length === 0)
          throw new ArtifactError(404, `chart ${artifact.name} has no version ${version} in repository ${repository} (artifact account ${name})`);
        return downloadFirst(
          context,
          urls.map((url) => new URL(String(url), `${repository}/`)),
          new URL(repository).origin,
          headers,
          signal,
          name,
          artifact,
        );
      },
      async listNames(signal) {
        return Object.keys(await fetchIndex(signal));
      },
      async listVersions(chart, signal) {
        return entriesOf(await fetchIndex(signal), chart).map((entry) => String(entry.version ?? ''));
      },
    };
  },
};

async function downloadFirst(
  context: ArtifactAccountContext,
  urls: readonly URL[],
  repositoryOrigin: string,
  headers: Record<string, string>,
  signal: AbortSignal,
  account: string,
  artifact: Artifact,
) {
  let failure: unknown;
  for (const url of urls) {
    try {
      // Credentials go only to the repository's own origin, never to a chart URL elsewhere.
      return await contentOf(await context.fetch(url, { headers: url.origin === repositoryOrigin ? headers : {}, signal }), account, artifact);
    } catch (error) {
      failure = error;
    }
  }
  throw failure;
}
