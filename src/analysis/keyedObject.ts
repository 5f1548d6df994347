// ConfigMaps and Secrets are reduced to their key names the moment they are read, wherever they
// come from (watch stream, snapshot file): values never reach analysis, logs or the screen.
import type { KeyedObject, KubeObject } from './k8s';

export function toKeyedObject(object: KubeObject): KeyedObject {
  const { data, binaryData, stringData, metadata, ...rest } = object as KubeObject & {
    data?: Record<string, unknown>;
    binaryData?: Record<string, unknown>;
    stringData?: Record<string, unknown>;
  };
  const keys = [
    ...new Set([
      ...Object.keys(data ?? {}),
      ...Object.keys(binaryData ?? {}),
      ...Object.keys(stringData ?? {}),
    ]),
  ];
  const annotations = { ...(metadata?.annotations ?? {}) };
  // kubectl apply stores the whole object, values included, in this annotation.
  delete annotations['kubectl.kubernetes.io/last-applied-configuration'];
  const { managedFields: _managedFields, ...meta } = metadata ?? {};
  return { ...rest, metadata: { ...meta, annotations }, keys: keys.sort() };
}
