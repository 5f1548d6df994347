// The demo cluster's etcd: every object of every served type, one global resourceVersion
// counter, and synchronous change notification for the HTTP watch layer and the simulation.
// Stored objects are deep-frozen so a reader can never change the cluster behind the store's
// back; callers copy (structuredClone) before editing and write the copy back.
import { randomUUID } from 'node:crypto';
import type { KubeObject, ObjectMeta } from '../kube/types';
import { alreadyExists, conflict, invalid, notFound, STALE_OBJECT, StatusError } from './apiserver/errors';
import { jsonEqual } from './apiserver/jsonEqual';
import { apiVersionOf, storedResource } from './apiserver/resources';
import type { Clock } from './clock';
import { rfc3339 } from '../kube/timeFormat';
import type { DeleteOptions, ObjectStore, ResourceType, StoreEvent } from './objectStore';

/** Kinds whose metadata.generation kube-apiserver 1.32 maintains (it does not for pods yet). */
const GENERATION_KINDS = new Set([
  'Deployment',
  'ReplicaSet',
  'StatefulSet',
  'DaemonSet',
  'Job',
  'CronJob',
  'NetworkPolicy',
]);

/** The alphabet of generateName suffixes (k8s.io/apimachinery/pkg/util/rand): no vowels, no look-alikes. */
const SUFFIX_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

interface KindTable {
  type: ResourceType;
  byKey: Map<string, KubeObject>;
  /** Objects ordered by namespace/name as etcd lists them; rebuilt lazily after creates and deletes. */
  sorted: KubeObject[] | undefined;
}

export interface MemoryStoreOptions {
  clock: Clock;
  /** Random source for generateName suffixes; tests pass a seeded one for stable names. */
  random?: () => number;
}

const objectKey = (namespace: string | undefined, name: string): string => `${namespace ?? ''}/${name}`;

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value as object)) deepFreeze(child);
  }
  return value;
}

export class MemoryStore implements ObjectStore {
  private readonly tables = new Map<string, KindTable>();
  /** uid → kind and key, for owner lookups during garbage collection. */
  private readonly byUid = new Map<string, { kind: string; key: string }>();
  /** owner uid → dependents (kind and key). */
  private readonly dependents = new Map<string, Set<string>>();
  private readonly listeners = new Set<(event: StoreEvent) => void>();
  private readonly pending: StoreEvent[] = [];
  private emitting = false;
  private revision = 1;
  private readonly clock: Clock;
  private readonly random: () => number;

  constructor(options: MemoryStoreOptions) {
    this.clock = options.clock;
    this.random = options.random ?? Math.random;
  }

  typeOf(kind: string): ResourceType | undefined {
    const info = storedResource(kind);
    return (
      info && {
        group: info.group,
        version: info.version,
        resource: info.resource,
        kind: info.kind,
        namespaced: info.namespaced,
      }
    );
  }

  get(kind: string, namespace: string | undefined, name: string): KubeObject | undefined {
    const table = this.tables.get(kind);
    return table?.byKey.get(objectKey(table.type.namespaced ? namespace : undefined, name));
  }

  /** Objects of a kind ordered by namespace, then name (etcd key order), optionally in one namespace. */
  list(kind: string, namespace?: string): KubeObject[] {
    const table = this.tables.get(kind);
    if (!table) return [];
    const sorted = this.sorted(table);
    if (namespace === undefined || !table.type.namespaced) return sorted.slice();
    return sorted.filter((o) => o.metadata?.namespace === namespace);
  }

  /** Number of stored objects of a kind, without copying them. */
  count(kind: string): number {
    return this.tables.get(kind)?.byKey.size ?? 0;
  }

  /**
   * Keeps a uid and creationTimestamp the object already carries, so scenarios can seed pods that
   * are minutes old; the HTTP layer strips both from client requests, as kube-apiserver ignores them.
   */
  create(object: KubeObject): KubeObject {
    const table = this.table(object.kind);
    const type = table.type;
    const copy = structuredClone(object);
    const meta: ObjectMeta = (copy.metadata ??= {});
    if (type.namespaced) meta.namespace ||= 'default';
    else delete meta.namespace;
    if (!meta.name && meta.generateName) meta.name = meta.generateName + this.suffix();
    if (!meta.name) {
      throw invalid(type.kind, '', type.group, [
        {
          field: 'metadata.name',
          message: 'Required value: name or generateName is required',
          reason: 'FieldValueRequired',
        },
      ]);
    }
    const key = objectKey(meta.namespace, meta.name);
    if (table.byKey.has(key)) throw alreadyExists(type, meta.name);
    copy.apiVersion = apiVersionOf(type);
    copy.kind = type.kind;
    meta.uid ||= randomUUID();
    meta.creationTimestamp ||= rfc3339(this.clock.now());
    if (GENERATION_KINDS.has(type.kind)) meta.generation = 1;
    else delete meta.generation;
    delete meta.deletionTimestamp;
    return this.commit(table, key, copy, 'ADDED', undefined);
  }

  update(object: KubeObject): KubeObject {
    const table = this.table(object.kind);
    const { existing, key } = this.existing(table, object);
    const copy = structuredClone(object);
    const meta: ObjectMeta = (copy.metadata ??= {});
    copy.apiVersion = apiVersionOf(table.type);
    copy.kind = table.type.kind;
    this.keepImmutableMeta(meta, existing.metadata ?? {});
    if (GENERATION_KINDS.has(table.type.kind)) {
      const generation = existing.metadata?.generation ?? 1;
      meta.generation = jsonEqual(existing['spec'], copy['spec']) ? generation : generation + 1;
    }
    return this.commit(table, key, copy, 'MODIFIED', existing);
  }

  updateStatus(object: KubeObject): KubeObject {
    const table = this.table(object.kind);
    const { existing, key } = this.existing(table, object);
    const copy: KubeObject = { ...structuredClone(existing) };
    if ('status' in object) copy['status'] = structuredClone(object['status']);
    else delete copy['status'];
    // The status subresource records its writer's ownership of status fields, and nothing else.
    const managedFields = object.metadata?.['managedFields'];
    if (managedFields !== undefined && copy.metadata)
      copy.metadata['managedFields'] = structuredClone(managedFields);
    return this.commit(table, key, copy, 'MODIFIED', existing);
  }

  delete(
    kind: string,
    namespace: string | undefined,
    name: string,
    options?: DeleteOptions,
  ): KubeObject | undefined {
    const table = this.tables.get(kind);
    if (!table) return undefined;
    const key = objectKey(table.type.namespaced ? namespace : undefined, name);
    const existing = table.byKey.get(key);
    if (!existing) return undefined;
    table.byKey.delete(key);
    table.sorted = undefined;
    const uid = existing.metadata?.uid;
    if (uid) this.byUid.delete(uid);
    this.unindexOwners(kind, key, existing);
    const deleted = deepFreeze({
      ...existing,
      metadata: { ...existing.metadata, resourceVersion: String(++this.revision) },
    });
    this.emit({ type: 'DELETED', resource: table.type, object: deleted, oldObject: existing });
    if (kind === 'Namespace') this.deleteNamespaceContents(name);
    if (uid) this.collectDependents(uid, options?.propagationPolicy ?? 'Background');
    return deleted;
  }

  subscribe(listener: (event: StoreEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  resourceVersion(): string {
    return String(this.revision);
  }

  private table(kind: string | undefined): KindTable {
    const type = kind ? this.typeOf(kind) : undefined;
    if (!kind || !type)
      throw new StatusError(400, 'BadRequest', `no kind "${kind ?? ''}" is registered in the demo cluster`);
    let table = this.tables.get(kind);
    if (!table) {
      table = { type, byKey: new Map(), sorted: undefined };
      this.tables.set(kind, table);
    }
    return table;
  }

  private existing(table: KindTable, object: KubeObject): { existing: KubeObject; key: string } {
    const meta = object.metadata ?? {};
    const name = meta.name ?? '';
    const key = objectKey(table.type.namespaced ? meta.namespace || 'default' : undefined, name);
    const existing = table.byKey.get(key);
    if (!existing) throw notFound(table.type, name);
    if (meta.resourceVersion && meta.resourceVersion !== existing.metadata?.resourceVersion) {
      throw conflict(table.type, name, STALE_OBJECT);
    }
    if (meta.uid && meta.uid !== existing.metadata?.uid) {
      throw conflict(
        table.type,
        name,
        `Precondition failed: UID in precondition: ${meta.uid}, UID in object meta: ${existing.metadata?.uid ?? ''}`,
      );
    }
    return { existing, key };
  }

  private keepImmutableMeta(meta: ObjectMeta, old: ObjectMeta): void {
    meta.name = old.name;
    if (old.namespace !== undefined) meta.namespace = old.namespace;
    else delete meta.namespace;
    meta.uid = old.uid;
    meta.creationTimestamp = old.creationTimestamp;
    if (old.deletionTimestamp && !meta.deletionTimestamp) meta.deletionTimestamp = old.deletionTimestamp;
    if (old.generateName !== undefined) meta.generateName = old.generateName;
  }

  private commit(
    table: KindTable,
    key: string,
    object: KubeObject,
    type: 'ADDED' | 'MODIFIED',
    old: KubeObject | undefined,
  ): KubeObject {
    const meta = object.metadata as ObjectMeta;
    meta.resourceVersion = String(++this.revision);
    deepFreeze(object);
    table.byKey.set(key, object);
    if (old) {
      this.unindexOwners(table.type.kind, key, old);
      this.replaceSorted(table, old, object);
    } else {
      table.sorted = undefined;
      if (meta.uid) this.byUid.set(meta.uid, { kind: table.type.kind, key });
    }
    this.indexOwners(table.type.kind, key, object);
    this.emit(
      old ? { type, resource: table.type, object, oldObject: old } : { type, resource: table.type, object },
    );
    return object;
  }

  private sorted(table: KindTable): KubeObject[] {
    table.sorted ??= [...table.byKey.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, o]) => o);
    return table.sorted;
  }

  private replaceSorted(table: KindTable, old: KubeObject, next: KubeObject): void {
    const sorted = table.sorted;
    if (!sorted) return;
    const key = objectKey(old.metadata?.namespace, old.metadata?.name ?? '');
    let lo = 0;
    let hi = sorted.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const candidate = sorted[mid] as KubeObject;
      const midKey = objectKey(candidate.metadata?.namespace, candidate.metadata?.name ?? '');
      if (midKey === key) {
        sorted[mid] = next;
        return;
      }
      if (midKey < key) lo = mid + 1;
      else hi = mid - 1;
    }
    table.sorted = undefined;
  }

  private indexOwners(kind: string, key: string, object: KubeObject): void {
    for (const owner of object.metadata?.ownerReferences ?? []) {
      let set = this.dependents.get(owner.uid);
      if (!set) this.dependents.set(owner.uid, (set = new Set()));
      set.add(`${kind}\u0000${key}`);
    }
  }

  private unindexOwners(kind: string, key: string, object: KubeObject): void {
    for (const owner of object.metadata?.ownerReferences ?? []) {
      const set = this.dependents.get(owner.uid);
      set?.delete(`${kind}\u0000${key}`);
      if (set?.size === 0) this.dependents.delete(owner.uid);
    }
  }

  /**
   * The garbage collector's background pass: a dependent goes once none of its owners exist;
   * `Orphan` strips the owner reference instead.
   */
  private collectDependents(ownerUid: string, policy: NonNullable<DeleteOptions['propagationPolicy']>): void {
    const set = this.dependents.get(ownerUid);
    if (!set) return;
    for (const ref of [...set]) {
      const [kind, key] = ref.split('\u0000') as [string, string];
      const dependent = this.tables.get(kind)?.byKey.get(key);
      if (!dependent) continue;
      const meta = dependent.metadata ?? {};
      if (policy === 'Orphan') {
        const copy = structuredClone(dependent);
        const owners = (copy.metadata?.ownerReferences ?? []).filter((o) => o.uid !== ownerUid);
        if (copy.metadata) {
          if (owners.length) copy.metadata.ownerReferences = owners;
          else delete copy.metadata.ownerReferences;
        }
        this.update({ ...copy, metadata: { ...copy.metadata, resourceVersion: undefined } });
        continue;
      }
      const alive = (meta.ownerReferences ?? []).some((o) => o.uid !== ownerUid && this.byUid.has(o.uid));
      if (!alive) this.delete(kind, meta.namespace, meta.name ?? '', { propagationPolicy: 'Background' });
    }
    this.dependents.delete(ownerUid);
  }

  /** The namespace controller's job, done at once: a deleted namespace takes its objects with it. */
  private deleteNamespaceContents(namespace: string): void {
    for (const table of this.tables.values()) {
      if (!table.type.namespaced) continue;
      for (const object of this.list(table.type.kind, namespace)) {
        this.delete(table.type.kind, namespace, object.metadata?.name ?? '');
      }
    }
  }

  /**
   * Delivers events in resourceVersion order even when a listener writes while being notified:
   * nested writes queue behind the event being delivered.
   */
  private emit(event: StoreEvent): void {
    this.pending.push(event);
    if (this.emitting) return;
    this.emitting = true;
    try {
      for (let next = this.pending.shift(); next; next = this.pending.shift()) {
        for (const listener of [...this.listeners]) listener(next);
      }
    } finally {
      this.emitting = false;
    }
  }

  private suffix(): string {
    let out = '';
    for (let i = 0; i < 5; i++)
      out += SUFFIX_ALPHABET[Math.floor(this.random() * SUFFIX_ALPHABET.length)] ?? 'x';
    return out;
  }
}
