// "What ran before": a fix that restores the image or command of a revision that worked is the
// most likely right answer, and the cluster still holds it in older ReplicaSets (Deployments),
// in sibling pods of another revision (StatefulSets, DaemonSets), or in earlier Jobs (CronJobs).
import type { ClusterView } from '../../kube/clusterView';
import type { Container, ContainerStatus, Job, Pod, PodSpec, ReplicaSet } from '../../kube/types';
import { controllerOf } from '../../kube/ownership';
import type { ContainerKind } from './eventText';

export interface RanBefore {
  container: Container;
  /** `ReplicaSet shop/checkout-5c7b8d9f4 (revision 6)`, for the fix title and evidence. */
  source: string;
}

const REVISION = 'deployment.kubernetes.io/revision';

function pick(spec: PodSpec | undefined, kind: ContainerKind, name: string): Container | undefined {
  const list =
    kind === 'initContainers'
      ? spec?.initContainers
      : kind === 'containers'
        ? spec?.containers
        : spec?.ephemeralContainers;
  return list?.find((c) => c.name === name);
}

function ran(status: ContainerStatus | undefined): boolean {
  return (
    status !== undefined &&
    (status.ready ||
      status.state?.running !== undefined ||
      (status.state?.terminated?.exitCode === 0 && status.state.terminated.reason === 'Completed'))
  );
}

function podRan(pod: Pod, kind: ContainerKind, name: string): boolean {
  const statuses =
    kind === 'initContainers' ? pod.status?.initContainerStatuses : pod.status?.containerStatuses;
  return ran(statuses?.find((s) => s.name === name));
}

/**
 * The newest other revision of the pod's workload whose container `name` ran, and whose spec for it
 * passes `differs` (so the fix changes something). Index lookups only: owner, then the owner's children.
 */
export function ranBefore(
  pod: Pod,
  view: ClusterView,
  kind: ContainerKind,
  name: string,
  differs: (candidate: Container) => boolean,
): RanBefore | undefined {
  const namespace = pod.metadata?.namespace;
  const owner = controllerOf(pod);
  if (!owner) return undefined;

  if (owner.kind === 'ReplicaSet') {
    const rs = view.get('ReplicaSet', namespace, owner.name);
    const deployment = rs && controllerOf(rs);
    if (!deployment || deployment.kind !== 'Deployment') return undefined;
    const siblings = (view.ownedBy(deployment.uid) as ReplicaSet[])
      .filter(
        (o) => (o.kind ?? 'ReplicaSet') === 'ReplicaSet' && o.metadata?.uid !== owner.uid && o.spec?.template,
      )
      .sort(
        (a, b) =>
          Number(b.metadata?.annotations?.[REVISION] ?? 0) - Number(a.metadata?.annotations?.[REVISION] ?? 0),
      );
    for (const sibling of siblings) {
      const candidate = pick(sibling.spec?.template?.spec, kind, name);
      if (!candidate || !differs(candidate)) continue;
      const worked =
        (sibling.status?.availableReplicas ?? sibling.status?.readyReplicas ?? 0) > 0 ||
        (view.ownedBy(sibling.metadata?.uid ?? '') as Pod[]).some((p) => podRan(p, kind, name));
      if (!worked) continue;
      const revision = sibling.metadata?.annotations?.[REVISION];
      return {
        container: candidate,
        source: `ReplicaSet ${namespace ?? ''}/${sibling.metadata?.name ?? ''}${revision ? ` (revision ${revision})` : ''}`,
      };
    }
    return undefined;
  }

  if (owner.kind === 'Job') {
    const job = view.get('Job', namespace, owner.name);
    const cronJob = job && controllerOf(job);
    if (!cronJob || cronJob.kind !== 'CronJob') return undefined;
    const jobs = (view.ownedBy(cronJob.uid) as Job[])
      .filter((j) => j.metadata?.uid !== owner.uid && (j.status?.succeeded ?? 0) > 0)
      .sort((a, b) =>
        (b.metadata?.creationTimestamp ?? '').localeCompare(a.metadata?.creationTimestamp ?? ''),
      );
    for (const other of jobs) {
      const candidate = pick(other.spec?.template?.spec, kind, name);
      if (candidate && differs(candidate))
        return { container: candidate, source: `Job ${namespace ?? ''}/${other.metadata?.name ?? ''}` };
    }
    return undefined;
  }

  // StatefulSet and DaemonSet pods of an older revision are siblings under the same owner.
  for (const sibling of view.ownedBy(owner.uid) as Pod[]) {
    if (sibling.metadata?.uid === pod.metadata?.uid || !podRan(sibling, kind, name)) continue;
    const candidate = pick(sibling.spec, kind, name);
    if (candidate && differs(candidate))
      return { container: candidate, source: `Pod ${namespace ?? ''}/${sibling.metadata?.name ?? ''}` };
  }
  return undefined;
}
