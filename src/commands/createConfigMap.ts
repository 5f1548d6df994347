// podscope.configMap.create { context, namespace, name, keys }: the configmap-missing quick fix
// "Create ConfigMap in the cluster" (confirmed first), then the waiting pods are watched.
import type { CreateConfigMapArgs, ManifestApplier } from '../services/manifestApplier';

export function createConfigMap(applier: ManifestApplier) {
  return (args?: unknown) => applier.createConfigMap((args ?? {}) as CreateConfigMapArgs);
}
