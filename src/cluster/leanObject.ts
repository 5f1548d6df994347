// Every object entering the store passes through here first. Secret and ConfigMap values are
// replaced by their key names at once (analysis needs only "does key X exist"), and the two
// largest fields nobody reads (managedFields, last-applied-configuration) are dropped to keep
// the heap small on big clusters.
import type { KubeObject } from '../kube/types';
import { toKeyedObject, withoutBulkyMetadata } from '../kube/keyedObject';
import type { WatchedResource } from './resourceTypes';
import { apiVersionOf } from './resourceTypes';

export function leanObject(resource: WatchedResource, raw: KubeObject): KubeObject {
  const object: KubeObject =
    resource.kind === 'Secret' || resource.kind === 'ConfigMap'
      ? toKeyedObject(raw)
      : raw.metadata
        ? { ...raw, metadata: withoutBulkyMetadata(raw.metadata) }
        : raw;
  // List items arrive without apiVersion/kind; analysis and object identity need both.
  object.apiVersion ??= apiVersionOf(resource);
  object.kind ??= resource.kind;
  return object;
}
