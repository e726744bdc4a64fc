import { ArtifactError, type Artifact } from '@stratus/plugin-api';
import { createHash } from 'node:crypto';

/** Where stored artifacts live: the configured cache backend (memory, Redis or SQL) in the server. */
export interface StoredArtifactBackend {
  get(application: string, hash: string): Promise<string | undefined>;
  put(application: string, hash: string, reference: string): Promise<void>;
}

/** The scheme of kork's artifact store references. */
export const ARTIFACT_REFERENCE_SCHEME = 'ref://';

const SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/**
 * The content-addressed artifact store (kork's `ArtifactStore`): an `embedded/base64` artifact is
 * kept under `ref://<application>/<sha256 of its base64 reference>` and travels as a
 * `remote/base64` artifact with that reference; `GET /artifacts/content-address/{application}/{hash}`
 * and fetches of `remote/base64` artifacts read it back.
 */
export class ArtifactStore {
  constructor(private readonly backend: StoredArtifactBackend) {}

  /** Stores an `embedded/base64` artifact's content; answers the `remote/base64` artifact that points at it. */
  async store(application: string, artifact: Artifact): Promise<Artifact> {
    if (!SEGMENT.test(application)) throw new ArtifactError(400, `application ${application} is not a valid application name`);
    const reference = artifact.reference ?? '';
    const hash = createHash('sha256').update(reference, 'utf8').digest('hex');
    await this.backend.put(application, hash, reference);
    return { ...artifact, type: 'remote/base64', reference: `${ARTIFACT_REFERENCE_SCHEME}${application}/${hash}` };
  }

  /** The stored base64 content, or undefined. */
  async get(application: string, hash: string): Promise<string | undefined> {
    if (!SEGMENT.test(application) || !/^[0-9a-f]{64}$/i.test(hash)) return undefined;
    return this.backend.get(application, hash.toLowerCase());
  }

  /** Replaces a `remote/base64` artifact's `ref://app/hash` reference by the stored content (kork's deserializer); 404 when absent. */
  async resolve(artifact: Artifact): Promise<Artifact> {
    const reference = artifact.reference ?? '';
    if (artifact.type !== 'remote/base64' || !reference.startsWith(ARTIFACT_REFERENCE_SCHEME)) return artifact;
    const [application, hash, ...rest] = reference.slice(ARTIFACT_REFERENCE_SCHEME.length).split('/');
    const content = rest.length === 0 && application && hash ? await this.get(application, hash) : undefined;
    if (content === undefined) throw new ArtifactError(404, `stored artifact ${reference} was not found`);
    return { ...artifact, reference: content };
  }
}

/** A backend in memory, for tests and single processes. */
export class MemoryStoredArtifactBackend implements StoredArtifactBackend {
  private readonly items = new Map<string, string>();

  async get(application: string, hash: string): Promise<string | undefined> {
    return this.items.get(`${application}/${hash}`);
  }

  async put(application: string, hash: string, reference: string): Promise<void> {
    this.items.set(`${application}/${hash}`, reference);
  }
}
