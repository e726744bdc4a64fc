/**
 * A saved description of one application's infrastructure in one account, as Front50 stores it
 * (`POST /snapshots`, Front50's `Snapshot`): Clouddriver's GCE provider writes Terraform-style JSON
 * (`configLang: "TERRAFORM"`, `infrastructure` keyed by resource type, then by resource name).
 */
export interface InfrastructureSnapshot {
  /** The application whose resources the snapshot holds. */
  readonly application: string;
  /** The account the resources live in. */
  readonly account: string;
  /** Resource type → resource name → that resource's fields. */
  readonly infrastructure: Record<string, Record<string, Record<string, unknown>>>;
  /** `TERRAFORM` for what Clouddriver's and Stratus' GCE providers write. */
  readonly configLang: string;
  /** Set by Front50 when it stores the snapshot (epoch ms); the key `restoreSnapshot` asks for. */
  readonly timestamp?: number;
  readonly [key: string]: unknown;
}

/**
 * Where operations save and read infrastructure snapshots (since SPI 1.4): the server's Front50
 * (`POST /snapshots`, `GET /snapshots/{application}-{account}/{timestamp}`). Failures are errors
 * whose message names Front50 and the status.
 */
export interface SnapshotStore {
  /** Saves a new version; Front50 stamps its `timestamp`. */
  save(snapshot: InfrastructureSnapshot): Promise<void>;
  /** The version saved at `timestamp` (epoch ms); undefined when Front50 has none. */
  get(application: string, account: string, timestamp: number): Promise<InfrastructureSnapshot | undefined>;
}
