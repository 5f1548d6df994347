// ConfigMaps and Secrets are reduced to their key names the moment they are read, wherever they
// come from (watch stream, snapshot file): values never reach analysis, logs or the screen.
import type { KeyedObject, KubeObject, ObjectMeta } from './types';

// kubectl apply stores the whole object, values included, in this annotation.
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/**
 * Builds a new object holding key names only. It copies the fields it keeps instead of deleting
 * from the original, so no code path can forget a value-bearing field (data, binaryData,
 * stringData, or anything a future API adds).
 */
export function toKeyedObject(raw: KubeObject): KeyedObject {
  const keys = new Set<string>();
  for (const field of ['data', 'binaryData', 'stringData']) {
    const values = raw[field];
    if (typeof values === 'object' && values !== null) for (const k of Object.keys(values)) keys.add(k);
  }
  const keyed: KeyedObject = { keys: [...keys].sort() };
  if (raw.apiVersion !== undefined) keyed.apiVersion = raw.apiVersion;
  if (raw.kind !== undefined) keyed.kind = raw.kind;
  if (raw.metadata !== undefined) keyed.metadata = withoutBulkyMetadata(raw.metadata);
  if (typeof raw['type'] === 'string') keyed.type = raw['type'];
  if (typeof raw['immutable'] === 'boolean') keyed['immutable'] = raw['immutable'];
  return keyed;
}

/** Metadata without managedFields and the last-applied annotation: large, unread, and for Secrets value-bearing. */
export function withoutBulkyMetadata(metadata: ObjectMeta): ObjectMeta {
  const { managedFields: _managedFields, ...rest } = metadata;
  if (rest.annotations && LAST_APPLIED in rest.annotations) {
    const { [LAST_APPLIED]: _dropped, ...annotations } = rest.annotations;
    rest.annotations = annotations;
  }
  return rest;
}
