// The REST verbs on stored resources: get, list, watch, create, update, patch (four content
// types), delete and deletecollection, plus /status and /scale. Everything a request can change
// goes through the ObjectStore, so the simulation sees HTTP writes exactly like its own.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseYaml } from 'yaml';
import type { KubeObject, ObjectMeta } from '../../kube/types';
import type { Clock } from '../clock';
import { rfc3339 } from '../../kube/timeFormat';
import type { ObjectStore } from '../objectStore';
import { badRequest, methodNotAllowed, notFound, StatusError, unsupportedMediaType } from './errors';
import { applyCreateDefaults } from './defaults';
import type { Writer } from './fieldManager';
import { applyConfiguration, recordUpdate } from './fieldManager';
import { parseFieldValidation, pruneUnknownFields, unknownFieldPaths } from './fieldValidation';
import { fromEventsV1, toEventsV1 } from '../../kube/eventShape';
import type { Rendering } from './negotiation';
import { paginate } from './paging';
import { jsonEqual } from './jsonEqual';
import { jsonMergePatch, jsonPatch } from './patch';
import { decodeProtobufObject, isProtobuf } from './protobuf';
import type { ResourceInfo } from './resources';
import { apiVersionOf } from './resources';
import { listItem, writeJson, writeList } from './responses';
import type { ObjectFilter } from './selectors';
import { matchesFilter, parseFieldSelector, parseLabelSelector } from './selectors';
import { strategicMergePatch } from './strategicMerge';
import type { IncludeObject } from './tables';
import { partialObjectMetadata, tableRow, toTable } from './tables';
import { validateObject, validatePodUpdate } from './validation';
import type { WatchHub, WireEventType } from './watch';

export interface ResourceRequest {
  req: IncomingMessage;
  res: ServerResponse;
  query: URLSearchParams;
  resource: ResourceInfo;
  namespace: string | undefined;
  name: string | undefined;
  subresource: string | undefined;
  rendering: Rendering;
  body: () => Promise<Buffer>;
}

export interface ResourceApiDeps {
  store: ObjectStore;
  clock: Clock;
  watches: WatchHub;
  /** 'timer': a pod with a grace period is removed after a short simulated delay; 'external': the simulation's kubelet removes it. */
  podDeletion: 'timer' | 'external';
}

/** Kinds whose DELETE answers with the deleted object rather than a Success Status (registry ReturnDeletedObject). */
const RETURNS_DELETED_OBJECT = new Set([
  'Pod',
  'Service',
  'Namespace',
  'PersistentVolume',
  'PersistentVolumeClaim',
  'Node',
]);
/** Types whose main resource ignores status on write (they have a /status subresource). */
const hasStatus = (r: ResourceInfo): boolean => r.subresources.some((s) => s.name === 'status');

const TABLE_TYPE = 'application/json;as=Table;v=v1;g=meta.k8s.io';

const flag = (query: URLSearchParams, name: string): boolean =>
  query.get(name) === 'true' || query.get(name) === '1';

const APPLY_PATCH = 'application/apply-patch+yaml';

/** kube-apiserver's default field manager: the User-Agent up to its first '/' (`kubectl`), printable, 128 at most. */
function managerFromUserAgent(userAgent: string | undefined): string {
  const prefix = (userAgent ?? '').split('/')[0] ?? '';
  return [...prefix]
    .filter((c) => c >= ' ' && c !== '\x7f')
    .join('')
    .slice(0, 128);
}

/** Same object, same ownership: only the managers' timestamps may differ. */
function sameIgnoringTimes(a: KubeObject, b: KubeObject): boolean {
  const untimed = (o: KubeObject): KubeObject => ({
    ...o,
    metadata: {
      ...o.metadata,
      managedFields: ((o.metadata?.['managedFields'] as Record<string, unknown>[] | undefined) ?? []).map(
        ({ time: _time, ...rest }) => rest,
      ),
    },
  });
  return jsonEqual(untimed(a), untimed(b));
}

function parseBody(buffer: Buffer, contentType: string): unknown {
  if (isProtobuf(contentType)) return buffer.length ? decodeProtobufObject(buffer) : undefined;
  const text = buffer.toString('utf8');
  if (text.trim() === '') return undefined;
  try {
    return contentType.includes('yaml') ? parseYaml(text) : JSON.parse(text);
  } catch (err) {
    throw badRequest(
      `the server rejected our request due to an error in our request: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
}

const SUFFIX_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';
const randomSuffix = (): string =>
  Array.from(
    { length: 5 },
    () => SUFFIX_ALPHABET[Math.floor(Math.random() * SUFFIX_ALPHABET.length)] ?? 'x',
  ).join('');

export class ResourceApi {
  constructor(private readonly deps: ResourceApiDeps) {}

  /** The stored kind's objects as this resource's API version shows them. */
  private out(r: ResourceInfo, object: KubeObject): KubeObject {
    return r.group === 'events.k8s.io' ? toEventsV1(object) : object;
  }

  private in(r: ResourceInfo, object: KubeObject): KubeObject {
    return r.group === 'events.k8s.io'
      ? fromEventsV1(object)
      : { ...object, apiVersion: apiVersionOf(r), kind: r.kind };
  }

  private filter(r: ResourceInfo, query: URLSearchParams): ObjectFilter {
    return {
      labels: parseLabelSelector(query.get('labelSelector') ?? ''),
      fields: parseFieldSelector(query.get('fieldSelector') ?? '', r.kind),
    };
  }

  private include(query: URLSearchParams): IncludeObject {
    const v = query.get('includeObject');
    return v === 'None' || v === 'Object' ? v : 'Metadata';
  }

  private mustGet(r: ResourceInfo, namespace: string | undefined, name: string): KubeObject {
    const found = this.deps.store.get(r.kind, namespace, name);
    if (!found) throw notFound(r, name);
    return found;
  }

  /** Who a write is recorded under: the `fieldManager` parameter, else the User-Agent's product. */
  private writer(rq: ResourceRequest, subresource?: string): Writer {
    return {
      manager: rq.query.get('fieldManager') || managerFromUserAgent(rq.req.headers['user-agent']),
      apiVersion: apiVersionOf(rq.resource),
      time: rfc3339(this.deps.clock.now()),
      ...(subresource ? { subresource } : {}),
    };
  }

  private render(rq: ResourceRequest, object: KubeObject, code = 200): void {
    const r = rq.resource;
    const shown = this.out(r, object);
    if (rq.rendering === 'table') {
      writeJson(
        rq.res,
        code,
        toTable(
          r,
          [object],
          this.deps.clock.now(),
          { include: this.include(rq.query), resourceVersion: object.metadata?.resourceVersion ?? '' },
          (o) => this.out(r, o),
        ),
        TABLE_TYPE,
      );
    } else if (rq.rendering === 'partialMetadata') {
      writeJson(rq.res, code, partialObjectMetadata(shown));
    } else {
      writeJson(rq.res, code, shown);
    }
  }

  async handle(rq: ResourceRequest): Promise<void> {
    const method = rq.req.method ?? 'GET';
    if (rq.subresource === 'status') return this.handleStatus(rq, method);
    if (rq.subresource === 'scale') return this.handleScale(rq, method);
    if (rq.name === undefined) {
      if (method === 'GET') return flag(rq.query, 'watch') ? this.watch(rq) : this.list(rq);
      if (method === 'POST') return this.create(rq);
      if (method === 'DELETE') return this.deleteCollection(rq);
      throw methodNotAllowed();
    }
    switch (method) {
      case 'GET':
        if (flag(rq.query, 'watch')) return this.watch(rq);
        return this.render(rq, this.mustGet(rq.resource, rq.namespace, rq.name));
      case 'PUT':
        return this.update(rq);
      case 'PATCH':
        return this.patch(rq);
      case 'DELETE':
        return this.delete(rq);
      default:
        throw methodNotAllowed();
    }
  }

  private selected(rq: ResourceRequest): KubeObject[] {
    const filter = this.filter(rq.resource, rq.query);
    const all = this.deps.store.list(rq.resource.kind, rq.namespace);
    if (filter.labels.length === 0 && filter.fields.length === 0 && rq.name === undefined) return all;
    return all.filter(
      (o) => (rq.name === undefined || o.metadata?.name === rq.name) && matchesFilter(filter, o),
    );
  }

  private list(rq: ResourceRequest): void {
    const r = rq.resource;
    const resourceVersion = this.deps.store.resourceVersion();
    const limit = rq.query.get('limit') ? Number(rq.query.get('limit')) : undefined;
    const page = paginate(this.selected(rq), resourceVersion, limit, rq.query.get('continue') ?? undefined);
    const metadata: Record<string, unknown> = { resourceVersion };
    if (page.continueToken) metadata['continue'] = page.continueToken;
    if (page.remainingItemCount !== undefined) metadata['remainingItemCount'] = page.remainingItemCount;
    const items = r.group === 'events.k8s.io' ? page.items.map(toEventsV1) : page.items;
    if (rq.rendering === 'table') {
      const table = toTable(
        r,
        page.items,
        this.deps.clock.now(),
        {
          include: this.include(rq.query),
          resourceVersion,
          ...(page.continueToken ? { continueToken: page.continueToken } : {}),
          ...(page.remainingItemCount !== undefined ? { remainingItemCount: page.remainingItemCount } : {}),
        },
        (o) => this.out(r, o),
      );
      writeJson(rq.res, 200, table, TABLE_TYPE);
      return;
    }
    if (rq.rendering === 'partialMetadata') {
      writeList(
        rq.res,
        { kind: 'PartialObjectMetadataList', apiVersion: 'meta.k8s.io/v1', metadata },
        items,
        (o) => ({ metadata: o.metadata }),
      );
      return;
    }
    writeList(rq.res, { kind: `${r.kind}List`, apiVersion: apiVersionOf(r), metadata }, items, listItem);
  }

  private watch(rq: ResourceRequest): void {
    const r = rq.resource;
    const { res, query } = rq;
    const filter = this.filter(r, query);
    const spec = { kind: r.kind, namespace: rq.namespace, name: rq.name ?? undefined, filter };
    const requested = query.get('resourceVersion') ?? '';
    const sendInitial = flag(query, 'sendInitialEvents') || requested === '' || requested === '0';
    const include = this.include(query);
    const table = rq.rendering === 'table';
    res.writeHead(200, {
      'Audit-Id': 'watch',
      'Cache-Control': 'no-cache, private',
      'Content-Type': table ? TABLE_TYPE : 'application/json',
      'Transfer-Encoding': 'chunked',
    });
    res.flushHeaders();
    let first = true;
    const encode = (type: WireEventType, object: KubeObject): string => {
      let shown: unknown = type === 'ERROR' || type === 'BOOKMARK' ? object : this.out(r, object);
      if (table && type !== 'ERROR' && type !== 'BOOKMARK') {
        const t = toTable(r, [], this.deps.clock.now(), {
          include,
          resourceVersion: object.metadata?.resourceVersion ?? '',
          noHeaders: !first,
        });
        t['rows'] = [tableRow(r, object, this.deps.clock.now(), include, shown as KubeObject)];
        shown = t;
        first = false;
      } else if (rq.rendering === 'partialMetadata' && type !== 'ERROR') {
        shown = partialObjectMetadata(shown as KubeObject);
      }
      return `${JSON.stringify({ type, object: shown })}\n`;
    };
    const sink = {
      send: (type: WireEventType, object: KubeObject) => {
        if (!res.writableEnded) res.write(encode(type, object));
      },
      end: () => {
        if (!res.writableEnded) res.end();
      },
    };
    if (!sendInitial || flag(query, 'sendInitialEvents')) {
      const error =
        requested && requested !== '0'
          ? this.deps.watches.checkResourceVersion(r.kind, requested)
          : undefined;
      if (error) {
        sink.send('ERROR', error.toStatus() as unknown as KubeObject);
        sink.end();
        return;
      }
    }
    const current = this.deps.store.resourceVersion();
    let from = Number(requested || current);
    if (sendInitial) {
      for (const object of this.selected(rq)) sink.send('ADDED', object);
      from = Number(current);
      if (flag(query, 'sendInitialEvents')) {
        sink.send('BOOKMARK', {
          kind: r.kind,
          apiVersion: apiVersionOf(r),
          metadata: { resourceVersion: current, annotations: { 'k8s.io/initial-events-end': 'true' } },
        });
      }
    }
    const timeoutSeconds = query.get('timeoutSeconds');
    const stop = this.deps.watches.add(spec, sink, from, {
      bookmarks: flag(query, 'allowWatchBookmarks') && !table,
      timeoutMs: timeoutSeconds ? Number(timeoutSeconds) * 1000 : undefined,
      bookmarkObject: () => ({
        kind: r.kind,
        apiVersion: apiVersionOf(r),
        metadata: { resourceVersion: this.deps.store.resourceVersion() },
      }),
    });
    rq.req.on('close', stop);
    res.on('close', stop);
  }

  private async readObject(rq: ResourceRequest): Promise<KubeObject> {
    const body = parseBody(await rq.body(), rq.req.headers['content-type'] ?? 'application/json');
    if (!body || typeof body !== 'object' || Array.isArray(body))
      throw badRequest("Object 'Kind' is missing in 'null'");
    return body as KubeObject;
  }

  private checkNamespace(rq: ResourceRequest, object: KubeObject): void {
    if (!rq.resource.namespaced) return;
    const ns = object.metadata?.namespace;
    if (ns && rq.namespace && ns !== rq.namespace)
      throw badRequest(
        'the namespace of the provided object does not match the namespace sent on the request',
      );
    const target = rq.namespace ?? ns ?? 'default';
    const store = this.deps.store;
    // NamespaceLifecycle admission; skipped when the store holds no namespaces at all (bare tests).
    if (store.list('Namespace').length > 0 && !store.get('Namespace', undefined, target)) {
      throw notFound({ group: '', resource: 'namespaces' }, target);
    }
  }

  private prepareCreate(rq: ResourceRequest, raw: KubeObject): KubeObject {
    const object = this.in(rq.resource, raw);
    const meta: ObjectMeta = { ...(object.metadata ?? {}) };
    // Server-owned fields a client cannot set.
    delete meta.uid;
    delete meta.resourceVersion;
    delete meta.creationTimestamp;
    delete meta.deletionTimestamp;
    delete meta.generation;
    if (rq.resource.namespaced) meta.namespace = rq.namespace ?? meta.namespace ?? 'default';
    object.metadata = meta;
    applyCreateDefaults(object);
    return object;
  }

  private async create(rq: ResourceRequest): Promise<void> {
    const object = this.prepareCreate(rq, await this.readObject(rq));
    this.judgeFields(rq, object, undefined);
    this.checkNamespace(rq, object);
    validateObject(rq.resource, object);
    object.metadata = {
      ...object.metadata,
      managedFields: recordUpdate(
        rq.resource.kind,
        undefined,
        object,
        this.writer(rq),
        hasStatus(rq.resource),
      ),
    };
    if (flag(rq.query, 'dryRun') || rq.query.get('dryRun') === 'All') {
      this.render(rq, this.dryRunCreate(object), 201);
      return;
    }
    this.render(rq, this.deps.store.create(object), 201);
  }

  private dryRunCreate(object: KubeObject): KubeObject {
    const meta = object.metadata ?? {};
    // A dry run reserves no name, but generateName still shows what a real create would produce.
    const name = meta.name || `${meta.generateName ?? ''}${randomSuffix()}`;
    if (this.deps.store.get(object.kind ?? '', meta.namespace, name)) {
      this.deps.store.create(object); // throws the same AlreadyExists a real create would
    }
    return {
      ...object,
      metadata: {
        ...meta,
        name,
        uid: '00000000-0000-0000-0000-000000000000',
        creationTimestamp: rfc3339(this.deps.clock.now()),
      },
    };
  }

  private async update(rq: ResourceRequest): Promise<void> {
    const r = rq.resource;
    const name = rq.name ?? '';
    const object = this.in(r, await this.readObject(rq));
    if (object.metadata?.name && object.metadata.name !== name) {
      throw badRequest(
        `the name of the object (${object.metadata.name}) does not match the name on the URL (${name})`,
      );
    }
    this.checkNamespace(rq, object);
    const existing = this.mustGet(r, rq.namespace, name);
    object.metadata = {
      ...(object.metadata ?? {}),
      name,
      ...(r.namespaced ? { namespace: rq.namespace ?? 'default' } : {}),
    };
    this.render(rq, this.commitUpdate(rq, existing, object, this.writer(rq)));
  }

  /**
   * Drops fields the kind does not have and reports them per `fieldValidation` (Strict: 400;
   * Warn, the server default: `Warning` headers, which kubectl prints).
   */
  private judgeFields(rq: ResourceRequest, object: KubeObject, existing: KubeObject | undefined): void {
    const keep = existing ? unknownFieldPaths(existing) : new Set<string>();
    const warnings = pruneUnknownFields(object, parseFieldValidation(rq.query.get('fieldValidation')), keep);
    if (warnings.length)
      rq.res.setHeader(
        'Warning',
        warnings.map((w) => `299 - ${JSON.stringify(w)}`),
      );
  }

  /**
   * Writes an updated object with the main resource's rules: old status kept, pod spec mostly
   * immutable. `writer`: record the write as that manager's Update; without it, `next` carries
   * the managedFields an apply computed.
   */
  private commitUpdate(
    rq: ResourceRequest,
    existing: KubeObject,
    next: KubeObject,
    writer: Writer | undefined,
  ): KubeObject {
    const r = rq.resource;
    if (hasStatus(r)) {
      if ('status' in existing) next['status'] = existing['status'];
      else delete next['status'];
    }
    this.judgeFields(rq, next, existing);
    // Every decoded object is defaulted, updates too: a `kubectl replace` with a terse manifest
    // must not look like a change to fields the server filled in on create.
    const defaulted = structuredClone(next);
    applyCreateDefaults(defaulted);
    if ('spec' in defaulted) next['spec'] = defaulted['spec'];
    if (r.kind === 'Pod') {
      // Compare defaulted with defaulted: the simulation may store pods without every default.
      const before = structuredClone(existing);
      applyCreateDefaults(before);
      validatePodUpdate(before, next);
    }
    validateObject(r, next);
    if (writer) {
      next.metadata = {
        ...next.metadata,
        managedFields: recordUpdate(r.kind, existing, next, writer, hasStatus(r)),
      };
    }
    if (rq.query.get('dryRun') === 'All')
      return { ...next, metadata: { ...existing.metadata, ...next.metadata } };
    const meta = next.metadata ?? {};
    if (meta.resourceVersion === '') delete meta.resourceVersion;
    return this.deps.store.update(next);
  }

  private async patched(rq: ResourceRequest, base: KubeObject): Promise<KubeObject> {
    const contentType = (rq.req.headers['content-type'] ?? '').split(';')[0]?.trim() ?? '';
    const patch = parseBody(await rq.body(), contentType);
    const shown = this.out(rq.resource, base) as unknown;
    let result: unknown;
    switch (contentType) {
      case 'application/merge-patch+json':
        result = jsonMergePatch(shown, patch);
        break;
      case 'application/strategic-merge-patch+json':
      case 'application/apply-patch+yaml':
        result = strategicMergePatch(shown, patch);
        break;
      case 'application/json-patch+json':
        result = jsonPatch(shown, patch);
        break;
      default:
        throw unsupportedMediaType(contentType);
    }
    const object = this.in(rq.resource, result as KubeObject);
    const meta = object.metadata ?? {};
    // A patch may carry a resourceVersion precondition; otherwise it applies to the current object.
    const patchRv = (patch as { metadata?: { resourceVersion?: string } } | undefined)?.metadata
      ?.resourceVersion;
    object.metadata = {
      ...meta,
      name: base.metadata?.name,
      ...(base.metadata?.namespace ? { namespace: base.metadata.namespace } : {}),
      resourceVersion: patchRv ?? base.metadata?.resourceVersion,
    };
    return object;
  }

  private async patch(rq: ResourceRequest): Promise<void> {
    const r = rq.resource;
    const name = rq.name ?? '';
    const contentType = (rq.req.headers['content-type'] ?? '').split(';')[0]?.trim() ?? '';
    const existing = this.deps.store.get(r.kind, rq.namespace, name);
    if (contentType === APPLY_PATCH) return this.apply(rq, existing);
    if (!existing) throw notFound(r, name);
    const next = await this.patched(rq, existing);
    this.render(rq, this.commitUpdate(rq, existing, next, this.writer(rq)));
  }

  /** Server-side apply: field ownership decides the merge, the conflicts and what is pruned. */
  private async apply(rq: ResourceRequest, existing: KubeObject | undefined): Promise<void> {
    const r = rq.resource;
    const name = rq.name ?? '';
    if (!rq.query.get('fieldManager')) {
      throw badRequest('PATCH /apis/... : fieldManager is required for apply requests');
    }
    const body = parseBody(await rq.body(), APPLY_PATCH);
    if (!body || typeof body !== 'object' || Array.isArray(body))
      throw badRequest("Object 'Kind' is missing in 'null'");
    const config = body as KubeObject;
    if (config.metadata?.['managedFields'] !== undefined)
      throw badRequest('metadata.managedFields must be nil');
    const writer = this.writer(rq);
    const force = flag(rq.query, 'force');
    const dryRun = rq.query.get('dryRun') === 'All';
    if (!existing) {
      const named: KubeObject = {
        ...config,
        metadata: { ...config.metadata, name, ...(rq.namespace ? { namespace: rq.namespace } : {}) },
      };
      const applied = this.prepareCreate(
        rq,
        applyConfiguration(r.kind, undefined, this.in(r, named), writer, hasStatus(r), force),
      );
      this.judgeFields(rq, applied, undefined);
      this.checkNamespace(rq, applied);
      validateObject(r, applied);
      this.render(rq, dryRun ? this.dryRunCreate(applied) : this.deps.store.create(applied), 201);
      return;
    }
    const merged = applyConfiguration(r.kind, existing, this.in(r, config), writer, hasStatus(r), force);
    // A resourceVersion in the configuration is a precondition; otherwise it applies to the current object.
    merged.metadata = {
      ...merged.metadata,
      name,
      ...(existing.metadata?.namespace ? { namespace: existing.metadata.namespace } : {}),
      resourceVersion: config.metadata?.resourceVersion ?? existing.metadata?.resourceVersion,
    };
    // An apply that changes nothing is not a write: no new resourceVersion, no watch event.
    if (sameIgnoringTimes(existing, merged)) return this.render(rq, existing);
    this.render(rq, this.commitUpdate(rq, existing, merged, undefined));
  }

  private async deleteOptions(rq: ResourceRequest): Promise<{
    grace?: number;
    propagation?: 'Background' | 'Foreground' | 'Orphan';
    dryRun: boolean;
    uid?: string;
  }> {
    const body = parseBody(await rq.body(), rq.req.headers['content-type'] ?? 'application/json') as
      | {
          gracePeriodSeconds?: number;
          propagationPolicy?: string;
          orphanDependents?: boolean;
          dryRun?: string[];
          preconditions?: { uid?: string };
        }
      | undefined;
    const q = rq.query;
    const grace = q.get('gracePeriodSeconds') ?? body?.gracePeriodSeconds;
    let propagation = (q.get('propagationPolicy') ?? body?.propagationPolicy) as
      'Background' | 'Foreground' | 'Orphan' | undefined;
    if (body?.orphanDependents === true || q.get('orphanDependents') === 'true') propagation = 'Orphan';
    return {
      ...(grace !== undefined && grace !== null ? { grace: Number(grace) } : {}),
      ...(propagation ? { propagation } : {}),
      dryRun: q.get('dryRun') === 'All' || (body?.dryRun ?? []).includes('All'),
      ...(body?.preconditions?.uid ? { uid: body.preconditions.uid } : {}),
    };
  }

  private async delete(rq: ResourceRequest): Promise<void> {
    const r = rq.resource;
    const name = rq.name ?? '';
    const existing = this.mustGet(r, rq.namespace, name);
    const options = await this.deleteOptions(rq);
    if (options.uid && options.uid !== existing.metadata?.uid) {
      throw new StatusError(
        409,
        'Conflict',
        `Operation cannot be fulfilled on ${r.group ? `${r.resource}.${r.group}` : r.resource} "${name}": Precondition failed: UID in precondition: ${options.uid}, UID in object meta: ${existing.metadata?.uid ?? ''}`,
      );
    }
    if (options.dryRun) {
      this.respondDeleted(rq, existing);
      return;
    }
    if (r.kind === 'Pod') {
      const graceful = this.gracefulPodDelete(existing, options.grace);
      if (graceful) {
        this.render(rq, graceful);
        return;
      }
    }
    const deleted = this.deps.store.delete(
      r.kind,
      rq.namespace,
      name,
      options.propagation ? { propagationPolicy: options.propagation } : {},
    );
    this.respondDeleted(rq, deleted ?? existing);
  }

  /**
   * A running pod is not removed at once: it gets a deletionTimestamp (STATUS Terminating) and
   * goes when the kubelet has stopped it. Returns the marked pod, or undefined to delete now.
   */
  private gracefulPodDelete(pod: KubeObject, requestedGrace: number | undefined): KubeObject | undefined {
    const spec = (pod['spec'] ?? {}) as { nodeName?: string; terminationGracePeriodSeconds?: number };
    const phase = (pod['status'] as { phase?: string } | undefined)?.phase;
    const grace = requestedGrace ?? spec.terminationGracePeriodSeconds ?? 30;
    if (grace <= 0 || !spec.nodeName || phase === 'Succeeded' || phase === 'Failed') return undefined;
    const meta = pod.metadata ?? {};
    if (meta.deletionTimestamp) return pod;
    const now = this.deps.clock.now();
    const marked = this.deps.store.update({
      ...structuredClone(pod),
      metadata: {
        ...structuredClone(meta),
        deletionTimestamp: rfc3339(now + grace * 1000),
        deletionGracePeriodSeconds: grace,
      },
    });
    if (this.deps.podDeletion === 'timer') {
      // The kubelet stops containers well within the grace period; a second of simulated time is typical.
      this.deps.clock.setTimer(Math.min(grace * 1000, 1000), () => {
        const current = this.deps.store.get('Pod', meta.namespace, meta.name ?? '');
        if (current?.metadata?.uid === meta.uid)
          this.deps.store.delete('Pod', meta.namespace, meta.name ?? '');
      });
    }
    return marked;
  }

  private respondDeleted(rq: ResourceRequest, object: KubeObject): void {
    const r = rq.resource;
    if (RETURNS_DELETED_OBJECT.has(r.kind)) {
      this.render(rq, object);
      return;
    }
    writeJson(rq.res, 200, {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Success',
      details: {
        name: object.metadata?.name ?? '',
        ...(r.group ? { group: r.group } : {}),
        kind: r.resource,
        uid: object.metadata?.uid ?? '',
      },
    });
  }

  private async deleteCollection(rq: ResourceRequest): Promise<void> {
    const r = rq.resource;
    if (!r.verbs.includes('deletecollection')) throw methodNotAllowed();
    const options = await this.deleteOptions(rq);
    const victims = this.selected(rq);
    const deleted: KubeObject[] = [];
    for (const object of victims) {
      const meta = object.metadata ?? {};
      if (options.dryRun) deleted.push(object);
      else {
        const gone = this.deps.store.delete(
          r.kind,
          meta.namespace,
          meta.name ?? '',
          options.propagation ? { propagationPolicy: options.propagation } : {},
        );
        if (gone) deleted.push(gone);
      }
    }
    writeList(
      rq.res,
      {
        kind: `${r.kind}List`,
        apiVersion: apiVersionOf(r),
        metadata: { resourceVersion: this.deps.store.resourceVersion() },
      },
      deleted.map((o) => this.out(r, o)),
      listItem,
    );
  }

  private async handleStatus(rq: ResourceRequest, method: string): Promise<void> {
    const r = rq.resource;
    const name = rq.name ?? '';
    const existing = this.mustGet(r, rq.namespace, name);
    if (method === 'GET') return this.render(rq, existing);
    let next: KubeObject;
    if (method === 'PUT') next = this.in(r, await this.readObject(rq));
    else if (method === 'PATCH') next = await this.patched(rq, existing);
    else throw methodNotAllowed();
    const written: KubeObject = { ...existing, status: next['status'] };
    // A status write owns status fields only (subresource "status"), never the spec.
    const managedFields = recordUpdate(r.kind, existing, written, this.writer(rq, 'status'), true);
    if (rq.query.get('dryRun') === 'All')
      return this.render(rq, { ...written, metadata: { ...existing.metadata, managedFields } });
    const rv = next.metadata?.resourceVersion;
    this.render(
      rq,
      this.deps.store.updateStatus({
        ...written,
        metadata: { ...existing.metadata, managedFields, ...(rv ? { resourceVersion: rv } : {}) },
      }),
    );
  }

  private scaleOf(object: KubeObject): KubeObject {
    const spec = (object['spec'] ?? {}) as {
      replicas?: number;
      selector?: { matchLabels?: Record<string, string> };
    };
    const status = (object['status'] ?? {}) as { replicas?: number };
    const selector = Object.entries(spec.selector?.matchLabels ?? {})
      .map(([k, v]) => `${k}=${v}`)
      .join(',');
    const meta = object.metadata ?? {};
    return {
      kind: 'Scale',
      apiVersion: 'autoscaling/v1',
      metadata: {
        name: meta.name,
        namespace: meta.namespace,
        uid: meta.uid,
        resourceVersion: meta.resourceVersion,
        creationTimestamp: meta.creationTimestamp,
      },
      spec: { replicas: spec.replicas ?? 1 },
      status: { replicas: status.replicas ?? 0, selector },
    };
  }

  private async handleScale(rq: ResourceRequest, method: string): Promise<void> {
    const r = rq.resource;
    const existing = this.mustGet(r, rq.namespace, rq.name ?? '');
    if (method === 'GET') return writeJson(rq.res, 200, this.scaleOf(existing));
    let scale: KubeObject;
    if (method === 'PUT') scale = await this.readObject(rq);
    else if (method === 'PATCH') {
      const contentType = (rq.req.headers['content-type'] ?? '').split(';')[0]?.trim() ?? '';
      const patch = parseBody(await rq.body(), contentType);
      const current = this.scaleOf(existing);
      scale = (
        contentType === 'application/json-patch+json'
          ? jsonPatch(current, patch)
          : jsonMergePatch(current, patch)
      ) as KubeObject;
    } else throw methodNotAllowed();
    const replicas = (scale['spec'] as { replicas?: number } | undefined)?.replicas ?? 0;
    const copy = structuredClone(existing) as KubeObject & { spec: Record<string, unknown> };
    copy.spec = { ...copy['spec'], replicas };
    copy.metadata = {
      ...copy.metadata,
      managedFields: recordUpdate(r.kind, existing, copy, this.writer(rq, 'scale'), hasStatus(r)),
    };
    const updated =
      rq.query.get('dryRun') === 'All'
        ? copy
        : this.deps.store.update({ ...copy, metadata: { ...copy.metadata, resourceVersion: undefined } });
    writeJson(rq.res, 200, this.scaleOf(updated));
  }
}
