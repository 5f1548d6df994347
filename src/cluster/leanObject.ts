// Every object entering the store passes through here first. Secret and ConfigMap values are
// replaced by their key names at once (analysis needs only "does key X exist"), and the two
// largest fields nobody reads (managedFields, last-applied-configuration) are dropped to keep
// the heap small on big clusters.
import type { KeyedObject, KubeObject } from '../analysis/k8s';
import type { WatchedResource } from './resourceTypes';
import { apiVersionOf } from './resourceTypes';

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

export function leanObject(resource: WatchedResource, raw: KubeObject): KubeObject {
  const object = resource.kind === 'Secret' || resource.kind === 'ConfigMap' ? keyedObject(raw) : raw;
  // List items arrive without apiVersion/kind; analysis and object identity need both.
  object.apiVersion ??= apiVersionOf(resource);
  object.kind ??= resource.kind;
  const metadata = object.metadata;
  if (metadata) {
    delete metadata['managedFields'];
    if (metadata.annotations && LAST_APPLIED in metadata.annotations) {
      const { [LAST_APPLIED]: _dropped, ...rest } = metadata.annotations;
      metadata.annotations = rest;
    }
  }
  return object;
}

/**
 * Builds a new object holding key names only. It copies the fields it keeps instead of
 * deleting from the original, so no code path can forget a value-bearing field
 * (data, binaryData, stringData, or anything a future API adds).
 */
function keyedObject(raw: KubeObject): KeyedObject {
  const keys = new Set<string>();
  for (const field of ['data', 'binaryData', 'stringData']) {
    const values = raw[field];
    if (typeof values === 'object' && values !== null) for (const k of Object.keys(values)) keys.add(k);
  }
  const keyed: KeyedObject = { keys: [...keys].sort() };
  if (raw.apiVersion !== undefined) keyed.apiVersion = raw.apiVersion;
  if (raw.kind !== undefined) keyed.kind = raw.kind;
  if (raw.metadata !== undefined) keyed.metadata = raw.metadata;
  if (typeof raw['type'] === 'string') keyed.type = raw['type'];
  if (typeof raw['immutable'] === 'boolean') keyed['immutable'] = raw['immutable'];
  return keyed;
}
