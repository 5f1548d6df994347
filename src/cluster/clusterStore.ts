// The live, indexed store behind a session: what analysis reads (ClusterView) and what the tree
// refreshes from (onDidChange). Reflectors write into it; it never talks to the network.
import type { ClusterView, KindMap, KindName } from '../kube/clusterView';
import type { KubeEvent, KubeObject, LabelSelector } from '../kube/types';
import { eventTime } from '../kube/eventShape';
import type { Disposable, Event } from './emitter';
import { Emitter } from './emitter';
import { matchesSelector } from '../kube/labelSelector';
import type { Logger } from './logger';
import { silentLogger } from './logger';

export type ChangeType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface StoreChange {
  kind: KindName;
  type: ChangeType;
  /** For DELETED, the last state the store knew. */
  object: KubeObject;
}

export interface ClusterStoreOptions {
  clock?: () => number;
  /** Answers ClusterView.isUnavailable; the session knows which kinds RBAC or errors keep out. */
  isUnavailable?: (kind: KindName, namespace?: string) => boolean;
  logger?: Logger;
}

interface KindBucket {
  /** namespace ('' when cluster-scoped) → name → object */
  byNamespace: Map<string, Map<string, KubeObject>>;
  /** namespace → "key=value" → names: selector lookups without scanning the namespace. */
  labels: Map<string, Map<string, Set<string>>>;
  allCache: KubeObject[] | undefined;
  nsCache: Map<string, KubeObject[]>;
  count: number;
}

const objectKey = (kind: string, namespace: string | undefined, name: string): string =>
  `${kind}/${namespace ?? ''}/${name}`;

export class ClusterStore implements ClusterView, Disposable {
  private readonly buckets = new Map<KindName, KindBucket>();
  /** controller uid → dependents keyed by kind/namespace/name */
  private readonly dependents = new Map<string, Map<string, KubeObject>>();
  /** involvedObject kind/namespace/name → events keyed by event namespace/name */
  private readonly eventsByObject = new Map<string, Map<string, KubeEvent>>();
  private readonly changed = new Emitter<readonly StoreChange[]>();
  private pending: StoreChange[] = [];
  private flushHandle: NodeJS.Immediate | undefined;
  private disposed = false;
  private readonly clock: () => number;
  private readonly unavailable: (kind: KindName, namespace?: string) => boolean;
  private readonly logger: Logger;

  /** Changes, batched per event-loop turn: a relist or a burst of watch events arrives as one call. */
  readonly onDidChange: Event<readonly StoreChange[]> = this.changed.event;

  constructor(options: ClusterStoreOptions = {}) {
    this.clock = options.clock ?? Date.now;
    this.unavailable = options.isUnavailable ?? (() => false);
    this.logger = options.logger ?? silentLogger;
  }

  // ---- ClusterView -------------------------------------------------------------------------

  list<K extends KindName>(kind: K, namespace?: string): readonly KindMap[K][] {
    const bucket = this.buckets.get(kind);
    if (!bucket) return [];
    if (namespace === undefined) {
      bucket.allCache ??= [...bucket.byNamespace.values()].flatMap((names) => [...names.values()]);
      return bucket.allCache as KindMap[K][];
    }
    let cached = bucket.nsCache.get(namespace);
    if (!cached) {
      cached = [...(bucket.byNamespace.get(namespace)?.values() ?? [])];
      bucket.nsCache.set(namespace, cached);
    }
    return cached as KindMap[K][];
  }

  get<K extends KindName>(kind: K, namespace: string | undefined, name: string): KindMap[K] | undefined {
    return this.buckets
      .get(kind)
      ?.byNamespace.get(namespace ?? '')
      ?.get(name) as KindMap[K] | undefined;
  }

  ownedBy(uid: string): readonly KubeObject[] {
    const found = this.dependents.get(uid);
    return found ? [...found.values()] : [];
  }

  eventsFor(kind: string, namespace: string | undefined, name: string): readonly KubeEvent[] {
    const found = this.eventsByObject.get(objectKey(kind, namespace, name));
    if (!found) return [];
    return [...found.values()].sort((a, b) => eventTime(a).localeCompare(eventTime(b)));
  }

  isUnavailable(kind: KindName, namespace?: string): boolean {
    return this.unavailable(kind, namespace);
  }

  now(): number {
    return this.clock();
  }

  // ---- Lookups beyond ClusterView ----------------------------------------------------------

  /** Objects of a kind in a namespace whose labels match the selector (Service → Pods). */
  select<K extends KindName>(kind: K, namespace: string, selector: Selector): readonly KindMap[K][] {
    const bucket = this.buckets.get(kind);
    const names = bucket?.byNamespace.get(namespace);
    if (!bucket || !names) return [];
    const normalized: LabelSelector = normalizeSelector(selector);
    const required = Object.entries(normalized.matchLabels ?? {});
    let candidates: Iterable<string> = names.keys();
    if (required.length > 0) {
      const index = bucket.labels.get(namespace);
      // Start from the rarest required label; the full match below checks the rest.
      let smallest: Set<string> | undefined;
      for (const [k, v] of required) {
        const set = index?.get(`${k}=${v}`);
        if (!set) return [];
        if (!smallest || set.size < smallest.size) smallest = set;
      }
      candidates = smallest ?? [];
    }
    const result: KubeObject[] = [];
    for (const name of candidates) {
      const object = names.get(name);
      if (object && matchesSelector(normalized, object.metadata?.labels)) result.push(object);
    }
    return result as KindMap[K][];
  }

  count(kind: KindName): number {
    return this.buckets.get(kind)?.count ?? 0;
  }

  // ---- Writes (reflectors only) -------------------------------------------------------------

  /** Applies one watch event. Replayed events (same resourceVersion) are not reported again. */
  apply(kind: KindName, type: ChangeType, object: KubeObject): void {
    if (type === 'DELETED') this.remove(kind, object.metadata?.namespace, object.metadata?.name ?? '');
    else this.upsert(kind, object);
  }

  /**
   * Makes one scope (a kind cluster-wide, or a kind in one namespace) equal to a fresh list,
   * synthesizing DELETED for objects that vanished while we were not watching (after a 410).
   * Namespaces in `keep` are left as they are (another reflector holds them newer than the list).
   */
  replace(
    kind: KindName,
    namespace: string | undefined,
    objects: readonly KubeObject[],
    keep?: ReadonlySet<string>,
  ): void {
    const seen = new Set<string>();
    for (const object of objects) {
      this.upsert(kind, object);
      seen.add(`${object.metadata?.namespace ?? ''}/${object.metadata?.name ?? ''}`);
    }
    const bucket = this.buckets.get(kind);
    if (!bucket) return;
    const namespaces = namespace === undefined ? [...bucket.byNamespace.keys()] : [namespace];
    for (const ns of namespaces) {
      if (keep?.has(ns)) continue;
      for (const name of [...(bucket.byNamespace.get(ns)?.keys() ?? [])]) {
        if (!seen.has(`${ns}/${name}`)) this.remove(kind, ns, name);
      }
    }
  }

  /** Forgets a scope entirely (a namespace we lost access to). Reports DELETED for each object. */
  clear(kind: KindName, namespace?: string): void {
    this.replace(kind, namespace, []);
  }

  dispose(): void {
    this.disposed = true;
    if (this.flushHandle) clearImmediate(this.flushHandle);
    this.flushHandle = undefined;
    this.pending = [];
    this.changed.dispose();
  }

  // ---- internals -----------------------------------------------------------------------------

  private bucket(kind: KindName): KindBucket {
    let bucket = this.buckets.get(kind);
    if (!bucket) {
      bucket = {
        byNamespace: new Map(),
        labels: new Map(),
        allCache: undefined,
        nsCache: new Map(),
        count: 0,
      };
      this.buckets.set(kind, bucket);
    }
    return bucket;
  }

  private upsert(kind: KindName, object: KubeObject): void {
    const namespace = object.metadata?.namespace ?? '';
    const name = object.metadata?.name;
    if (name === undefined) return;
    const bucket = this.bucket(kind);
    let names = bucket.byNamespace.get(namespace);
    if (!names) {
      names = new Map();
      bucket.byNamespace.set(namespace, names);
    }
    const previous = names.get(name);
    const rv = object.metadata?.resourceVersion;
    if (previous && rv !== undefined && previous.metadata?.resourceVersion === rv) return;
    if (previous) this.unindex(kind, bucket, previous);
    else bucket.count++;
    names.set(name, object);
    this.index(kind, bucket, object);
    this.invalidate(bucket, namespace);
    this.record({ kind, type: previous ? 'MODIFIED' : 'ADDED', object });
  }

  private remove(kind: KindName, namespace: string | undefined, name: string): void {
    const bucket = this.buckets.get(kind);
    const names = bucket?.byNamespace.get(namespace ?? '');
    const previous = names?.get(name);
    if (!bucket || !names || !previous) return;
    names.delete(name);
    if (names.size === 0) bucket.byNamespace.delete(namespace ?? '');
    bucket.count--;
    this.unindex(kind, bucket, previous);
    this.invalidate(bucket, namespace ?? '');
    this.record({ kind, type: 'DELETED', object: previous });
  }

  private index(kind: KindName, bucket: KindBucket, object: KubeObject): void {
    const meta = object.metadata ?? {};
    const key = objectKey(kind, meta.namespace, meta.name ?? '');
    const owner = controllerUid(object);
    if (owner) mapOf(this.dependents, owner).set(key, object);
    if (kind === 'Event') {
      const event = object as KubeEvent;
      const o = event.involvedObject ?? {};
      mapOf(this.eventsByObject, objectKey(o.kind ?? '', o.namespace || undefined, o.name ?? '')).set(
        `${meta.namespace ?? ''}/${meta.name ?? ''}`,
        event,
      );
      return;
    }
    const labels = meta.labels;
    if (labels) {
      const byLabel = mapOf(bucket.labels, meta.namespace ?? '');
      for (const [k, v] of Object.entries(labels)) setOf(byLabel, `${k}=${v}`).add(meta.name ?? '');
    }
  }

  private unindex(kind: KindName, bucket: KindBucket, object: KubeObject): void {
    const meta = object.metadata ?? {};
    const key = objectKey(kind, meta.namespace, meta.name ?? '');
    const owner = controllerUid(object);
    if (owner) deleteFrom(this.dependents, owner, key);
    if (kind === 'Event') {
      const o = (object as KubeEvent).involvedObject ?? {};
      deleteFrom(
        this.eventsByObject,
        objectKey(o.kind ?? '', o.namespace || undefined, o.name ?? ''),
        `${meta.namespace ?? ''}/${meta.name ?? ''}`,
      );
      return;
    }
    const byLabel = bucket.labels.get(meta.namespace ?? '');
    if (!byLabel || !meta.labels) return;
    for (const [k, v] of Object.entries(meta.labels)) {
      const set = byLabel.get(`${k}=${v}`);
      set?.delete(meta.name ?? '');
      if (set?.size === 0) byLabel.delete(`${k}=${v}`);
    }
    if (byLabel.size === 0) bucket.labels.delete(meta.namespace ?? '');
  }

  private invalidate(bucket: KindBucket, namespace: string): void {
    bucket.allCache = undefined;
    bucket.nsCache.delete(namespace);
  }

  private record(change: StoreChange): void {
    if (this.disposed) return;
    this.pending.push(change);
    this.flushHandle ??= setImmediate(() => this.flush());
  }

  private flush(): void {
    this.flushHandle = undefined;
    const batch = this.pending;
    this.pending = [];
    if (batch.length > 0)
      this.changed.fire(batch, (e) => this.logger.error('A cluster change listener failed', e));
  }
}

/** The owner this object is a dependent of: its controller, else its first ownerReference (as MemoryClusterView). */
function controllerUid(object: KubeObject): string | undefined {
  const refs = object.metadata?.ownerReferences;
  return (refs?.find((o) => o.controller) ?? refs?.[0])?.uid;
}

function mapOf<K, V>(map: Map<string, Map<K, V>>, key: string): Map<K, V> {
  let inner = map.get(key);
  if (!inner) {
    inner = new Map();
    map.set(key, inner);
  }
  return inner;
}

function setOf(map: Map<string, Set<string>>, key: string): Set<string> {
  let inner = map.get(key);
  if (!inner) {
    inner = new Set();
    map.set(key, inner);
  }
  return inner;
}

function deleteFrom<V>(map: Map<string, Map<string, V>>, outer: string, inner: string): void {
  const found = map.get(outer);
  if (!found) return;
  found.delete(inner);
  if (found.size === 0) map.delete(outer);
}

/** A Service's `spec.selector` is a plain map; workloads use a LabelSelector. */
export type Selector = LabelSelector | Record<string, string>;

function normalizeSelector(selector: Selector): LabelSelector {
  return 'matchLabels' in selector || 'matchExpressions' in selector
    ? selector
    : { matchLabels: selector as Record<string, string> };
}
