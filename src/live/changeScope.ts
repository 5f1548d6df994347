// Whether a store batch matters to a set of objects (the objects an open manifest defines): it
// changed one of them, changed the findings of one, or changed something they own, down to their
// pods and the pods' events. A pod restarting between crashes changes no finding, yet the line
// that shows its workload's live state must follow it.
import type { ClusterView, KindName } from '../kube/clusterView';
import { KIND_NAMES } from '../kube/clusterView';
import { refKey } from '../kube/objectRef';
import { topController } from '../kube/ownership';
import type { KubeObject } from '../kube/types';
import type { LiveContextChange } from './liveContext';

/** `keys` are `Kind/namespace/name` (refKey). */
export function changeTouches(
  view: ClusterView,
  keys: ReadonlySet<string>,
  change: LiveContextChange,
): boolean {
  if (change.owners.some((owner) => keys.has(refKey(owner)))) return true;
  return change.objects.some(({ kind, object }) => {
    const subject = kind === 'Event' ? involvedObject(view, object) : { kind, object };
    if (!subject) return false;
    const key = `${subject.kind}/${subject.object.metadata?.namespace ?? ''}/${subject.object.metadata?.name ?? ''}`;
    if (keys.has(key)) return true;
    const top = topController(view, subject.object);
    return top !== undefined && keys.has(refKey(top));
  });
}

function involvedObject(
  view: ClusterView,
  event: KubeObject,
): { kind: string; object: KubeObject } | undefined {
  const ref = (event as { involvedObject?: { kind?: string; namespace?: string; name?: string } })
    .involvedObject;
  if (!ref?.kind || !ref.name) return undefined;
  const live = KIND_NAMES.includes(ref.kind as KindName)
    ? view.get(ref.kind as KindName, ref.namespace, ref.name)
    : undefined;
  return {
    kind: ref.kind,
    object: live ?? { metadata: { name: ref.name, ...(ref.namespace ? { namespace: ref.namespace } : {}) } },
  };
}
