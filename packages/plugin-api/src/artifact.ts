/**
 * A Spinnaker artifact as Orca, Gate and Deck send it (kork's `Artifact`): what it is (`type`),
 * where it lives (`reference`), and which artifact account may fetch it (`artifactAccount`).
 */
export interface Artifact {
  /** The artifact type, e.g. `embedded/base64`, `http/file`, `s3/object`, `helm/chart`. */
  readonly type?: string;
  /** Whether the type is a custom kind (kork's `customKind`). */
  readonly customKind?: boolean;
  /** The artifact's name (a file path, a chart name, …). */
  readonly name?: string;
  /** The version (a git ref, a chart version, an object generation, …). */
  readonly version?: string;
  /** A location, e.g. a region, or the sub-path of a `git/repo` artifact. */
  readonly location?: string;
  /** Where the content is: a URL, `s3://bucket/key`, base64 text for `embedded/base64`, … */
  readonly reference?: string;
  /** Extra fields; kork puts every unknown field here too. */
  readonly metadata?: Readonly<Record<string, unknown>>;
  /** The artifact account to fetch it with. */
  readonly artifactAccount?: string;
  /** Where the artifact came from (a build URL, …). */
  readonly provenance?: string;
  /** A unique id, when the sender set one. */
  readonly uuid?: string;
  /** Fields kork does not model are kept as sent. */
  readonly [key: string]: unknown;
}

/** The bytes of a downloaded artifact, as a stream of chunks (a Node `Readable` is one). */
export type ArtifactContent = AsyncIterable<Uint8Array>;

/**
 * A failure with the HTTP status the artifact endpoints answer: 400 for a malformed artifact, 403
 * for an address the operator did not allow, 404 for an unknown account or a missing object, 413
 * for an artifact over the size cap, 502 when the upstream failed or refused the account's
 * credentials. The message names the account and the artifact; it never carries a secret.
 */
export class ArtifactError extends Error {
  constructor(
    /** The HTTP status to answer. */
    readonly status: number,
    message: string,
    options?: { readonly cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ArtifactError';
  }
}
