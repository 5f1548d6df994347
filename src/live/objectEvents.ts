// The events that tell an object's story: its own, and those of the objects it owns down to its
// pods (a Deployment's ReplicaSets and their pods, a CronJob's Jobs and theirs). What the events
// document and the troubleshooting report list for a workload.
import type { ClusterView, KindName } from '../kube/clusterView';
import type { KubeEvent, KubeObject } from '../kube/types';

/** The object and everything it owns, at most three levels down (CronJob → Job → Pod). */
export function objectFamily(
  view: ClusterView,
  kind: string,
  object: KubeObject,
): { kind: string; object: KubeObject }[] {
  const family = [{ kind, object }];
  let level = [object];
  for (let depth = 0; depth < 3 && level.length > 0; depth++) {
    const next: KubeObject[] = [];
    for (const parent of level) {
      const uid = parent.metadata?.uid;
      if (!uid) continue;
      for (const child of view.ownedBy(uid)) {
        family.push({ kind: child.kind ?? 'Pod', object: child });
        next.push(child);
      }
    }
    level = next;
  }
  return family;
}

export function objectEvents(
  view: ClusterView,
  kind: KindName,
  namespace: string | undefined,
  name: string,
): KubeEvent[] {
  const object = view.get(kind, namespace, name);
  if (!object) return [...view.eventsFor(kind, namespace, name)];
  return objectFamily(view, kind, object).flatMap(({ kind: k, object: o }) =>
    view.eventsFor(k, o.metadata?.namespace, o.metadata?.name ?? ''),
  );
}
