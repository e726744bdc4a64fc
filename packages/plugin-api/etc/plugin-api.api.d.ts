// ---- account-credentials.d.ts ----
/** Roles allowed to read and to write an account (Fiat's `Permissions`). */
export interface AccountPermissions {
    /** Roles that may see the account and its resources. */
    readonly READ?: readonly string[];
    /** Roles that may run operations on the account. */
    readonly WRITE?: readonly string[];
    /** Roles that may trigger pipelines with the account (Fiat; Stratus does not enforce it). */
    readonly EXECUTE?: readonly string[];
}
/** One configured account of a cloud provider, as `/credentials` shows it. */
export interface AccountCredentials {
    /** The account name, unique across every provider. */
    readonly name: string;
    /** The cloud provider id, e.g. `aws`, `kubernetes`, `gce`, `azure`. */
    readonly cloudProvider: string;
    /** Clouddriver's `type`; defaults to the cloud provider id. */
    readonly type?: string;
    /** Clouddriver's `accountType`; defaults to the cloud provider id. */
    readonly accountType?: string;
    /** The environment shown in Deck (e.g. `prod`); defaults to the account name. */
    readonly environment?: string;
    /** The cloud's own account id (AWS account number, GCP project, …), when it has one. */
    readonly accountId?: string;
    /** Who may read and write the account; an account without permissions is open to everyone. */
    readonly permissions?: AccountPermissions | undefined;
    /** Legacy permissions: roles granted both READ and WRITE. */
    readonly requiredGroupMembership?: readonly string[];
    /** Whether Deck asks for the account name before destructive actions. */
    readonly challengeDestructiveActions?: boolean;
    /** Whether Deck lists the account first among accounts of its type. */
    readonly primaryAccount?: boolean;
    /** Regions (or locations) this account covers, where the cloud has them. */
    readonly regions?: readonly {
        readonly name: string;
        readonly [key: string]: unknown;
    }[];
    /** Provider-specific fields; shown by `/credentials?expand=true`. */
    readonly [key: string]: unknown;
}

// ---- agent-data-type.d.ts ----
/**
 * How an agent contributes to a type.
 *
 * - `AUTHORITATIVE`: the agent's result is the complete set of this type *for that agent*; ids it
 *   wrote before and did not write now are evicted.
 * - `INFORMATIVE`: the agent contributes items and relationships but never implies deletion.
 */
export type Authority = 'AUTHORITATIVE' | 'INFORMATIVE';
/** A type an agent writes, with its authority over that type. */
export interface AgentDataType {
    /** The CATS type (`serverGroups`, `instances`, …); never contains `:`. */
    readonly typeName: string;
    /** Whether the agent owns the type (evicts what it no longer returns) or only contributes to it. */
    readonly authority: Authority;
}
/** An {@link AgentDataType} the agent owns: ids it wrote before and does not return now are evicted. */
export declare const authoritative: (typeName: string) => AgentDataType;
/** An {@link AgentDataType} the agent contributes to without ever implying deletion. */
export declare const informative: (typeName: string) => AgentDataType;

// ---- agent.d.ts ----
import type { AgentDataType } from './agent-data-type.js';
import type { CacheResult } from './cache-result.js';
import type { ProviderCache } from './provider-cache.js';
/** Anything the scheduler runs. */
export interface Agent {
    /**
     * Globally unique; it is the lock key and the source tag on stored data. Agents bound to an
     * account start with `<account>/` (e.g. `prod/us-east-1/ClusterCachingAgent`): sharding keys on it.
     */
    readonly agentType: string;
    /** The provider (cache namespace) the agent writes to. */
    readonly providerName: string;
    /** The account this agent works for; absent for housekeeping agents, which bypass sharding. */
    readonly accountName?: string | undefined;
    /** Milliseconds between runs; the scheduler's default (30 s) when absent. */
    readonly intervalMs?: number | undefined;
    /** Milliseconds to wait after a failed run; the interval when absent. */
    readonly errorIntervalMs?: number | undefined;
    /** Milliseconds a run may take before it is abandoned; the scheduler's default when absent. */
    readonly timeoutMs?: number | undefined;
}
/**
 * This replica's claim on an agent, for writes the agent makes between its runs (a watch stream
 * feeding the cache). The scheduler decides who owns an agent: the replica that ran it last, until
 * another replica runs it or it is unscheduled here.
 */
export interface AgentOwnership {
    /** Whether this replica still owns the agent. */
    owned(): Promise<boolean>;
    /**
     * Performs `write` only while this replica owns the agent, fenced like a scheduled run's write
     * (no other replica can take the agent while it runs). Resolves false, writing nothing, when it
     * no longer owns it; errors of `write` propagate.
     */
    writeIfOwned(write: () => Promise<unknown>): Promise<boolean>;
}
/** Passed to every run. */
export interface AgentRunContext {
    /** Aborted when the run is abandoned (timeout, lost lock, shutdown). */
    readonly signal: AbortSignal;
    /**
     * The claim this run gives the replica on its agent, valid after the run ended; absent when the
     * scheduler cannot fence such writes.
     */
    readonly ownership?: AgentOwnership;
}
/** An agent that polls a cloud and returns what it found (Clouddriver's `CachingAgent`). */
export interface CachingAgent extends Agent {
    /** The types this agent writes and its authority over each. */
    readonly providedDataTypes: readonly AgentDataType[];
    /** Describes the cloud and returns what it found. Throw when the describe fails: an empty result means "nothing there". */
    loadData(providerCache: ProviderCache, context: AgentRunContext): Promise<CacheResult>;
    /**
     * Globs per authoritative type: every existing id matching the glob that this run did not return
     * is evicted, whoever wrote it (e.g. `aws:serverGroups:*:prod:us-east-1:*`).
     */
    cacheKeyPatterns?(): Readonly<Record<string, string>>;
}
/** A periodic job that writes nothing through the cache protocol (housekeeping). */
export interface RunnableAgent extends Agent {
    /** Does one round of the job; throwing counts as a failed run (error interval applies). */
    run(context: AgentRunContext): Promise<void>;
}
/** Whether `agent` is a {@link CachingAgent} (has `loadData` and `providedDataTypes`). */
export declare function isCachingAgent(agent: Agent): agent is CachingAgent;
/** Whether `agent` is a {@link RunnableAgent} (has `run`). */
export declare function isRunnableAgent(agent: Agent): agent is RunnableAgent;

// ---- artifact-account.d.ts ----
import type { AccountPermissions } from './account-credentials.js';
import type { Artifact, ArtifactContent } from './artifact.js';
import type { Logger } from './logger.js';
/**
 * One configured artifact account (Clouddriver's `ArtifactCredentials`): the artifact types it
 * fetches and how. `GET /artifacts/credentials` shows its `name`, `types` and its type's
 * `credentialsType`; nothing else of it is ever sent to a client.
 */
export interface ArtifactAccount {
    /** The account name, unique among artifact accounts. */
    readonly name: string;
    /** The artifact types it handles, e.g. `['http/file']`. */
    readonly types: readonly string[];
    /** Who may see and use the account (like cloud accounts); an account without permissions is open to everyone. */
    readonly permissions?: AccountPermissions;
    /** Whether it handles `type`; defaults to `types.includes(type)` (the embedded account also takes `embedded/*`). */
    handlesType?(type: string): boolean;
    /**
     * Downloads the artifact. Resolve only once the upstream answered successfully, so failures become
     * an {@link ArtifactError} before any byte is sent; the server streams the content and enforces
     * the size cap. Stop when `signal` aborts (the client went away or the cap was hit).
     */
    download(artifact: Artifact, signal: AbortSignal): Promise<ArtifactContent>;
    /** Artifact names for Deck's pickers (`GET /artifacts/account/{name}/names`); omit when unsupported. */
    listNames?(signal: AbortSignal): Promise<string[]>;
    /** Versions of one artifact (`GET /artifacts/account/{name}/versions`); omit when unsupported. */
    listVersions?(artifactName: string, signal: AbortSignal): Promise<string[]>;
    /** Releases clients the account holds when it is removed. */
    dispose?(): void | Promise<void>;
}
/** A GET through the operator's network policy (see {@link ArtifactAccountContext.fetch}). */
export interface ArtifactFetchInit {
    /** Request headers (credentials included; they are dropped on a redirect to another origin). */
    readonly headers?: Readonly<Record<string, string>>;
    /** Aborts the request and the body. */
    readonly signal?: AbortSignal;
}
/** What the server gives an artifact account type while it parses accounts. */
export interface ArtifactAccountContext {
    /** The server's logger, bound to the account type. */
    readonly logger: Logger;
    /**
     * An HTTP(S) GET through the operator's network policy: the host must be allowed
     * (`artifacts.network`), every address it resolves to is checked at connect time, redirects are
     * followed only to allowed hosts, and the request times out. A refused address throws an
     * {@link ArtifactError} (403); any upstream status is returned as is.
     */
    fetch(url: string | URL, init?: ArtifactFetchInit): Promise<Response>;
    /**
     * Checks a URL against the same policy and returns the addresses its host may be reached at, for
     * clients that do not go through {@link fetch} (a git binary); throws an {@link ArtifactError} (403)
     * when the URL is not allowed.
     */
    checkUrl(url: string | URL): Promise<readonly string[]>;
    /** Reads a secret file named in config (Clouddriver's `tokenFile`, `usernamePasswordFile`), newlines removed. */
    readSecretFile(path: string): string;
}
/**
 * An artifact account type (Clouddriver's `*ArtifactConfiguration`): accounts come from
 * `artifacts.<configKey>.accounts[]` when `artifacts.<configKey>.enabled` is true. Providers and
 * other packages contribute types with `ProviderContext.registerArtifactAccountType` (since SPI 1.2).
 */
export interface ArtifactAccountTypeDefinition {
    /** The key under `artifacts:`, e.g. `http`, `s3`, `gitRepo`. */
    readonly configKey: string;
    /** Clouddriver's credentials type, shown as `type` by `/artifacts/credentials`, e.g. `artifacts-http`. */
    readonly credentialsType: string;
    /**
     * Accounts that exist without being configured: always (the embedded account) or when the type
     * is enabled (Clouddriver's `no-auth-http-account` when no http account uses auth).
     */
    defaultAccounts?(configured: readonly Record<string, unknown>[], enabled: boolean): Record<string, unknown>[];
    /** Validates one raw account (an element of `accounts[]`); throw an `Error` naming the bad field. */
    parse(raw: Record<string, unknown>, context: ArtifactAccountContext): ArtifactAccount;
}

// ---- artifact-download-service.d.ts ----
import type { Artifact, ArtifactContent } from './artifact.js';
/** Options of one {@link ArtifactDownloadService.download}. */
export interface ArtifactDownloadOptions {
    /** Aborts the download. */
    readonly signal?: AbortSignal;
    /** Only accounts this predicate allows may be used (the caller's READ permission); all when absent. */
    readonly canUseAccount?: (account: string) => boolean;
}
/**
 * Fetches artifacts through the configured artifact accounts, as `PUT /artifacts/fetch` does:
 * the account named by `artifactAccount` must handle the artifact's `type`; stored artifacts
 * (`remote/base64` with a `ref://` reference) are read from the artifact store. The content is
 * capped at `artifacts.maxDownloadBytes`. Failures are {@link ArtifactError}s.
 */
export interface ArtifactDownloadService {
    /** Resolves once the upstream answered; the content then streams. */
    download(artifact: Artifact, options?: ArtifactDownloadOptions): Promise<ArtifactContent>;
}
/** The DI token of the server's {@link ArtifactDownloadService}. */
export declare const ARTIFACT_DOWNLOAD_SERVICE: import("./token.js").Token<ArtifactDownloadService>;

// ---- artifact.d.ts ----
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
export declare class ArtifactError extends Error {
    /** The HTTP status to answer. */
    readonly status: number;
    constructor(
    /** The HTTP status to answer. */
    status: number, message: string, options?: {
        readonly cause?: unknown;
    });
}

// ---- atomic-operation.d.ts ----
import type { AccountCredentials } from './account-credentials.js';
import type { ArtifactDownloadService } from './artifact-download-service.js';
import type { SnapshotStore } from './snapshot-store.js';
/** The task an operation runs in, as the operation sees it. */
export interface OperationTask {
    /** The task id, as `GET /task/{id}` knows it. */
    readonly id: string;
    /** Appends a history line (`{phase, status}`) that Orca and Deck show. */
    updateStatus(phase: string, status: string): Promise<void>;
    /** Attaches an output (Kubernetes-style `{manifest, phase, stdOut, stdError}`). */
    addOutput(output: Record<string, unknown>): Promise<void>;
}
/**
 * The persisted progress of a resumable operation. A step's value is stored with the task once the
 * step completes; when the task's replica dies and another one resumes the task, steps that already
 * completed return their stored value instead of running again.
 */
export interface OperationSteps {
    /**
     * Runs `work` as the step `name`, unless that step already completed in an earlier run of this
     * task (on any replica): then returns the value it returned then. The value must be JSON.
     */
    run<T>(name: string, work: () => Promise<T>): Promise<T>;
}
/** What an operation receives besides its description. */
export interface OperationContext {
    /** The task this operation reports to. */
    readonly task: OperationTask;
    /** The user who asked (`X-SPINNAKER-USER`), when known. */
    readonly user?: string;
    /** Aborted when the server shuts down past its grace period. */
    readonly signal: AbortSignal;
    /** Looks up a configured account of any provider. */
    account(name: string): AccountCredentials | undefined;
    /**
     * The server's artifact downloads (`PUT /artifacts/fetch`'s service), when the server runs one:
     * what an operation needs to read an artifact it is given, such as a manifest to deploy.
     */
    readonly artifacts?: ArtifactDownloadService;
    /**
     * Infrastructure snapshots in the server's Front50 (since SPI 1.4), when `services.front50` is
     * configured: what GCE's `saveSnapshot` and `restoreSnapshot` write and read.
     */
    readonly snapshots?: SnapshotStore;
    /** Persisted steps, for operations that declare themselves `resumable` (absent in older hosts). */
    readonly steps?: OperationSteps;
}
/**
 * Runs `work` as a persisted step of a resumable operation (see {@link OperationSteps}), or simply
 * runs it when the host offers no steps.
 */
export declare function runStep<T>(context: OperationContext, name: string, work: () => Promise<T>): Promise<T>;
/**
 * One step of a task (Clouddriver's `AtomicOperation`). Operations of one request run one after
 * another; each gets the results of those before it. A thrown error fails the task; an error with
 * `retryable: true` makes it `FAILED_RETRYABLE`.
 */
export interface AtomicOperation<R = unknown> {
    /** Runs the step; `priorOutputs` are the results of the steps before it in the same request. The result is added to the task's `resultObjects`. */
    operate(priorOutputs: readonly unknown[], context: OperationContext): Promise<R | undefined>;
    /**
     * True when the operation can continue on another replica after its own died: it records its
     * progress with `context.steps` and running it again from its last completed step is safe. Other
     * operations whose replica died end FAILED_RETRYABLE, for the client to retry.
     */
    readonly resumable?: boolean;
}
/** Collects field errors found while validating a description. */
export interface ValidationErrors {
    /** Records that `field` is invalid; `code` is machine-readable (e.g. `empty`, `invalid`). */
    reject(field: string, code: string, message?: string): void;
    /** Whether anything was rejected so far. */
    readonly hasErrors: boolean;
}
/** Validates a converted description (Clouddriver's `DescriptionValidator`). */
export interface DescriptionValidator<D> {
    /** Rejects every bad field through `errors`; `priorDescriptions` are the descriptions before this one in the same request. */
    validate(description: D, errors: ValidationErrors, priorDescriptions: readonly unknown[]): void | Promise<void>;
}
/** Turns the raw description map into a typed description and then into an operation. */
export interface AtomicOperationConverter<D> {
    /** May throw to reject the input outright; prefer a validator for field errors. */
    convertDescription(input: Record<string, unknown>): D;
    /** Builds the operation that carries out a validated description. */
    convertOperation(description: D): AtomicOperation;
}
/** An operation a provider offers under `POST /{cloudProvider}/ops`. */
export interface OperationDefinition<D = any> {
    /** The name Orca sends, e.g. `createServerGroup`. */
    readonly name: string;
    /** Turns the raw description into a typed one and then into the operation. */
    readonly converter: AtomicOperationConverter<D>;
    /** Field checks run before any task is created; the conformance suite requires one on every operation. */
    readonly validator?: DescriptionValidator<D>;
    /**
     * Accounts the description touches, for WRITE authorization. Defaults to the raw input's
     * `credentials`, `accountName` or `account` field.
     */
    accountsOf?(description: D): string[];
    /** Applications the description touches, for application WRITE authorization. */
    applicationsOf?(description: D): string[];
}
/** An error whose failure leaves the task `FAILED_RETRYABLE`. */
export declare class RetryableOperationError extends Error {
    /** Marks the failure as retryable for the task repository. */
    readonly retryable = true;
    constructor(message: string, options?: {
        cause?: unknown;
    });
}

// ---- cache-data.d.ts ----
/**
 * One cached item, as Clouddriver's CATS `CacheData`.
 *
 * `relationships` maps the *type* of related items to their ids (cache keys), e.g. a server group
 * has `relationships.instances = ['aws:instances:prod:us-east-1:i-1', …]`.
 */
export interface CacheData {
    /** The cache key, `<cloudProvider>:<type>:…`. */
    readonly id: string;
    /**
     * Seconds this item lives; `<= 0` means no expiry. An item written with a TTL carries an absolute
     * `cacheExpiry` (epoch ms) attribute, so its expiry survives a read-and-rewrite.
     */
    readonly ttlSeconds: number;
    /** The item's data; last writer wins for the whole map. Items with no attributes are invisible to reads. */
    readonly attributes: Record<string, unknown>;
    /** Related ids by their type; owned per writing agent and unioned on read. */
    readonly relationships: Record<string, readonly string[]>;
}
/** Builds a {@link CacheData}; a convenience for agents. */
export declare function cacheData(id: string, attributes: Record<string, unknown>, relationships?: Record<string, readonly string[]>, ttlSeconds?: number): CacheData;

// ---- cache-result.d.ts ----
import type { CacheData } from './cache-data.js';
/** What a caching agent returns from one run. */
export interface CacheResult {
    /** Items by type. */
    readonly cacheResults: Readonly<Record<string, readonly CacheData[]>>;
    /** Explicit evictions by type, on top of what authority implies. */
    readonly evictions?: Readonly<Record<string, readonly string[]>>;
    /** A partial result is stored without any authority-implied eviction. */
    readonly partialResult?: boolean;
    /** Free-form details surfaced by `/cache/introspection`. */
    readonly introspectionDetails?: Record<string, unknown>;
}

// ---- cache.d.ts ----
import type { CacheData } from './cache-data.js';
/**
 * Limits which relationships a read returns; relationships are the bulk of cached data.
 * `relationshipPrefixes: []` returns none; leaving it out returns all.
 */
export interface CacheFilter {
    /** Relationship types to return (by prefix); `[]` returns none. */
    readonly relationshipPrefixes?: readonly string[];
}
/**
 * The read side of the cache (Clouddriver's `Cache`). Every method only sees items that have
 * attribute data: ids known only through relationships, expired items and bookkeeping are invisible.
 */
export interface Cache {
    /** One item, or `undefined` when it has no attributes, has expired or never existed. */
    get(type: string, id: string, filter?: CacheFilter): Promise<CacheData | undefined>;
    /** Every item of a type. */
    getAll(type: string, filter?: CacheFilter): Promise<CacheData[]>;
    /** The items with these ids; missing ids are skipped. */
    getAllByIds(type: string, ids: readonly string[], filter?: CacheFilter): Promise<CacheData[]>;
    /** The subset of `ids` that exist, without loading their data. */
    existingIdentifiers(type: string, ids: readonly string[]): Promise<string[]>;
    /** All ids of a type. */
    getIdentifiers(type: string): Promise<string[]>;
    /** Ids matching a glob: `*` any run, `?` one character, `[...]` a character class. */
    filterIdentifiers(type: string, glob: string): Promise<string[]>;
    /**
     * Every visible item of a type that belongs to `application` (see {@link applicationOfItem}: the
     * `application` attribute, else `moniker.app`; compared case-insensitively), read through the
     * store's application index in one query per type instead of a walk over ids. Items without an
     * application are never returned. Optional so existing `Cache` implementations stay valid; when it
     * is absent, callers fall back to their id walk. Since SPI 1.3.
     */
    getAllByApplication?(type: string, application: string, filter?: CacheFilter): Promise<CacheData[]>;
}
/**
 * The application a cached item belongs to, as the stores index it: the `application` attribute,
 * else `moniker.app`, lower-cased (Spinnaker application names are case-insensitive); `undefined`
 * when it has neither. Providers that want their items found by {@link Cache.getAllByApplication}
 * set one of the two attributes.
 */
export declare function applicationOfItem(attributes: Readonly<Record<string, unknown>>): string | undefined;

// ---- cluster-cleanup.d.ts ----
import type { Cache } from './cache.js';
import type { CacheResult } from './cache-result.js';
/**
 * What a cluster cleanup agent (Clouddriver's `ClusterCleanupAgent`) returns: explicit evictions of
 * the `clusters` none of whose `serverGroups` exist any more, and of the `applications` left without
 * a live cluster. Regional caching agents are only informative for clusters and applications (a
 * cluster spans regions, so no single agent can tell one is gone); a housekeeping agent not bound to
 * an account decides from the cache instead. Uses Clouddriver's standard type names `clusters`,
 * `serverGroups` and `applications` and their relationships; `introspectionDetails` counts both.
 */
export declare function clusterCleanupResult(cache: Cache): Promise<CacheResult>;

// ---- define-provider.d.ts ----
import type { AccountCredentials } from './account-credentials.js';
import type { ArtifactAccountTypeDefinition } from './artifact-account.js';
import type { Agent } from './agent.js';
import type { OperationDefinition } from './atomic-operation.js';
import type { Cache } from './cache.js';
import type { KeyParser } from './key-parser.js';
import type { Logger } from './logger.js';
import type { ProviderRoute } from './provider-route.js';
import type { ProviderCache } from './provider-cache.js';
import type { ReadModelKind, ReadModels } from './read-models.js';
/** Where an account definition came from, so a provider can trust it accordingly. */
export interface AccountDefinitionSource {
    /**
     * `config`: the operator's config file. `storage`: the account storage API (`POST/PUT
     * /credentials`), i.e. written by an API caller: a provider should refuse there what would let
     * that caller make the server read local files or run commands.
     */
    readonly origin: 'config' | 'storage';
}
/** How a provider's accounts are read from config and which agents each account gets. */
export interface AccountTypeDefinition<A extends AccountCredentials = AccountCredentials> {
    /** The cloud provider id (`aws`, `kubernetes`, `gce`, `azure`, …). */
    readonly cloudProvider: string;
    /**
     * Validates one raw account definition (an element of `<configKey>.accounts[]`) and returns the
     * credentials. Throw an `Error` naming the bad field; the server reports it with the account name.
     * `source` says where the definition came from (hosts before plugin-api 0.2 do not pass it).
     */
    parse(raw: Record<string, unknown>, defaults: Record<string, unknown>, source?: AccountDefinitionSource): A;
    /**
     * The agents for one account. Called when the account appears and whenever it changes; the
     * server unschedules them when it goes away. Agents that are also `OnDemandAgent`s serve
     * `POST /cache/{cloudProvider}/{type}`.
     */
    agents(account: A): Agent[];
    /** Releases whatever the account held (clients, watches) when it is removed or replaced. */
    dispose?(account: A): void | Promise<void>;
}
/** Options for a provider's cache namespace. */
export interface CacheNamespaceOptions {
    /**
     * Whether an authoritative result with zero items may evict everything the agent wrote before.
     * Off by default: an empty result usually means a failed describe, not an empty cloud.
     */
    readonly supportsFullEviction?: boolean;
}
/** A counter a provider reports through the server's metrics endpoint. */
export interface ProviderCounter {
    /** Adds `value` (default 1) to the series with these labels. */
    inc(labels?: Record<string, string>, value?: number): void;
}
/** The server's metrics, as a provider may use them (names get the server's `stratus_` prefix). */
export interface ProviderMetrics {
    /** The counter `name` (the same one when asked again); `labelNames` are fixed at first use. */
    counter(name: string, help: string, labelNames?: readonly string[]): ProviderCounter;
}
/** What a provider can do while it registers. */
export interface ProviderContext {
    /** The SPI version of the server loading the provider. */
    readonly spiVersion: string;
    /** The server's metrics (absent in hosts before plugin-api 0.2 and in tools without a metrics endpoint). */
    readonly metrics?: ProviderMetrics;
    /** The server's logger, bound to the provider's id. */
    readonly logger: Logger;
    /** The provider's config block (e.g. everything under `aws:`), `{}` when absent. */
    readonly config: Record<string, unknown>;
    /** The read view over every provider's cache. */
    readonly cache: Cache;
    /** The cache namespace `providerName`, for agents and read models to use. */
    providerCache(providerName: string, options?: CacheNamespaceOptions): ProviderCache;
    /** Declares the provider's account type; accounts come from `<configKey>.accounts[]`. */
    registerAccountType<A extends AccountCredentials>(definition: AccountTypeDefinition<A>): void;
    /** Agents not bound to an account (housekeeping); they bypass sharding. */
    registerAgents(agents: readonly Agent[]): void;
    /** An operation under `POST /{cloudProvider}/ops`. */
    registerOperation(cloudProvider: string, definition: OperationDefinition): void;
    /** A read model serving the generic read API for `cloudProvider`. */
    registerReadModel<K extends ReadModelKind>(cloudProvider: string, kind: K, model: ReadModels[K]): void;
    /** The provider's key parser, for `/search` and permission filtering. */
    registerKeyParser(parser: KeyParser): void;
    /**
     * HTTP routes beside the generic read API, for what only this cloud has (since SPI 1.1).
     * Paths must not collide with Clouddriver's generic paths; the server refuses duplicates.
     */
    registerRoutes(routes: readonly ProviderRoute[]): void;
    /**
     * Details shown in the server's readiness report under `<provider id>.<name>` (e.g. which
     * clusters are unreachable), since SPI 1.1. Informational only: like Clouddriver's account health
     * indicators they never take the replica out of rotation; a throwing callback shows its error.
     */
    registerHealthDetails(name: string, details: () => Record<string, unknown> | Promise<Record<string, unknown>>): void;
    /**
     * An artifact account type (since SPI 1.2): its accounts come from
     * `artifacts.<configKey>.accounts[]` and serve `/artifacts/*` beside the built-in types. The
     * server refuses a `configKey` that another package already registered.
     */
    registerArtifactAccountType(definition: ArtifactAccountTypeDefinition): void;
}
/** A provider package's default export. */
export interface ProviderDefinition {
    /** A stable id, e.g. `aws`; also the config key enabling it unless `configKey` says otherwise. */
    readonly id: string;
    /** The config key of the provider's block (`google` for GCE); defaults to `id`. */
    readonly configKey?: string;
    /** The SPI version the provider was built against ({@link SPI_VERSION} at build time). */
    readonly apiVersion: string;
    /** The provider package's own version. */
    readonly version: string;
    /**
     * Checks the provider's config block (`<configKey>:` as written, `accounts` included, which its
     * account type parses one by one) before `register`, and returns what `context.config` gets (since
     * SPI 1.4). Throw an Error naming the field (`allowPasswordCommand: expected true or false`); the
     * server reports it as `<configKey>.<field>` of this provider and does not start. Without it the
     * block is handed over as written.
     */
    parseConfig?(block: Readonly<Record<string, unknown>>): Record<string, unknown>;
    /** Declares the provider's account type, operations, read models, key parser and routes; called once at startup. A thrown error stops startup, naming the provider. */
    register(context: ProviderContext): void | Promise<void>;
}
/** Declares a provider; the identity function that gives provider authors type checking. */
export declare function defineProvider(definition: ProviderDefinition): ProviderDefinition;
/** Whether `value` looks like a {@link ProviderDefinition} (has `id`, `apiVersion` and `register`); the server uses it to pick a module's export. */
export declare function isProviderDefinition(value: unknown): value is ProviderDefinition;

// ---- index.d.ts ----
export { SPI_VERSION, majorVersionOf } from './spi-version.js';
export { createToken, type Token, type TokenType } from './token.js';
export { cacheData, type CacheData } from './cache-data.js';
export type { CacheResult } from './cache-result.js';
export { authoritative, informative, type AgentDataType, type Authority } from './agent-data-type.js';
export type { Cache, CacheFilter } from './cache.js';
export { applicationOfItem } from './cache.js';
export type { ProviderCache, CacheWriteStats } from './provider-cache.js';
export { isCachingAgent, isRunnableAgent, type Agent, type AgentOwnership, type AgentRunContext, type CachingAgent, type RunnableAgent } from './agent.js';
export { isOnDemandAgent, type OnDemandAgent, type OnDemandResult, type PendingOnDemandRequest } from './on-demand-agent.js';
export type { AccountCredentials, AccountPermissions } from './account-credentials.js';
export { silentLogger, type Logger } from './logger.js';
export { RetryableOperationError, runStep, type AtomicOperation, type AtomicOperationConverter, type DescriptionValidator, type OperationContext, type OperationDefinition, type OperationSteps, type OperationTask, type ValidationErrors, } from './atomic-operation.js';
export type { KeyParser } from './key-parser.js';
export { clusterCleanupResult } from './cluster-cleanup.js';
export { clusterName, monikerOf, nextSequence, parseServerGroupName, serverGroupName, type ServerGroupNameParts } from './naming.js';
export type * from './read-models.js';
export { defineProvider, isProviderDefinition, type AccountDefinitionSource, type AccountTypeDefinition, type CacheNamespaceOptions, type ProviderContext, type ProviderCounter, type ProviderDefinition, type ProviderMetrics, } from './define-provider.js';
export { ON_DEMAND_TTL_SECONDS, ON_DEMAND_TYPE, applyUsableRecords, cacheTimeOf, loadOnDemandRecords, onDemandRecord, processedCountOf, reconcileOnDemandRecords, serializeCacheResults, storedCacheResults, toPendingOnDemandRequest, type OnDemandReconciliation, type OnDemandRecordInput, type ReconcileOptions, } from './on-demand-records.js';
export { RouteError, type ProviderRoute, type ProviderRouteRequest, type ProviderRouteResponse, type RouteCaller } from './provider-route.js';
export { ArtifactError, type Artifact, type ArtifactContent } from './artifact.js';
export type { ArtifactAccount, ArtifactAccountContext, ArtifactAccountTypeDefinition, ArtifactFetchInit } from './artifact-account.js';
export type { InfrastructureSnapshot, SnapshotStore } from './snapshot-store.js';
export { ARTIFACT_DOWNLOAD_SERVICE, type ArtifactDownloadOptions, type ArtifactDownloadService } from './artifact-download-service.js';

// ---- key-parser.d.ts ----
/**
 * Parses a provider's cache keys (`<cloudProvider>:<type>:…`) into named fields, for search,
 * sharding and permission filtering. The parsed map carries at least `provider` and `type`, plus
 * `account`, `region`, `application`, `cluster`, `name` … where the key has them.
 */
export interface KeyParser {
    /** The cloud provider whose keys this parses (the first key segment). */
    readonly cloudProvider: string;
    /** The key's fields (`provider`, `type`, `account`, …), or `undefined` when the key is not this provider's. */
    parseKey(key: string): Record<string, string> | undefined;
    /** Types `/search` looks through, e.g. `['applications', 'clusters', 'serverGroups', 'instances']`. */
    readonly searchableTypes?: readonly string[];
    /** URL template per type for search results, with `{field}` placeholders. */
    readonly urlTemplates?: Readonly<Record<string, string>>;
}

// ---- logger.d.ts ----
/** The logger handed to providers: a subset of pino's interface. */
export interface Logger {
    /** Logs at debug level; `obj` is structured context (or the message itself). */
    debug(obj: unknown, msg?: string): void;
    /** Logs at info level. */
    info(obj: unknown, msg?: string): void;
    /** Logs at warn level. */
    warn(obj: unknown, msg?: string): void;
    /** Logs at error level; put an error under `err`. */
    error(obj: unknown, msg?: string): void;
    /** A logger that adds `bindings` to every line. */
    child(bindings: Record<string, unknown>): Logger;
}
/** A logger that drops everything; handy in tests. */
export declare const silentLogger: Logger;

// ---- naming.d.ts ----
/**
 * Spinnaker's naming convention (Netflix Frigga `Names`): a server group is `app-stack-detail-vNNN`,
 * its cluster is the name without the push suffix. Shared here so every provider parses and builds
 * names the same way Clouddriver does.
 */
import type { Moniker } from './read-models.js';
/** The parts of a name `app-stack-detail[-vNNN]`; absent parts are left out rather than empty. */
export interface ServerGroupNameParts {
    /** The application: everything before the first `-`. */
    readonly app: string;
    /** The stack: between the first and second `-`; absent when empty (`app--detail`). */
    readonly stack?: string;
    /** The detail: everything after the second `-`, dashes included. */
    readonly detail?: string;
    /** `app-stack-detail`: the name without the push sequence. */
    readonly cluster: string;
    /** The push sequence `NNN` of a trailing `-vNNN` (three digits or more). */
    readonly sequence?: number;
}
/**
 * Splits a server group, cluster or load balancer name the way Frigga's `Names.parseName` does: a
 * trailing `-vNNN` is the sequence and the rest the cluster, whose first `-` ends the app, second ends
 * the stack, and the rest (dashes included) is the detail. `app-main-vx` has no sequence (detail `vx`).
 */
export declare function parseServerGroupName(name: string): ServerGroupNameParts;
/** A cluster name from its parts, as Frigga builds it: `app`, `app-stack`, `app--detail` or `app-stack-detail`. */
export declare function clusterName(app: string, stack?: string, detail?: string): string;
/** `cluster-vNNN`, zero-padded to three digits; sequences wrap after 999 as in Clouddriver's deploy handlers. */
export declare function serverGroupName(cluster: string, sequence: number): string;
/**
 * The push sequence for a new server group of `cluster`: one more than the highest sequence among
 * `existingNames` in that cluster, 0 when it has none. Names of other clusters and names without a
 * `-vNNN` suffix are ignored. Pass the result to {@link serverGroupName}, which wraps it after 999.
 */
export declare function nextSequence(existingNames: Iterable<string>, cluster: string): number;
/** The moniker Clouddriver reports for a name (what Deck and Orca read): its parsed parts. */
export declare function monikerOf(name: string): Moniker & {
    readonly cluster: string;
};

// ---- on-demand-agent.d.ts ----
import type { Agent } from './agent.js';
import type { CacheResult } from './cache-result.js';
import type { ProviderCache } from './provider-cache.js';
/**
 * The result of refreshing one resource on demand. It is stored as a *partial* result of
 * `sourceAgentType` (normally the scheduled agent that owns the resource), so it never evicts
 * siblings; `cacheResult.evictions` removes what was found gone.
 */
export interface OnDemandResult {
    /** The scheduled agent the result is stored under (normally `this.agentType`). */
    readonly sourceAgentType: string;
    /** The types that agent is authoritative for. */
    readonly authoritativeTypes: readonly string[];
    /** The refreshed items, and explicit evictions for what was found gone. */
    readonly cacheResult: CacheResult;
}
/** A pending on-demand record as `GET /cache/{cloudProvider}/{type}` lists it. */
export interface PendingOnDemandRequest {
    /** The resource key the record is for. */
    readonly id: string;
    /** What the record is about (typically the parsed key). */
    readonly details: Record<string, unknown>;
    /** The resource's moniker, when known. */
    readonly moniker?: Record<string, unknown>;
    /** Epoch ms of the refresh. */
    readonly cacheTime: number;
    /** Epoch ms when the record expires. */
    readonly cacheExpiry?: number;
    /** How many scheduled runs have processed the record. */
    readonly processedCount: number;
    /** Epoch ms of the last scheduled run that processed it. */
    readonly processedTime?: number;
}
/** An agent that refreshes single resources when a client asks (Clouddriver's `OnDemandAgent`). */
export interface OnDemandAgent extends Agent {
    /** A name for this agent's on-demand side, for logs and metrics (e.g. `${agentType}-OnDemand`). */
    readonly onDemandAgentType: string;
    /** Whether this agent refreshes `type` (compared case-insensitively, e.g. `ServerGroup`). */
    handles(type: string, cloudProvider: string): boolean;
    /** Refreshes the resource described by `data`; `undefined` when it is not this agent's (other account). */
    handle(providerCache: ProviderCache, data: Record<string, unknown>): Promise<OnDemandResult | undefined>;
    /** Pending records, for `GET /cache/{cloudProvider}/{type}`. */
    pendingOnDemandRequests(providerCache: ProviderCache): Promise<PendingOnDemandRequest[]>;
}
/** Whether `agent` is an {@link OnDemandAgent} (has `handles` and `handle`). */
export declare function isOnDemandAgent(agent: Agent): agent is OnDemandAgent;

// ---- on-demand-records.d.ts ----
import type { Cache } from './cache.js';
import type { CacheData } from './cache-data.js';
import type { PendingOnDemandRequest } from './on-demand-agent.js';
/**
 * Helpers for the two-phase on-demand protocol (Clouddriver's `ClusterCachingAgent`; docs/architecture.md, "On-demand refresh").
 *
 * Phase 1, `OnDemandAgent.handle`: describe the one resource, then
 * ```ts
 * await providerCache.putCacheData(ON_DEMAND_TYPE, onDemandRecord({ key, cacheResults }));
 * return { sourceAgentType: this.agentType, authoritativeTypes, cacheResult: { cacheResults } };
 * ```
 * (when the resource is gone: `evictDeletedItems(ON_DEMAND_TYPE, [key])` and return explicit
 * evictions instead). The server stores the returned result as a *partial* result of
 * `sourceAgentType`, so it never evicts siblings.
 *
 * Phase 2, the next scheduled `loadData`: note `fetchStartMs` before describing, load the records of
 * this agent's resources ({@link loadOnDemandRecords}), call {@link reconcileOnDemandRecords}, lay
 * the usable records over the fresh data ({@link applyUsableRecords}) and return
 * `cacheResults[ON_DEMAND_TYPE] = reconciliation.toWrite` and `evictions[ON_DEMAND_TYPE] =
 * reconciliation.evictable`. Keep `onDemand` out of the agent's authoritative types.
 *
 * `GET /cache/{cloudProvider}/{type}` lists records through {@link toPendingOnDemandRequest}.
 */
/** The CATS type holding on-demand records; ids are the *resource* keys. */
export declare const ON_DEMAND_TYPE = "onDemand";
/** How long an on-demand record lives (Clouddriver: 10 minutes). */
export declare const ON_DEMAND_TTL_SECONDS = 600;
/** What {@link onDemandRecord} builds a record from. */
export interface OnDemandRecordInput {
    /** The resource key the record is for, e.g. `aws:serverGroups:app-main:prod:us-east-1:app-main-v001`. */
    readonly key: string;
    /** The per-type result of describing this one resource, as the scheduled agent would build it. */
    readonly cacheResults: Readonly<Record<string, readonly CacheData[]>>;
    /** Epoch ms of the refresh; `Date.now()` when absent. */
    readonly now?: number | undefined;
    /** The resource's moniker, shown by `GET /cache/{cloudProvider}/{type}`. */
    readonly moniker?: Record<string, unknown> | undefined;
    /** Shown as `details` by `GET /cache/{cloudProvider}/{type}`; typically the parsed key. */
    readonly details?: Record<string, unknown> | undefined;
    /** Defaults to {@link ON_DEMAND_TTL_SECONDS}. */
    readonly ttlSeconds?: number | undefined;
}
/** Builds the `onDemand` record for a freshly refreshed resource (`processedCount` 0, not yet processed). */
export declare function onDemandRecord(input: OnDemandRecordInput): CacheData;
/** The JSON string stored in `cacheResults`: the per-type result map (a string, as in Clouddriver). */
export declare function serializeCacheResults(cacheResults: Readonly<Record<string, readonly CacheData[]>>): string;
/** The per-type result stored in a record; `{}` when the record has none or it cannot be parsed. */
export declare function storedCacheResults(record: CacheData): Record<string, CacheData[]>;
/** `cacheTime` of a record (0 when missing, so a malformed record counts as old). */
export declare function cacheTimeOf(record: CacheData): number;
/** How many scheduled runs have processed the record. */
export declare function processedCountOf(record: CacheData): number;
/** Loads the on-demand records whose ids match `glob` (e.g. `aws:serverGroups:*:prod:us-east-1:*`). */
export declare function loadOnDemandRecords(cache: Cache, glob: string): Promise<CacheData[]>;
/** Inputs of {@link reconcileOnDemandRecords} besides the records. */
export interface ReconcileOptions {
    /** Epoch ms when the scheduled run started describing the cloud (before the describe call). */
    readonly fetchStartMs: number;
    /** Epoch ms stamped as `processedTime`; `Date.now()` when absent. */
    readonly now?: number;
    /**
     * Resource keys the scheduled describe found. When given, a record for a resource the describe
     * did not find is evictable if it is older than the describe (the resource is gone), and usable
     * if it is newer (created after the describe began: keep the on-demand data so the scheduled run
     * does not evict it). When absent every record is treated as present, as Clouddriver does.
     */
    readonly presentKeys?: Iterable<string>;
}
/** What {@link reconcileOnDemandRecords} decided for each record. */
export interface OnDemandReconciliation {
    /** Records whose stored data replaces the freshly described data. */
    readonly usable: readonly CacheData[];
    /** Ids of records to evict (`cacheTime < fetchStart && processedCount > 0`, or the resource is gone). */
    readonly evictable: readonly string[];
    /** The usable records with `processedCount + 1` and `processedTime = now`, to return under {@link ON_DEMAND_TYPE}. */
    readonly toWrite: readonly CacheData[];
}
/**
 * Decides, for the next scheduled run, what happens to the on-demand records of its resources
 * (docs/architecture.md, "On-demand refresh", step 3): a record not newer than the run's describe that some run already processed is evictable
 * (the scheduled data is at least as fresh); every other record is usable and is stamped processed.
 */
export declare function reconcileOnDemandRecords(records: readonly CacheData[], options: ReconcileOptions): OnDemandReconciliation;
/**
 * Lays the data stored in usable records over a freshly built per-type result: an item with the same
 * id is replaced, a missing one is added. Returns a new map; the inputs are not changed.
 */
export declare function applyUsableRecords(cacheResults: Readonly<Record<string, readonly CacheData[]>>, usable: readonly CacheData[]): Record<string, CacheData[]>;
/**
 * A record as `GET /cache/{cloudProvider}/{type}` shows it. `details` is the stored `details`
 * attribute, else `parseKey(id)`, else `{}`.
 */
export declare function toPendingOnDemandRequest(record: CacheData, parseKey?: (key: string) => Record<string, unknown> | undefined): PendingOnDemandRequest;

// ---- provider-cache.d.ts ----
import type { Cache } from './cache.js';
import type { CacheData } from './cache-data.js';
import type { CacheResult } from './cache-result.js';
/** One provider's cache: reads plus the CATS write protocol (Clouddriver's `ProviderCache`). */
export interface ProviderCache extends Cache {
    /**
     * Stores a full result from `sourceAgentType`. For each type in `authoritativeTypes`, ids this
     * source wrote last time and not now are evicted; informative types never evict; explicit
     * evictions are honoured; a result with `partialResult` is stored like {@link addCacheResult}.
     */
    putCacheResult(sourceAgentType: string, authoritativeTypes: readonly string[], result: CacheResult): Promise<CacheWriteStats>;
    /** Stores a result without authority-implied evictions (explicit evictions still apply). */
    addCacheResult(sourceAgentType: string, authoritativeTypes: readonly string[], result: CacheResult): Promise<CacheWriteStats>;
    /** Upserts one item outside any agent's bookkeeping (e.g. on-demand records). */
    putCacheData(type: string, data: CacheData): Promise<void>;
    /** Removes items entirely: attributes and every agent's relationships. */
    evictDeletedItems(type: string, ids: readonly string[]): Promise<void>;
}
/** How much one write changed, for agent metrics. */
export interface CacheWriteStats {
    /** Items stored (new or updated). */
    readonly itemsWritten: number;
    /** Items evicted, by authority or explicitly. */
    readonly itemsEvicted: number;
}

// ---- provider-route.d.ts ----
/**
 * HTTP routes a provider adds beside the generic read API (since SPI 1.1), for what only that cloud
 * has: Kubernetes manifests, AWS image lookup, networks, subnets, key pairs… The server mounts them
 * before its generic routes, documents them in `/openapi.json`, and handles errors; providers stay
 * free of any HTTP framework.
 */
/** What the caller may see and change, for permission filtering in a route. */
export interface RouteCaller {
    /** The calling user (`X-SPINNAKER-USER`), when known. */
    readonly user?: string | undefined;
    /** Whether the caller may see the account's resources. */
    canReadAccount(account: string): boolean;
    /** Whether the caller may change the account's resources. */
    canWriteAccount(account: string): boolean;
    /**
     * Application permissions (Fiat; an additive, optional member): whether the caller may use the
     * application that way. Absent when no application permissions are known: every application is
     * allowed and accounts decide. A route answering one item of an application the caller may not
     * READ answers as for a missing one; the server also drops items whose `moniker.app` or
     * `application` the caller may not READ from every GET route's answer.
     */
    canAccessApplication?(application: string, authorization: 'READ' | 'WRITE' | 'EXECUTE'): boolean;
}
/** The parsed request a {@link ProviderRoute} handles. */
export interface ProviderRouteRequest {
    /** Path parameters named by the `{placeholders}` of the route's path. */
    readonly params: Readonly<Record<string, string>>;
    /** Query parameters; repeated ones are arrays. */
    readonly query: Readonly<Record<string, string | readonly string[] | undefined>>;
    /** The parsed JSON body, if any. */
    readonly body: unknown;
    /** Who is calling, for permission filtering. */
    readonly caller: RouteCaller;
}
/** What a {@link ProviderRoute} answers; the body is sent as JSON. */
export interface ProviderRouteResponse {
    /** Defaults to 200. */
    readonly status?: number;
    /** The JSON body. */
    readonly body: unknown;
}
/** One provider-specific HTTP route (see {@link ProviderContext.registerRoutes}). */
export interface ProviderRoute {
    /** The HTTP method. */
    readonly method: 'get' | 'post' | 'put' | 'patch' | 'delete';
    /** OpenAPI-style path with `{param}` placeholders, e.g. `/manifests/{account}/{location}/{name}`. */
    readonly path: string;
    /** One line for the API document. */
    readonly summary?: string;
    /** Answers the request; throw {@link RouteError} for 4xx answers. */
    handle(request: ProviderRouteRequest): Promise<ProviderRouteResponse>;
}
/**
 * Throw from a route handler to answer with a status and a message (e.g. 404 for a missing
 * resource, 400 for a bad parameter); anything else thrown becomes a 500.
 */
export declare class RouteError extends Error {
    readonly status: number;
    constructor(status: number, message: string);
}

// ---- read-models.d.ts ----
/**
 * Read models: the views providers register so the generic read API (`/applications`, clusters,
 * server groups, instances, load balancers, security groups) can serve them in Clouddriver's JSON
 * shapes. A provider registers the models it has; one without a model for something contributes
 * nothing there. Objects carry Clouddriver's required fields plus any provider-specific ones.
 */
/** `{app, cluster, stack, detail, sequence}` as Frigga parses `app-stack-detail-vNNN`. */
export interface Moniker {
    /** The application. */
    readonly app: string;
    /** The cluster (`app-stack-detail`). */
    readonly cluster?: string | undefined;
    /** The stack segment of the name. */
    readonly stack?: string | undefined;
    /** The detail segment(s) of the name. */
    readonly detail?: string | undefined;
    /** The version number of a server group (`vNNN`). */
    readonly sequence?: number | undefined;
    readonly [key: string]: unknown;
}
/** A server group's size limits and target. */
export interface Capacity {
    /** The fewest instances. */
    readonly min: number;
    /** The most instances. */
    readonly max: number;
    /** The target number of instances. */
    readonly desired: number;
}
/** Instances of a server group by health state; `total` counts them all. */
export interface InstanceCounts {
    /** Every instance. */
    readonly total: number;
    /** Instances whose `healthState` is `Up`. */
    readonly up: number;
    /** Instances whose `healthState` is `Down`. */
    readonly down: number;
    /** Instances whose `healthState` is `Unknown`. */
    readonly unknown: number;
    /** Instances whose `healthState` is `OutOfService`. */
    readonly outOfService: number;
    /** Instances whose `healthState` is `Starting`. */
    readonly starting: number;
}
/** An instance's aggregated health as Deck shows it. */
export type HealthState = 'Up' | 'Down' | 'Unknown' | 'Starting' | 'OutOfService' | 'Succeeded' | 'Failed' | 'Draining';
/** Clouddriver's `Instance` JSON. */
export interface InstanceView {
    /** The resource name. */
    readonly name: string;
    /** A friendlier name, when the cloud has one. */
    readonly humanReadableName?: string;
    /** The aggregated health. */
    readonly healthState: HealthState;
    /** Epoch ms the instance started. */
    readonly launchTime?: number | undefined;
    /** The availability zone. */
    readonly zone?: string;
    /** Health reports by source (`{type, state, …}`). */
    readonly health: readonly Record<string, unknown>[];
    /** The cloud provider id. */
    readonly cloudProvider: string;
    /** The provider type, usually the cloud provider id. */
    readonly providerType?: string;
    /** The account name. */
    readonly account?: string;
    /** The region (or location/namespace). */
    readonly region?: string;
    readonly [key: string]: unknown;
}
/** Clouddriver's `ServerGroup` JSON. */
export interface ServerGroupView {
    /** The resource name. */
    readonly name: string;
    /** The parsed name. */
    readonly moniker: Moniker;
    /** The cloud provider id (Clouddriver's `type`). */
    readonly type: string;
    /** The cloud provider id. */
    readonly cloudProvider: string;
    /** The account name. */
    readonly account: string;
    /** The region (or location/namespace). */
    readonly region: string;
    /** Whether the group takes no traffic. */
    readonly disabled: boolean;
    /** Epoch ms the group was created. */
    readonly createdTime?: number | undefined;
    /** Zones the group spans. */
    readonly zones: readonly string[];
    /** The group's instances (empty unless details were asked for). */
    readonly instances: readonly InstanceView[];
    /** Load balancers (names, or views in a cluster). */
    readonly loadBalancers: readonly string[];
    /** Security group names or ids. */
    readonly securityGroups: readonly string[];
    /** Size limits and target. */
    readonly capacity: Capacity;
    /** Instances by health state. */
    readonly instanceCounts: InstanceCounts;
    /** The launch template/config, cloud-specific. */
    readonly launchConfig?: Record<string, unknown>;
    /** The machine type. */
    readonly instanceType?: string;
    /** Cloud tags. */
    readonly tags?: Record<string, unknown>;
    /** Cloud labels. */
    readonly labels?: Record<string, unknown>;
    readonly [key: string]: unknown;
}
/** Clouddriver's `LoadBalancer` JSON. */
export interface LoadBalancerView {
    /** The resource name. */
    readonly name: string;
    /** The cloud provider id (Clouddriver's `type`). */
    readonly type: string;
    /** The cloud provider id. */
    readonly cloudProvider: string;
    /** The account name. */
    readonly account: string;
    /** The region (or location/namespace). */
    readonly region?: string;
    /** The parsed name. */
    readonly moniker?: Moniker | undefined;
    /** Server groups behind or in it. */
    readonly serverGroups: readonly Record<string, unknown>[];
    readonly [key: string]: unknown;
}
/** Clouddriver's `SecurityGroup` JSON. */
export interface SecurityGroupView {
    /** The cloud provider id (Clouddriver's `type`). */
    readonly type: string;
    /** The cloud provider id. */
    readonly cloudProvider: string;
    /** The cloud's id. */
    readonly id: string;
    /** The resource name. */
    readonly name: string;
    /** The account name. */
    readonly accountName: string;
    /** The region (or location/namespace). */
    readonly region: string;
    /** The application it belongs to. */
    readonly application?: string;
    /** The parsed name. */
    readonly moniker?: Moniker | undefined;
    /** Ingress rules (when asked for). */
    readonly inboundRules?: readonly Record<string, unknown>[];
    /** Egress rules (when asked for). */
    readonly outboundRules?: readonly Record<string, unknown>[];
    readonly [key: string]: unknown;
}
/** Clouddriver's `Cluster` JSON. */
export interface ClusterView {
    /** The resource name. */
    readonly name: string;
    /** The cloud provider id (Clouddriver's `type`). */
    readonly type: string;
    /** The account name. */
    readonly accountName: string;
    /** The parsed name. */
    readonly moniker: Moniker;
    /** Server groups behind or in it. */
    readonly serverGroups: readonly ServerGroupView[];
    /** Load balancers (names, or views in a cluster). */
    readonly loadBalancers: readonly LoadBalancerView[];
    readonly [key: string]: unknown;
}
/** Clouddriver's `Application` JSON (one provider's part of it). */
export interface ApplicationView {
    /** The application name (lower case). */
    readonly name: string;
    /** Free-form attributes, e.g. `{name, cloudProviders}`. */
    readonly attributes: Record<string, unknown>;
    /** account → cluster names. */
    readonly clusterNames: Record<string, readonly string[]>;
}
/** Serves `/applications` and `/applications/{name}`. */
export interface ApplicationReadModel {
    /** Every application; `clusterNames` filled only when `expand`. */
    getApplications(expand: boolean): Promise<ApplicationView[]>;
    /** One application with its cluster names, or `undefined`. */
    getApplication(name: string): Promise<ApplicationView | undefined>;
}
/** Serves the cluster and server-group endpoints. */
export interface ClusterReadModel {
    /** account → cluster names for an application. */
    getClusterNames(application: string): Promise<Record<string, string[]>>;
    /** Every cluster of an application (server groups included when `includeDetails`). */
    getClusters(application: string, includeDetails: boolean): Promise<ClusterView[]>;
    /** One cluster of an account, or `undefined`. */
    getCluster(application: string, account: string, name: string, includeDetails: boolean): Promise<ClusterView | undefined>;
    /** One server group, instances included unless `includeDetails` is false; `undefined` when missing. */
    getServerGroup(account: string, region: string, name: string, includeDetails?: boolean): Promise<ServerGroupView | undefined>;
}
/** Serves `/instances/{account}/{region}/{id}`. */
export interface InstanceReadModel {
    /** One instance, or `undefined`. */
    getInstance(account: string, region: string, id: string): Promise<InstanceView | undefined>;
}
/** Serves the load-balancer endpoints. */
export interface LoadBalancerReadModel {
    /** The load balancers of an application. */
    getApplicationLoadBalancers(application: string): Promise<LoadBalancerView[]>;
    /** Every load balancer. */
    list(): Promise<LoadBalancerView[]>;
    /** Detail objects for `/{cloudProvider}/loadBalancers/{account}/{region}/{name}`. */
    getDetails(account: string, region: string, name: string): Promise<Record<string, unknown>[]>;
}
/** Serves the security-group (firewall) endpoints. */
export interface SecurityGroupReadModel {
    /** Every security group; rules only when `includeRules`. */
    getAll(includeRules: boolean): Promise<SecurityGroupView[]>;
    /** One security group by name or id (within `vpcId` when given), or `undefined`. */
    get(account: string, region: string, nameOrId: string, vpcId?: string): Promise<SecurityGroupView | undefined>;
}
/** Read models by kind, as a provider registers them. */
export interface ReadModels {
    /** See {@link ApplicationReadModel}. */
    applications: ApplicationReadModel;
    /** See {@link ClusterReadModel}. */
    clusters: ClusterReadModel;
    /** See {@link InstanceReadModel}. */
    instances: InstanceReadModel;
    /** See {@link LoadBalancerReadModel}. */
    loadBalancers: LoadBalancerReadModel;
    /** See {@link SecurityGroupReadModel}. */
    securityGroups: SecurityGroupReadModel;
}
/** The kinds of read model a provider can register. */
export type ReadModelKind = keyof ReadModels;

// ---- snapshot-store.d.ts ----
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

// ---- spi-version.d.ts ----
/**
 * The version of the provider SPI defined by this package.
 *
 * A provider declares the SPI version it was built against as `apiVersion` in
 * {@link defineProvider}; the server refuses a provider whose major version differs.
 *
 * 1.1: `ProviderContext.registerRoutes`, `ProviderContext.registerHealthDetails` and the on-demand
 * record helpers.
 * 1.2: artifacts: `ProviderContext.registerArtifactAccountType`, `ArtifactAccount`, `Artifact`,
 * `ArtifactError` and the `ARTIFACT_DOWNLOAD_SERVICE` token.
 * 1.3: application-scoped reads: the optional `Cache.getAllByApplication` and `applicationOfItem`.
 * 1.4: `OperationContext.snapshots` (a `SnapshotStore` over Front50's snapshots) and `InfrastructureSnapshot`;
 *   `ProviderDefinition.parseConfig`: a provider checks its own config block.
 */
export declare const SPI_VERSION = "1.4.0";
/** The major component of a semver string (`"1.4.2"` → `1`); `NaN` when it has none. */
export declare function majorVersionOf(version: string): number;

// ---- token.d.ts ----
/**
 * A typed dependency-injection token.
 *
 * Tokens are `Symbol.for('stratus:<id>')`, so two copies of a package loaded side by side still
 * agree on them. The phantom `__type` field carries the type of the value the token resolves to.
 */
export type Token<T> = symbol & {
    readonly __type?: T;
};
/** Creates (or finds) the token with this id. */
export declare function createToken<T>(id: string): Token<T>;
/** The value type a token resolves to. */
export type TokenType<K> = K extends Token<infer T> ? T : never;
