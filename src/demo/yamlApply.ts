// `kubectl apply -f` for the demo, straight into the store: parse multi-document YAML, apply
// cluster-wide and configuration objects before the workloads that need them, default what the
// API server defaults, admit bare pods, and update objects that already exist.
import { parseAllDocuments } from 'yaml';
import type { KubeObject } from '../kube/types';
import type { ObjectStore } from './objectStore';
import { objectKeyOf, applyOrder } from './sim/applyOrder';
import { canonicalJson } from './sim/names';
import { defaultObject } from '../kube/defaults';
import { admitPod } from './sim/podAdmission';
import { recordUpdate } from './apiserver/fieldManager';
import type { Writer } from './apiserver/fieldManager';
import { storedResource } from './apiserver/resources';
import { rfc3339 } from '../kube/timeFormat';

const lastApplied = 'kubectl.kubernetes.io/last-applied-configuration';
/** The field manager client-side `kubectl apply` sends with its create and patch requests. */
export const CLIENT_SIDE_APPLY = 'kubectl-client-side-apply';

export interface ApplyResult {
  /** `deployment.apps/nginx-deployment` */
  ref: string;
  action: 'created' | 'configured' | 'unchanged';
}

export class ManifestError extends Error {
  constructor(
    readonly source: string,
    message: string,
  ) {
    super(`${source}: ${message}`);
    this.name = 'ManifestError';
  }
}

/** Every object in `text`, Lists flattened; empty documents skipped. */
export function parseManifests(text: string, source = '<input>'): KubeObject[] {
  const out: KubeObject[] = [];
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length > 0) throw new ManifestError(source, doc.errors[0]!.message);
    const value = doc.toJS() as unknown;
    if (value === null || value === undefined) continue;
    if (typeof value !== 'object' || Array.isArray(value))
      throw new ManifestError(source, 'a manifest must be a mapping');
    const object = value as KubeObject;
    if (object.kind === 'List' && Array.isArray(object['items']))
      out.push(...(object['items'] as KubeObject[]));
    else out.push(object);
  }
  for (const object of out) {
    if (!object.apiVersion || !object.kind)
      throw new ManifestError(source, "Object 'Kind' is missing or apiVersion is missing");
    if (!object.metadata?.name) throw new ManifestError(source, `${object.kind}: metadata.name is required`);
  }
  return out;
}

function resourceRef(store: ObjectStore, object: KubeObject): string {
  const type = store.typeOf(object.kind ?? '');
  const group = type?.group ? `.${type.group}` : '';
  return `${(object.kind ?? '').toLowerCase()}${group}/${object.metadata?.name ?? ''}`;
}

/** `object` with managedFields recording this write as client-side `kubectl apply`'s Update. */
function owned(live: KubeObject | undefined, object: KubeObject, time: number): KubeObject {
  const kind = object.kind ?? '';
  const writer: Writer = {
    manager: CLIENT_SIDE_APPLY,
    apiVersion: object.apiVersion ?? '',
    time: rfc3339(time),
  };
  const hasStatus = storedResource(kind)?.subresources.some((s) => s.name === 'status') ?? false;
  const managedFields = recordUpdate(kind, live, object, writer, hasStatus);
  return { ...object, metadata: { ...object.metadata, managedFields } };
}

/**
 * Applies `objects` in dependency order; `random` names the kube-api-access volume of bare pods;
 * `now` stamps the managedFields entries.
 */
export function applyObjects(
  store: ObjectStore,
  objects: KubeObject[],
  defaultNamespace = 'default',
  random: () => number = Math.random,
  now: () => number = Date.now,
): ApplyResult[] {
  const results: ApplyResult[] = [];
  for (const raw of applyOrder(objects)) {
    const type = store.typeOf(raw.kind ?? '');
    if (!type)
      throw new ManifestError(
        objectKeyOf(raw),
        `no matches for kind "${raw.kind}" in version "${raw.apiVersion}"`,
      );
    const namespace = type.namespaced ? (raw.metadata?.namespace ?? defaultNamespace) : undefined;
    if (namespace && store.typeOf('Namespace') && !store.get('Namespace', undefined, namespace)) {
      throw new ManifestError(objectKeyOf(raw), `namespaces "${namespace}" not found`);
    }
    const withNamespace = { ...raw, metadata: { ...raw.metadata, ...(namespace ? { namespace } : {}) } };
    // What client-side `kubectl apply` records, so a later `kubectl apply` can compute its patch.
    const annotations = {
      ...(raw.metadata?.annotations ?? {}),
      [lastApplied]: `${JSON.stringify(withNamespace)}\n`,
    };
    const object = defaultObject({ ...withNamespace, metadata: { ...withNamespace.metadata, annotations } });
    const ref = resourceRef(store, object);
    const existing = store.get(type.kind, namespace, object.metadata?.name ?? '');
    if (!existing) {
      store.create(owned(undefined, type.kind === 'Pod' ? admitPod(store, object, random) : object, now()));
      results.push({ ref, action: 'created' });
      continue;
    }
    const { metadata: _m, status: _s, ...body } = object;
    const { metadata: _em, status: _es, ...existingBody } = existing;
    const sameBody = Object.keys(body).every(
      (k) => canonicalJson(body[k]) === canonicalJson(existingBody[k]),
    );
    const sameMeta =
      JSON.stringify(object.metadata?.labels ?? {}) === JSON.stringify(existing.metadata?.labels ?? {}) &&
      JSON.stringify(object.metadata?.annotations ?? {}) ===
        JSON.stringify(existing.metadata?.annotations ?? {});
    if ((sameBody && sameMeta) || type.kind === 'Pod') {
      results.push({ ref, action: 'unchanged' });
      continue;
    }
    const next: KubeObject = {
      ...existing,
      ...body,
      metadata: {
        ...existing.metadata,
        labels: object.metadata?.labels,
        annotations: object.metadata?.annotations,
        resourceVersion: undefined,
      },
    };
    store.update(owned(existing, next, now()));
    results.push({ ref, action: 'configured' });
  }
  return results;
}

export function applyYaml(
  store: ObjectStore,
  text: string,
  source?: string,
  random?: () => number,
  now?: () => number,
): ApplyResult[] {
  return applyObjects(store, parseManifests(text, source), 'default', random, now);
}
