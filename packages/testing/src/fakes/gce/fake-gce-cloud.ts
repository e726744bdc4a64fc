import { FakeGceError, gceAlreadyExists, gceInvalid, gceNotFound } from './fake-gce-error.js';

/** A compute/v1 resource as JSON (`name` always set). */
export type GceResource = Record<string, any> & { name: string };

/** `global`, `zones/<zone>` or `regions/<region>`: where a resource or operation lives. */
export type GceScope = string;

export interface FakeGceCloudOptions {
  /** Projects the fake knows; requests for others get 404. Default `['my-project']`. */
  readonly projects?: readonly string[];
  /** Region → zones. Default `us-central1` (a, b, c) and `europe-west1` (b, c, d). */
  readonly regions?: Readonly<Record<string, readonly string[]>>;
  /** Seed each project with a `default` network, its subnetworks and one image. Default true. */
  readonly seed?: boolean;
  /** Prefix of self links. Default `https://compute.googleapis.com/compute/v1`. */
  readonly linkBase?: string;
  readonly now?: () => number;
}

/** Which operations {@link FakeGceCloud.failNextOperation} fails. */
export interface OperationMatch {
  readonly operationType?: string;
  readonly targetName?: string;
  readonly collection?: string;
}

/** The error a failed operation reports (`error.errors[0]`). */
export interface OperationFailure {
  readonly code?: string;
  readonly message: string;
  readonly httpStatus?: number;
}

interface PendingOperation {
  readonly project: string;
  readonly scope: GceScope;
  readonly resource: GceResource;
  readonly effect: () => void;
  readonly failure?: OperationFailure;
}

const DEFAULT_REGIONS: Record<string, string[]> = {
  'us-central1': ['us-central1-a', 'us-central1-b', 'us-central1-c'],
  'europe-west1': ['europe-west1-b', 'europe-west1-c', 'europe-west1-d'],
};

/** The last path segment of a resource URL (`…/instanceTemplates/foo` → `foo`). */
export const lastSegment = (url: string): string => url.slice(url.lastIndexOf('/') + 1);

const clone = <T>(value: T): T => structuredClone(value);

/**
 * The state of a fake Google Compute Engine: projects with zones and regions, and the compute/v1
 * resources the Stratus GCE provider reads and changes. Managed instance groups keep their
 * instances at `targetSize` (created from the instance template, with the `created-by` (relative,
 * with the project number) and `instance-template` metadata real GCE sets) and their target pools' instance lists in step.
 *
 * Mutations arrive as operations that go `PENDING → RUNNING → DONE` as clients poll them; the change
 * happens when the operation reaches DONE, and a failure is reported in the operation's `error`.
 * Tests change resources directly with {@link put} and {@link remove} (no operation).
 */
export class FakeGceCloud {
  readonly regions: Readonly<Record<string, readonly string[]>>;
  private readonly projects = new Map<string, Map<string, Map<string, GceResource>>>();
  private readonly operations = new Map<string, PendingOperation>();
  private readonly failures: { match: OperationMatch; failure: OperationFailure }[] = [];
  private readonly linkBase: string;
  private readonly now: () => number;
  private nextId = 4_100_000_000_000_000_001n;
  private nextOperation = 1;
  private nextSuffix = 1;

  constructor(options: FakeGceCloudOptions = {}) {
    this.regions = options.regions ?? DEFAULT_REGIONS;
    this.linkBase = options.linkBase ?? 'https://compute.googleapis.com/compute/v1';
    this.now = options.now ?? Date.now;
    for (const project of options.projects ?? ['my-project']) {
      this.projects.set(project, new Map());
      if (options.seed ?? true) this.seed(project);
    }
  }

  // ---- geography ----

  hasProject(project: string): boolean {
    return this.projects.has(project);
  }

  regionOfZone(zone: string): string | undefined {
    return Object.entries(this.regions).find(([, zones]) => zones.includes(zone))?.[0];
  }

  zoneResource(project: string, zone: string): GceResource {
    const region = this.regionOfZone(zone);
    if (!region) throw gceNotFound(`projects/${project}/zones/${zone}`);
    return {
      kind: 'compute#zone',
      id: '2000',
      name: zone,
      status: 'UP',
      region: this.link(project, `regions/${region}`),
      selfLink: this.link(project, `zones/${zone}`),
    };
  }

  regionResource(project: string, region: string): GceResource {
    const zones = this.regions[region];
    if (!zones) throw gceNotFound(`projects/${project}/regions/${region}`);
    return {
      kind: 'compute#region',
      id: '1000',
      name: region,
      status: 'UP',
      zones: zones.map((z) => this.link(project, `zones/${z}`)),
      selfLink: this.link(project, `regions/${region}`),
    };
  }

  /** The self link of a scope (`zones/x`), or of a resource in it when `collection` and `name` are given. */
  link(project: string, scope: GceScope, collection?: string, name?: string): string {
    return `${this.linkBase}/projects/${project}/${scope}${collection ? `/${collection}` : ''}${name ? `/${name}` : ''}`;
  }

  // ---- direct access (tests) ----

  /** The resource, or undefined. */
  get(project: string, scope: GceScope, collection: string, name: string): GceResource | undefined {
    const found = this.bucket(project, scope, collection).get(name);
    return found ? clone(found) : undefined;
  }

  /** The resources of one collection in one scope, ordered by name. */
  list(project: string, scope: GceScope, collection: string): GceResource[] {
    return [...this.bucket(project, scope, collection).values()].sort((a, b) => a.name.localeCompare(b.name)).map(clone);
  }

  /** `[scope, resource]` for every resource of a collection across zones/regions (aggregated lists). */
  aggregated(project: string, collection: string): [GceScope, GceResource][] {
    const out: [GceScope, GceResource][] = [];
    for (const [key, bucket] of this.projectState(project)) {
      const slash = key.lastIndexOf('/');
      if (key.slice(slash + 1) !== collection) continue;
      for (const resource of bucket.values()) out.push([key.slice(0, slash), clone(resource)]);
    }
    return out.sort((a, b) => a[0].localeCompare(b[0]) || a[1].name.localeCompare(b[1].name));
  }

  /**
   * Creates or replaces a resource right away, filling in `id`, `selfLink`, `creationTimestamp` and
   * the scope link; managed instance groups are reconciled (instances created). Returns the stored copy.
   */
  put(project: string, scope: GceScope, collection: string, resource: Record<string, unknown> & { name: string }): GceResource {
    const bucket = this.bucket(project, scope, collection);
    const existing = bucket.get(resource.name);
    const stored: GceResource = {
      ...clone(resource),
      kind: `compute#${collection.replace(/s$/, '')}`,
      id: existing?.id ?? this.id(),
      creationTimestamp: existing?.creationTimestamp ?? (resource.creationTimestamp as string | undefined) ?? new Date(this.now()).toISOString(),
      selfLink: this.link(project, scope, collection, resource.name),
      ...(scope.startsWith('zones/') ? { zone: this.link(project, scope) } : {}),
      ...(scope.startsWith('regions/') ? { region: this.link(project, scope) } : {}),
    };
    this.applyDefaults(project, scope, collection, stored);
    bucket.set(stored.name, stored);
    if (collection === 'instanceGroupManagers') this.reconcile(project, scope, stored.name);
    if (collection === 'autoscalers') this.reconcileTarget(project, stored);
    return clone(stored);
  }

  /** Deletes a resource right away (a managed instance group takes its instances with it). */
  remove(project: string, scope: GceScope, collection: string, name: string): boolean {
    const bucket = this.bucket(project, scope, collection);
    const resource = bucket.get(name);
    if (!resource) return false;
    bucket.delete(name);
    if (collection === 'instanceGroupManagers') {
      for (const [zone, instance] of this.members(project, resource)) this.deleteInstance(project, zone, instance.name);
    }
    if (collection === 'instances') {
      // A managed instance group replaces an instance deleted from under it.
      const createdBy = (resource.metadata?.items ?? []).find((item: any) => item.key === 'created-by')?.value as string | undefined;
      const match = createdBy ? /(zones\/[^/]+|regions\/[^/]+)\/instanceGroupManagers\/([^/]+)$/.exec(createdBy) : null;
      if (match) this.reconcile(project, match[1]!, match[2]!);
      else this.syncTargetPools(project);
    }
    return true;
  }

  /** Makes the next operation matching `match` finish DONE with `failure` in its `error`, changing nothing. */
  failNextOperation(match: OperationMatch, failure: OperationFailure): void {
    this.failures.push({ match, failure });
  }

  /** Operations not yet DONE. */
  get pendingOperationCount(): number {
    return [...this.operations.values()].filter((op) => op.resource.status !== 'DONE').length;
  }

  // ---- API mutations ----

  /**
   * Starts the operation for a mutating request: checks what can be checked at once (404 for a
   * missing target, 409 for a duplicate insert, 400 for a bad body) and defers the change to DONE.
   */
  mutate(
    project: string,
    scope: GceScope,
    collection: string,
    name: string | undefined,
    action: string | undefined,
    method: string,
    body: any,
    query: URLSearchParams,
  ): GceResource {
    this.projectState(project);
    const bucket = this.bucket(project, scope, collection);
    const path = `projects/${project}/${scope}/${collection}`;
    if (method === 'POST' && name === undefined) {
      if (!body || typeof body.name !== 'string' || !/^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/.test(body.name)) {
        throw gceInvalid(`Invalid value for field 'resource.name': '${String(body?.name)}'. Must be a match of regex '(?:[a-z](?:[-a-z0-9]{0,61}[a-z0-9])?)'`);
      }
      if (bucket.has(body.name)) throw gceAlreadyExists(`${path}/${body.name}`);
      return this.operation(project, scope, collection, body.name, 'insert', () => this.insert(project, scope, collection, body));
    }
    // Autoscalers are patched and updated on the collection, naming the autoscaler in `?autoscaler=`.
    if (name === undefined && collection === 'autoscalers' && (method === 'PATCH' || method === 'PUT')) name = query.get('autoscaler') ?? body?.name;
    if (name === undefined) throw new FakeGceError(405, 'methodNotAllowed', `${method} is not supported on ${path}`);
    const existing = bucket.get(name);
    if (!existing) throw gceNotFound(`${path}/${name}`);
    if (method === 'DELETE' && action === undefined) {
      return this.operation(project, scope, collection, name, 'delete', () => {
        if (collection === 'instanceTemplates') this.checkTemplateUnused(project, existing);
        if (collection === 'instanceGroupManagers') this.checkNotAutoscaled(project, existing);
        this.remove(project, scope, collection, name);
      });
    }
    if ((method === 'PATCH' || method === 'PUT') && action === undefined) {
      return this.operation(project, scope, collection, name, method === 'PATCH' ? 'patch' : 'update', () => {
        const current = this.bucket(project, scope, collection).get(name);
        if (!current) throw gceNotFound(`${path}/${name}`);
        const { id, selfLink, creationTimestamp, kind } = current;
        const next = method === 'PATCH' ? mergePatch(current, body ?? {}) : { ...body };
        const stored: GceResource = {
          ...next,
          name,
          id,
          selfLink,
          creationTimestamp,
          kind,
          ...(current.zone ? { zone: current.zone } : {}),
          ...(current.region ? { region: current.region } : {}),
        };
        this.normalizeRefs(project, stored);
        // GCE's way to turn autohealing off is a PATCH with one empty policy: policies without a health check are dropped.
        if (collection === 'instanceGroupManagers' && Array.isArray(stored.autoHealingPolicies)) {
          stored.autoHealingPolicies = stored.autoHealingPolicies.filter((p: any) => p && typeof p.healthCheck === 'string' && p.healthCheck !== '');
          if (stored.autoHealingPolicies.length === 0) delete stored.autoHealingPolicies;
        }
        this.bucket(project, scope, collection).set(name, stored);
        if (collection === 'backendServices' || collection === 'targetPools') this.syncTargetPools(project);
        if (collection === 'autoscalers') this.reconcileTarget(project, this.bucket(project, scope, collection).get(name)!);
      });
    }
    if (method === 'POST' && collection === 'instanceGroupManagers' && action) return this.igmAction(project, scope, name, action, body, query);
    if (method === 'POST' && action) {
      const change = this.resourceAction(project, scope, collection, name, action, body);
      if (change) return this.operation(project, scope, collection, name, `compute.${collection}.${action}`, change);
    }
    throw new FakeGceError(405, 'methodNotAllowed', `${method} ${action ?? ''} is not supported on ${path}/${name}`);
  }

  private igmAction(project: string, scope: GceScope, name: string, action: string, body: any, query: URLSearchParams): GceResource {
    const update = (change: (igm: GceResource) => void) => () => {
      const igm = this.bucket(project, scope, 'instanceGroupManagers').get(name);
      if (!igm) throw gceNotFound(`projects/${project}/${scope}/instanceGroupManagers/${name}`);
      change(igm);
      this.reconcile(project, scope, name);
    };
    const instanceNames = (list: unknown): string[] => {
      if (!Array.isArray(list) || list.length === 0) throw gceInvalid(`Invalid value for field 'instances': the list must not be empty`);
      return list.map((url) => lastSegment(String(url)));
    };
    switch (action) {
      case 'resize': {
        const size = Number(query.get('size'));
        if (!Number.isInteger(size) || size < 0) throw gceInvalid(`Invalid value for field 'size': '${query.get('size')}'. Must be greater than or equal to 0`);
        return this.operation(
          project,
          scope,
          'instanceGroupManagers',
          name,
          'compute.instanceGroupManagers.resize',
          update((igm) => void (igm.targetSize = size)),
        );
      }
      case 'setTargetPools':
        return this.operation(
          project,
          scope,
          'instanceGroupManagers',
          name,
          'compute.instanceGroupManagers.setTargetPools',
          update((igm) => {
            igm.targetPools = Array.isArray(body?.targetPools) ? body.targetPools.map((p: string) => this.absolute(project, p)) : [];
            for (const pool of igm.targetPools) this.requireByLink(project, pool);
          }),
        );
      case 'setInstanceTemplate':
        return this.operation(
          project,
          scope,
          'instanceGroupManagers',
          name,
          'compute.instanceGroupManagers.setInstanceTemplate',
          update((igm) => {
            igm.instanceTemplate = this.absolute(project, String(body?.instanceTemplate ?? ''));
            this.requireByLink(project, igm.instanceTemplate);
          }),
        );
      case 'abandonInstances':
      case 'deleteInstances':
      case 'recreateInstances': {
        const names = instanceNames(body?.instances);
        return this.operation(
          project,
          scope,
          'instanceGroupManagers',
          name,
          `compute.instanceGroupManagers.${action}`,
          update((igm) => {
            const members = new Map(this.members(project, igm).map(([zone, i]) => [i.name, zone]));
            for (const n of names) if (!members.has(n)) throw gceInvalid(`Instance '${n}' is not a member of instance group manager '${name}'`);
            for (const n of names) {
              const zone = members.get(n)!;
              if (action === 'abandonInstances') {
                const instance = this.bucket(project, zone, 'instances').get(n)!;
                instance.metadata.items = (instance.metadata.items ?? []).filter((item: any) => item.key !== 'created-by');
                // Abandoned instances leave the target pools the group put them in.
                for (const pool of igm.targetPools ?? []) {
                  const live = this.byLink(project, pool);
                  if (live) live.instances = (live.instances ?? []).filter((link: string) => link !== instance.selfLink);
                }
              } else {
                this.deleteInstance(project, zone, n);
                if (action === 'recreateInstances') this.createInstance(project, zone, igm, n);
              }
            }
            if (action !== 'recreateInstances') igm.targetSize = Math.max(0, igm.targetSize - names.length);
          }),
        );
      }
      default:
        throw new FakeGceError(400, 'invalid', `Unknown action '${action}' on instanceGroupManagers`);
    }
  }

  /**
   * The single-resource actions beyond managed groups: `instances/reset` (a reboot: the instance
   * records a reset count and a fresh serial-port line), `targetPools/addInstance|removeInstance`, and
   * `setLabels` / `setTags` on instances and images. Returns the change to make at DONE, or undefined
   * when the action is not one of these.
   */
  private resourceAction(project: string, scope: GceScope, collection: string, name: string, action: string, body: any): (() => void) | undefined {
    const live = () => {
      const found = this.bucket(project, scope, collection).get(name);
      if (!found) throw gceNotFound(`projects/${project}/${scope}/${collection}/${name}`);
      return found;
    };
    if (collection === 'instances' && action === 'reset') {
      return () => {
        const instance = live();
        instance.resetCount = (instance.resetCount ?? 0) + 1;
        this.appendSerialOutput(project, scope, name, `Reset by the API (reset #${instance.resetCount})`);
      };
    }
    if (collection === 'targetPools' && (action === 'addInstance' || action === 'removeInstance')) {
      if (!Array.isArray(body?.instances) || body.instances.length === 0)
        throw gceInvalid(`Invalid value for field 'resource.instances': the list must not be empty`);
      const links = body.instances.map((i: any) => this.absolute(project, String(i?.instance ?? '')));
      if (action === 'addInstance') for (const link of links) this.requireByLink(project, link);
      return () => {
        const pool = live();
        const current: string[] = pool.instances ?? [];
        pool.instances = action === 'addInstance' ? [...new Set([...current, ...links])] : current.filter((l) => !links.includes(l));
      };
    }
    if ((collection === 'instances' || collection === 'images') && action === 'setLabels') {
      const current = live();
      if (body?.labelFingerprint !== undefined && current.labelFingerprint !== undefined && body.labelFingerprint !== current.labelFingerprint) {
        throw new FakeGceError(412, 'conditionNotMet', `Labels fingerprint either invalid or resource labels have changed`);
      }
      return () => {
        const resource = live();
        resource.labels = { ...(body?.labels ?? {}) };
        resource.labelFingerprint = Buffer.from(JSON.stringify(resource.labels)).toString('base64').slice(0, 12);
      };
    }
    if (collection === 'instances' && action === 'setTags') {
      return () => {
        const resource = live();
        resource.tags = {
          items: [...(body?.items ?? [])],
          fingerprint: Buffer.from(JSON.stringify(body?.items ?? []))
            .toString('base64')
            .slice(0, 12),
        };
      };
    }
    return undefined;
  }

  private readonly serialOutput = new Map<string, string>();

  /** Adds a line to an instance's serial port 1 output (tests write boot logs with it). */
  appendSerialOutput(project: string, zoneScope: GceScope, instance: string, line: string): void {
    const key = `${project}/${zoneScope}/${instance}`;
    this.serialOutput.set(key, `${this.serialOutput.get(key) ?? ''}${line}\n`);
  }

  /** `instances.getSerialPortOutput`: the output from byte `start` on, with `next` the offset to ask from next time. */
  serialPortOutput(project: string, zoneScope: GceScope, instance: string, port: number, start: number): GceResource {
    const found = this.bucket(project, zoneScope, 'instances').get(instance);
    if (!found) throw gceNotFound(`projects/${project}/${zoneScope}/instances/${instance}`);
    if (!Number.isInteger(port) || port < 1 || port > 4) throw gceInvalid(`Invalid value for field 'port': '${port}'. Must be between 1 and 4`);
    const all = port === 1 ? (this.serialOutput.get(`${project}/${zoneScope}/${instance}`) ?? '') : '';
    const from = Math.max(0, Math.min(start, all.length));
    return {
      kind: 'compute#serialPortOutput',
      name: instance,
      selfLink: `${found.selfLink}/serialPort`,
      contents: all.slice(from),
      start: String(from),
      next: String(all.length),
    };
  }

  private insert(project: string, scope: GceScope, collection: string, body: any): void {
    if (collection === 'instanceGroupManagers') {
      body.instanceTemplate = this.absolute(project, String(body.instanceTemplate ?? ''));
      this.requireByLink(project, body.instanceTemplate);
      body.targetPools = (body.targetPools ?? []).map((p: string) => this.absolute(project, p));
      for (const pool of body.targetPools) this.requireByLink(project, pool);
    }
    if (collection === 'autoscalers') {
      body.target = this.absolute(project, String(body.target ?? ''));
      this.requireByLink(project, body.target);
    }
    if (collection === 'subnetworks' || collection === 'firewalls' || collection === 'instances') {
      const network = body.network ?? body.networkInterfaces?.[0]?.network;
      if (network) this.requireByLink(project, this.absolute(project, network));
    }
    this.put(project, scope, collection, body);
  }

  // ---- operations ----

  private operation(project: string, scope: GceScope, collection: string, targetName: string, operationType: string, effect: () => void): GceResource {
    const index = this.failures.findIndex(
      ({ match }) =>
        (match.operationType === undefined || operationType === match.operationType || operationType.endsWith(`.${match.operationType}`)) &&
        (match.targetName === undefined || match.targetName === targetName) &&
        (match.collection === undefined || match.collection === collection),
    );
    const failure = index >= 0 ? this.failures.splice(index, 1)[0]!.failure : undefined;
    const name = `operation-${this.now()}-${String(this.nextOperation++).padStart(6, '0')}`;
    const target = this.bucket(project, scope, collection).get(targetName);
    const resource: GceResource = {
      kind: 'compute#operation',
      id: this.id(),
      name,
      operationType,
      targetLink: this.link(project, scope, collection, targetName),
      ...(target ? { targetId: target.id } : {}),
      status: 'PENDING',
      user: 'stratus-fake@example.iam.gserviceaccount.com',
      progress: 0,
      insertTime: new Date(this.now()).toISOString(),
      selfLink: this.link(project, scope, 'operations', name),
      ...(scope.startsWith('zones/') ? { zone: this.link(project, scope) } : {}),
      ...(scope.startsWith('regions/') ? { region: this.link(project, scope) } : {}),
    };
    this.operations.set(`${project}/${scope}/${name}`, { project, scope, resource, effect, ...(failure ? { failure } : {}) });
    return clone(resource);
  }

  /**
   * Reads an operation, moving it one step on (`PENDING → RUNNING → DONE`), or straight to DONE
   * when `wait` (the `/wait` endpoint). The change is made when it becomes DONE.
   */
  pollOperation(project: string, scope: GceScope, name: string, wait: boolean): GceResource {
    const op = this.operations.get(`${project}/${scope}/${name}`);
    if (!op) throw gceNotFound(`projects/${project}/${scope}/operations/${name}`);
    const r = op.resource;
    if (r.status === 'PENDING') {
      r.status = 'RUNNING';
      r.startTime = new Date(this.now()).toISOString();
      r.progress = 50;
    } else if (r.status === 'RUNNING') {
      this.finish(op);
    }
    if (wait && r.status !== 'DONE') this.finish(op);
    return clone(r);
  }

  private finish(op: PendingOperation): void {
    const r = op.resource;
    r.status = 'DONE';
    r.progress = 100;
    r.endTime = new Date(this.now()).toISOString();
    let failure = op.failure;
    if (!failure) {
      try {
        op.effect();
      } catch (error) {
        const e = error instanceof FakeGceError ? error : new FakeGceError(500, 'internalError', String((error as Error).message ?? error));
        failure = { code: e.reason === 'notFound' ? 'RESOURCE_NOT_FOUND' : e.reason.toUpperCase(), message: e.message, httpStatus: e.code };
      }
    }
    if (failure) {
      r.error = { errors: [{ code: failure.code ?? 'OPERATION_FAILED', message: failure.message }] };
      r.httpErrorStatusCode = failure.httpStatus ?? 400;
      r.httpErrorMessage = (failure.httpStatus ?? 400) === 403 ? 'FORBIDDEN' : 'BAD REQUEST';
    }
  }

  // ---- managed instance groups ----

  /** `[zone scope, instance]` of the instances a managed instance group created. */
  private members(project: string, igm: GceResource): [GceScope, GceResource][] {
    const createdBy = this.createdBy(project, igm);
    return this.aggregated(project, 'instances').filter(([, i]) =>
      (i.metadata?.items ?? []).some((item: any) => item.key === 'created-by' && item.value === createdBy),
    );
  }

  private zonesOf(project: string, scope: GceScope, igm: GceResource): string[] {
    if (scope.startsWith('zones/')) return [scope.slice('zones/'.length)];
    const wanted = (igm.distributionPolicy?.zones ?? []).map((z: any) => lastSegment(String(z.zone)));
    return wanted.length > 0 ? wanted : [...(this.regions[scope.slice('regions/'.length)] ?? [])];
  }

  /** Creates or deletes instances until the group has `targetSize`, then syncs target pools. */
  private reconcile(project: string, scope: GceScope, name: string): void {
    const igm = this.bucket(project, scope, 'instanceGroupManagers').get(name);
    if (!igm) return;
    // An active autoscaler keeps the group within its bounds (a stand-in for scaling on load).
    const policy = this.autoscalerOf(project, igm)?.autoscalingPolicy;
    if (policy && (policy.mode ?? 'ON') !== 'OFF') {
      igm.targetSize = Math.min(Math.max(igm.targetSize, policy.minNumReplicas ?? 1), policy.maxNumReplicas ?? igm.targetSize);
    }
    const members = this.members(project, igm);
    const zones = this.zonesOf(project, scope, igm);
    let count = members.length;
    while (count < igm.targetSize) {
      const zone = `zones/${zones[count % zones.length]}`;
      this.createInstance(project, zone, igm, `${igm.baseInstanceName}-${(this.nextSuffix++).toString(36).padStart(4, '0')}`);
      count++;
    }
    const newestFirst = members.sort((a, b) => b[1].creationTimestamp.localeCompare(a[1].creationTimestamp) || b[1].name.localeCompare(a[1].name));
    for (const [zone, instance] of newestFirst.slice(0, Math.max(0, members.length - igm.targetSize))) this.deleteInstance(project, zone, instance.name);
    igm.currentActions = { none: igm.targetSize, creating: 0, deleting: 0, abandoning: 0, recreating: 0, refreshing: 0, restarting: 0 };
    igm.status = { isStable: true };
    this.syncTargetPools(project);
  }

  private createInstance(project: string, zoneScope: GceScope, igm: GceResource, name: string): void {
    const template = this.byLink(project, igm.instanceTemplate);
    const p = template?.properties ?? {};
    const zone = zoneScope.slice('zones/'.length);
    const region = this.regionOfZone(zone)!;
    this.put(project, zoneScope, 'instances', {
      name,
      machineType: this.link(project, zoneScope, 'machineTypes', String(p.machineType ?? 'e2-medium')),
      status: 'RUNNING',
      labels: clone(p.labels ?? {}),
      tags: clone(p.tags ?? { items: [] }),
      canIpForward: p.canIpForward ?? false,
      disks: clone(p.disks ?? []),
      serviceAccounts: clone(p.serviceAccounts ?? []),
      networkInterfaces: (p.networkInterfaces ?? [{ network: this.link(project, 'global', 'networks', 'default') }]).map((n: any, i: number) => ({
        ...clone(n),
        name: `nic${i}`,
        network: this.absolute(project, n.network ?? 'global/networks/default'),
        ...(n.subnetwork
          ? { subnetwork: this.absolute(project, n.subnetwork) }
          : { subnetwork: this.link(project, `regions/${region}`, 'subnetworks', 'default') }),
        networkIP: `10.${(this.nextSuffix >> 8) & 255}.${this.nextSuffix & 255}.${2 + i}`,
      })),
      metadata: {
        items: [
          ...clone(p.metadata?.items ?? []).filter((item: any) => item.key !== 'created-by' && item.key !== 'instance-template'),
          { key: 'instance-template', value: igm.instanceTemplate },
          { key: 'created-by', value: this.createdBy(project, igm) },
        ],
      },
    });
  }

  private deleteInstance(project: string, zoneScope: GceScope, name: string): void {
    this.bucket(project, zoneScope, 'instances').delete(name);
  }

  /** Target pools list exactly the instances of the groups that name them (plus instances added by hand). */
  private syncTargetPools(project: string): void {
    const managed = new Map<string, string[]>();
    const owned = new Set<string>();
    for (const [scope, igm] of [...this.aggregated(project, 'instanceGroupManagers')]) {
      const live = this.bucket(project, scope, 'instanceGroupManagers').get(igm.name)!;
      const links = this.members(project, live).map(([, i]) => i.selfLink as string);
      for (const link of links) owned.add(link);
      for (const pool of live.targetPools ?? []) managed.set(pool, [...(managed.get(pool) ?? []), ...links]);
    }
    const existing = new Set(this.aggregated(project, 'instances').map(([, i]) => i.selfLink as string));
    for (const [scope, pool] of this.aggregated(project, 'targetPools')) {
      const live = this.bucket(project, scope, 'targetPools').get(pool.name)!;
      const byHand = (live.instances ?? []).filter((link: string) => !owned.has(link) && existing.has(link));
      live.instances = [...new Set([...byHand, ...(managed.get(live.selfLink) ?? [])])];
    }
  }

  /**
   * The `created-by` metadata value of a group's instances. Real GCE writes a relative path with the
   * project *number* (`projects/123…/zones/z/instanceGroupManagers/n`), not the group's self link.
   */
  private createdBy(project: string, igm: GceResource): string {
    const tail = String(igm.selfLink).slice(String(igm.selfLink).indexOf(`/projects/${project}/`) + `/projects/${project}/`.length);
    return `projects/${this.projectNumber(project)}/${tail}`;
  }

  /** A stable 12-digit project number for a project id. */
  projectNumber(project: string): string {
    let hash = 0;
    for (const c of project) hash = (hash * 31 + c.charCodeAt(0)) % 900_000_000_000;
    return String(100_000_000_000 + hash);
  }

  private autoscalerOf(project: string, igm: GceResource): GceResource | undefined {
    const found = this.aggregated(project, 'autoscalers').find(([, a]) => a.target === igm.selfLink);
    return found ? this.bucket(project, found[0], 'autoscalers').get(found[1].name) : undefined;
  }

  private reconcileTarget(project: string, autoscaler: GceResource): void {
    const match = /\/(zones\/[^/]+|regions\/[^/]+)\/instanceGroupManagers\/([^/]+)$/.exec(String(autoscaler.target ?? ''));
    if (match) this.reconcile(project, match[1]!, match[2]!);
  }

  private checkNotAutoscaled(project: string, igm: GceResource): void {
    const autoscaler = this.autoscalerOf(project, igm);
    if (autoscaler) {
      throw new FakeGceError(
        400,
        'resourceInUseByAnotherResource',
        `The instance_group_manager resource '${igm.selfLink}' is already being used by '${autoscaler.selfLink}'`,
      );
    }
  }

  private checkTemplateUnused(project: string, template: GceResource): void {
    const user = this.aggregated(project, 'instanceGroupManagers').find(([, igm]) => igm.instanceTemplate === template.selfLink);
    if (user) {
      throw new FakeGceError(
        400,
        'resourceInUseByAnotherResource',
        `The instance_template resource '${template.selfLink}' is already being used by '${user[1].selfLink}'`,
      );
    }
  }

  // ---- helpers ----

  /** `global/x/y`, `projects/p/…` or a full URL → this fake's full self link. */
  absolute(project: string, ref: string): string {
    if (ref.startsWith('http')) return `${this.linkBase}/${ref.slice(ref.indexOf('/projects/') + 1)}`;
    if (ref.startsWith('projects/')) return `${this.linkBase}/${ref}`;
    return `${this.linkBase}/projects/${project}/${ref}`;
  }

  private byLink(_project: string, link: string): GceResource | undefined {
    const match = /\/projects\/([^/]+)\/(global|zones\/[^/]+|regions\/[^/]+)\/([^/]+)\/([^/]+)$/.exec(link);
    if (!match || !this.projects.has(match[1]!)) return undefined;
    return this.bucket(match[1]!, match[2]!, match[3]!).get(match[4]!);
  }

  private requireByLink(project: string, link: string): GceResource {
    const found = this.byLink(project, link);
    if (!found) throw gceNotFound(link.slice(link.indexOf('projects/')));
    return found;
  }

  /** Resource references as real GCE stores them: full URLs, whatever form the request used. */
  private normalizeRefs(project: string, r: GceResource): void {
    const abs = (ref: unknown) => (typeof ref === 'string' && ref !== '' ? this.absolute(project, ref) : ref);
    for (const field of ['target', 'urlMap', 'defaultService', 'network', 'subnetwork', 'instanceTemplate'])
      if (typeof r[field] === 'string' && r[field] !== '') r[field] = abs(r[field]);
    if (Array.isArray(r.backends)) r.backends = r.backends.map((b: any) => (b?.group ? { ...b, group: abs(b.group) } : b));
    if (Array.isArray(r.healthChecks)) r.healthChecks = r.healthChecks.map(abs);
    if (Array.isArray(r.targetPools)) r.targetPools = r.targetPools.map(abs);
  }

  private applyDefaults(project: string, scope: GceScope, collection: string, r: GceResource): void {
    this.normalizeRefs(project, r);
    if (collection === 'instanceGroupManagers') {
      r.targetSize ??= 0;
      r.baseInstanceName ??= r.name;
      r.targetPools ??= [];
      r.instanceGroup = this.link(project, scope, 'instanceGroups', r.name);
      r.fingerprint ??= 'ZmFrZQ==';
      if (r.instanceTemplate) r.instanceTemplate = this.absolute(project, r.instanceTemplate);
    }
    if (collection === 'firewalls') {
      r.network = this.absolute(project, r.network ?? 'global/networks/default');
      r.direction ??= 'INGRESS';
      r.priority ??= 1000;
      r.sourceRanges ??= r.sourceTags ? undefined : ['0.0.0.0/0'];
      if (r.sourceRanges === undefined) delete r.sourceRanges;
    }
    if (collection === 'subnetworks' && r.network) r.network = this.absolute(project, r.network);
    if (collection === 'images') r.status ??= 'READY';
    if (collection === 'autoscalers') {
      if (r.target) r.target = this.absolute(project, r.target);
      r.autoscalingPolicy = { mode: 'ON', minNumReplicas: 1, coolDownPeriodSec: 60, ...(r.autoscalingPolicy ?? {}) };
      r.status ??= 'ACTIVE';
    }
    if (collection === 'targetPools') r.instances ??= [];
    if (collection === 'forwardingRules') r.IPAddress ??= `203.0.113.${Number(BigInt(r.id) % 250n) + 1}`;
  }

  private seed(project: string): void {
    this.put(project, 'global', 'networks', { name: 'default', autoCreateSubnetworks: false, subnetworks: [] });
    let octet = 128;
    for (const region of Object.keys(this.regions)) {
      this.put(project, `regions/${region}`, 'subnetworks', { name: 'default', network: 'global/networks/default', ipCidrRange: `10.${octet++}.0.0/20` });
    }
    this.put(project, 'global', 'images', { name: 'debian-12-bookworm-v20240110', family: 'debian-12', diskSizeGb: '10', sourceType: 'RAW' });
  }

  private id(): string {
    return String(this.nextId++);
  }

  private projectState(project: string): Map<string, Map<string, GceResource>> {
    const state = this.projects.get(project);
    if (!state) throw gceNotFound(`projects/${project}`);
    return state;
  }

  private bucket(project: string, scope: GceScope, collection: string): Map<string, GceResource> {
    const state = this.projectState(project);
    const key = `${scope}/${collection}`;
    let bucket = state.get(key);
    if (!bucket) state.set(key, (bucket = new Map()));
    return bucket;
  }
}

/** PATCH semantics of compute/v1: nested objects merge, anything else (lists included) is replaced. */
function mergePatch(target: Record<string, any>, patch: Record<string, any>): Record<string, any> {
  const out: Record<string, any> = { ...target };
  for (const [key, value] of Object.entries(patch)) {
    const current = out[key];
    const bothObjects = [value, current].every((v) => typeof v === 'object' && v !== null && !Array.isArray(v));
    out[key] = bothObjects ? mergePatch(current, value) : structuredClone(value);
  }
  return out;
}
