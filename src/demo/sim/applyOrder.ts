// The order `kubectl apply` users rely on when one directory holds everything: namespaces and
// cluster-scoped policy first, then the configuration pods read, then workloads.
import type { KubeObject } from '../../kube/types';

const rank: Record<string, number> = {
  Namespace: 0,
  PriorityClass: 1,
  StorageClass: 1,
  ServiceAccount: 2,
  ConfigMap: 3,
  Secret: 3,
  PersistentVolume: 4,
  PersistentVolumeClaim: 5,
  Service: 6,
};

export function applyOrder(objects: KubeObject[]): KubeObject[] {
  return objects
    .map((object, index) => ({ object, index }))
    .sort((a, b) => (rank[a.object.kind ?? ''] ?? 9) - (rank[b.object.kind ?? ''] ?? 9) || a.index - b.index)
    .map((x) => x.object);
}

export function objectKeyOf(object: KubeObject): string {
  return `${object.kind ?? '?'} ${object.metadata?.namespace ? `${object.metadata.namespace}/` : ''}${object.metadata?.name ?? '?'}`;
}
