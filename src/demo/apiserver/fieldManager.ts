// Field ownership as kube-apiserver keeps it in `metadata.managedFields`: every write records
// which manager set which fields. An Update (create, PUT, non-apply PATCH) takes the fields it
// changed from whoever owned them. An Apply owns exactly the fields of its configuration, fails
// with 409 Conflict when it would change a value another manager owns (unless forced), and drops
// fields it applied before and no longer applies when nobody else owns them.
import type { KubeObject } from '../../kube/types';
import { StatusError } from './errors';
import type { FieldPath } from './fieldSet';
import { FieldSet, pathString } from './fieldSet';
import { jsonEqual } from './jsonEqual';
import { compare, merge, removeFields, toFieldSet } from './structuredValue';

export interface ManagedFieldsEntry {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  time?: string;
  fieldsType: 'FieldsV1';
  fieldsV1: Record<string, unknown>;
  subresource?: string;
}

export interface Writer {
  manager: string;
  /** The API version the request used (`apps/v1`). */
  apiVersion: string;
  /** RFC 3339, second precision. */
  time: string;
  /** `status` or `scale` for a subresource write: it owns only what that subresource changes. */
  subresource?: string;
}

/** The manager kube-apiserver assigns to fields of an object that had none when first applied to. */
export const BEFORE_FIRST_APPLY = 'before-first-apply';
/** The manager whose applies keep client-side apply's annotation and may take over its fields. */
const KUBECTL_SERVER_SIDE = 'kubectl';
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/** Metadata the server owns; structured-merge-diff never tracks it. */
const SERVER_META = [
  'name',
  'namespace',
  'uid',
  'resourceVersion',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'generation',
  'selfLink',
  'managedFields',
];

interface Manager {
  entry: Omit<ManagedFieldsEntry, 'fieldsV1' | 'fieldsType'>;
  set: FieldSet;
}

/** Managers are told apart by name, operation, subresource and (for updates) API version. */
function identity(
  e: Pick<ManagedFieldsEntry, 'manager' | 'operation' | 'apiVersion' | 'subresource'>,
): string {
  return JSON.stringify([
    e.manager,
    e.operation,
    e.operation === 'Update' ? e.apiVersion : '',
    e.subresource ?? '',
  ]);
}

/** How kube-apiserver names a manager in a conflict: `"kubectl-client-side-apply" using apps/v1`. */
function describe(e: Manager['entry']): string {
  const name = `${JSON.stringify(e.manager)}${e.subresource ? ` with subresource ${JSON.stringify(e.subresource)}` : ''}`;
  return e.operation === 'Update' ? `${name} using ${e.apiVersion}` : name;
}

/**
 * The part of an object that ownership covers: no server-owned metadata; for the main resource of
 * a kind with a status subresource, no status; for the status subresource, only status.
 */
export function ownedPart(
  object: KubeObject | undefined,
  subresource: string | undefined,
  hasStatus: boolean,
): KubeObject {
  if (!object) return {};
  if (subresource === 'status') return 'status' in object ? { status: object['status'] } : {};
  const { apiVersion: _a, kind: _k, metadata, ...rest } = object;
  if (hasStatus) delete rest['status'];
  const meta: Record<string, unknown> = { ...(metadata ?? {}) };
  for (const key of SERVER_META) delete meta[key];
  return Object.keys(meta).length > 0 ? { metadata: meta, ...rest } : rest;
}

function decode(entries: unknown): Map<string, Manager> {
  const managers = new Map<string, Manager>();
  if (!Array.isArray(entries)) return managers;
  for (const raw of entries as Partial<ManagedFieldsEntry>[]) {
    if (!raw || typeof raw.manager !== 'string' || (raw.operation !== 'Apply' && raw.operation !== 'Update'))
      continue;
    const entry: Manager['entry'] = {
      manager: raw.manager,
      operation: raw.operation,
      apiVersion: raw.apiVersion ?? '',
      ...(raw.time ? { time: raw.time } : {}),
      ...(raw.subresource ? { subresource: raw.subresource } : {}),
    };
    managers.set(identity(entry), { entry, set: FieldSet.fromFieldsV1(raw.fieldsV1) });
  }
  return managers;
}

/** Entries in kube-apiserver's order: Apply before Update, then by time, manager, version. */
function encode(managers: Map<string, Manager>): ManagedFieldsEntry[] {
  return [...managers.values()]
    .filter((m) => !m.set.empty)
    .map(({ entry, set }) => ({
      manager: entry.manager,
      operation: entry.operation,
      apiVersion: entry.apiVersion,
      ...(entry.time ? { time: entry.time } : {}),
      fieldsType: 'FieldsV1' as const,
      fieldsV1: set.toFieldsV1(),
      ...(entry.subresource ? { subresource: entry.subresource } : {}),
    }))
    .sort(
      (a, b) =>
        a.operation.localeCompare(b.operation) ||
        (a.time ?? '').localeCompare(b.time ?? '') ||
        a.manager.localeCompare(b.manager) ||
        a.apiVersion.localeCompare(b.apiVersion) ||
        (a.subresource ?? '').localeCompare(b.subresource ?? ''),
    );
}

const managedFieldsOf = (object: KubeObject | undefined): unknown => object?.metadata?.['managedFields'];

/**
 * The managedFields after an Update by `writer` from `live` (undefined: a create) to `next`. A
 * request that sends managedFields different from the live ones replaces them, as kube-apiserver
 * lets a client reset ownership; otherwise the live ones carry on.
 */
export function recordUpdate(
  kind: string,
  live: KubeObject | undefined,
  next: KubeObject,
  writer: Writer,
  hasStatus: boolean,
): ManagedFieldsEntry[] {
  const sent = managedFieldsOf(next);
  const managers = decode(
    sent !== undefined && !jsonEqual(sent, managedFieldsOf(live)) ? sent : managedFieldsOf(live),
  );
  const changes = compare(
    kind,
    ownedPart(live, writer.subresource, hasStatus),
    ownedPart(next, writer.subresource, hasStatus),
  );
  const taken = changes.added.union(changes.modified);
  const entry: Manager['entry'] = {
    manager: writer.manager,
    operation: 'Update',
    apiVersion: writer.apiVersion,
    ...(writer.subresource ? { subresource: writer.subresource } : {}),
  };
  const id = identity(entry);
  for (const [key, m] of managers) {
    if (key !== id) m.set = m.set.difference(taken).difference(changes.removed);
  }
  const own = managers.get(id);
  const set = (own?.set ?? new FieldSet()).difference(changes.removed).union(taken);
  const changed = !taken.empty || !changes.removed.empty;
  managers.set(id, {
    entry: { ...entry, ...(changed || !own?.entry.time ? { time: writer.time } : { time: own.entry.time }) },
    set,
  });
  return encode(managers);
}

/**
 * Server-side apply of `config` by `writer` onto `live` (undefined: the object is created). Throws
 * the 409 Conflict kube-apiserver sends when another manager owns a field whose value would change,
 * unless `force`, which takes those fields over. Answers the merged object with its managedFields.
 */
export function applyConfiguration(
  kind: string,
  live: KubeObject | undefined,
  config: KubeObject,
  writer: Writer,
  hasStatus: boolean,
  force: boolean,
): KubeObject {
  const managers = decode(managedFieldsOf(live));
  if (live && managers.size === 0) {
    const entry = {
      manager: BEFORE_FIRST_APPLY,
      operation: 'Update' as const,
      apiVersion: writer.apiVersion,
    };
    managers.set(identity(entry), { entry, set: toFieldSet(kind, ownedPart(live, undefined, hasStatus)) });
  }
  const entry: Manager['entry'] = {
    manager: writer.manager,
    operation: 'Apply',
    apiVersion: writer.apiVersion,
    time: writer.time,
  };
  const id = identity(entry);
  const applied = ownedPart(config, undefined, hasStatus);
  const set = toFieldSet(kind, applied);
  const lastSet = managers.get(id)?.set ?? new FieldSet();
  managers.set(id, { entry, set });

  let merged: KubeObject;
  if (live) merged = merge(kind, live, applied) as KubeObject;
  else {
    merged = structuredClone(config);
    if (hasStatus) delete merged['status'];
  }
  // What this manager applied before and applies no more goes, unless someone else owns it.
  const dropped = FieldSet.fromPaths(
    lastSet
      .difference(set)
      .paths()
      .filter(
        (path) => !set.hasUnder(path) && ![...managers].some(([k, m]) => k !== id && m.set.hasUnder(path)),
      ),
  );
  if (!dropped.empty) merged = removeFields(kind, merged, dropped) as KubeObject;

  const changes = compare(
    kind,
    ownedPart(live, undefined, hasStatus),
    ownedPart(merged, undefined, hasStatus),
  );
  const changed = changes.added.union(changes.modified);
  const conflicts = new Map<string, FieldSet>();
  for (const [key, m] of managers) {
    if (key === id) continue;
    const clash = m.set.intersection(changed);
    if (!clash.empty) conflicts.set(key, clash);
  }
  if (conflicts.size > 0 && !force) {
    const allowed =
      writer.manager === KUBECTL_SERVER_SIDE ? clientSideApplied(kind, live, hasStatus) : undefined;
    const remaining = [...conflicts].flatMap(([key, clash]) =>
      clash
        .paths()
        .filter((path) => !allowed?.has(path))
        .map((path) => ({ manager: managers.get(key)!.entry, path })),
    );
    if (remaining.length > 0) throw applyConflict(remaining);
  }
  for (const [key, m] of managers) {
    if (key === id) continue;
    m.set = m.set.difference(conflicts.get(key) ?? new FieldSet()).difference(changes.removed);
  }
  const meta = { ...(merged.metadata ?? {}) };
  // kubectl's own server-side apply keeps client-side apply's record in step, so a later
  // client-side `kubectl apply` computes its patch from what was really applied last.
  if (writer.manager === KUBECTL_SERVER_SIDE && meta.annotations?.[LAST_APPLIED] !== undefined) {
    meta.annotations = {
      ...meta.annotations,
      [LAST_APPLIED]: `${JSON.stringify(withoutManagedFields(config))}\n`,
    };
  }
  meta['managedFields'] = encode(managers);
  return { ...merged, metadata: meta };
}

function withoutManagedFields(config: KubeObject): KubeObject {
  const meta = { ...(config.metadata ?? {}) };
  delete meta['managedFields'];
  return { ...config, metadata: meta };
}

/**
 * The fields client-side `kubectl apply` last set and that still hold those values: kubectl's
 * server-side apply may take them over without a conflict (the upgrade from client-side apply).
 */
function clientSideApplied(
  kind: string,
  live: KubeObject | undefined,
  hasStatus: boolean,
): FieldSet | undefined {
  const text = live?.metadata?.annotations?.[LAST_APPLIED];
  if (!text) return undefined;
  let lastApplied: KubeObject;
  try {
    lastApplied = JSON.parse(text) as KubeObject;
  } catch {
    return undefined;
  }
  const last = ownedPart(lastApplied, undefined, hasStatus);
  const changes = compare(kind, ownedPart(live, undefined, hasStatus), last);
  return toFieldSet(kind, last)
    .difference(changes.modified)
    .difference(changes.added)
    .difference(changes.removed);
}

/** kube-apiserver's 409 for apply conflicts, one cause per conflicting field. */
function applyConflict(conflicts: { manager: Manager['entry']; path: FieldPath }[]): StatusError {
  const causes = conflicts.map((c) => ({
    reason: 'FieldManagerConflict',
    message: `conflict with ${describe(c.manager)}`,
    field: pathString(c.path),
  }));
  let message: string;
  if (conflicts.length === 1) {
    message = `Apply failed with 1 conflict: ${causes[0]!.message}: ${causes[0]!.field}`;
  } else {
    const byManager = new Map<string, string[]>();
    for (const c of conflicts) {
      const name = describe(c.manager);
      byManager.set(name, [...(byManager.get(name) ?? []), pathString(c.path)]);
    }
    const lines = [...byManager.keys()]
      .sort()
      .flatMap((name) => [`conflicts with ${name}:`, ...byManager.get(name)!.map((p) => `- ${p}`)]);
    message = `Apply failed with ${conflicts.length} conflicts: ${lines.join('\n')}`;
  }
  return new StatusError(409, 'Conflict', message, { causes });
}
