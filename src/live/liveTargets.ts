// Fills what a command target leaves out from the live objects: a pod's containers (so the user
// can pick one) and a workload's pod selector (so its logs follow every pod). Scope (context,
// kubeconfig, namespace) comes from the wrapped resolver; only open contexts are read, never a
// network call.
import { formatLabelSelector } from '../kube/labelSelector';
import type { KubeTarget, PodTarget, TargetResolver, Unscoped, WorkloadTarget } from '../kube/kubeTarget';
import type { ClusterView } from '../kube/clusterView';
import type { LabelSelector } from '../kube/types';
import type { LiveModel } from './liveModel';

const SELECTING_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job']);

export class LiveTargetResolver implements TargetResolver {
  constructor(
    private readonly scope: TargetResolver,
    private readonly model: Pick<LiveModel, 'get'>,
  ) {}

  async resolve<T extends KubeTarget>(target: Unscoped<T>): Promise<T> {
    const resolved: KubeTarget = await this.scope.resolve<T>(target);
    const view = resolved.context !== undefined ? this.model.get(resolved.context)?.source : undefined;
    if (!view) return resolved as T;
    return (
      'pod' in resolved ? this.completePod(view, resolved) : this.completeWorkload(view, resolved)
    ) as T;
  }

  private completePod(view: ClusterView, pod: PodTarget): PodTarget {
    if (pod.containers) return pod;
    const names = (view.get('Pod', pod.namespace, pod.pod)?.spec?.containers ?? []).map((c) => c.name);
    return names.length > 0 ? { ...pod, containers: names } : pod;
  }

  private completeWorkload(view: ClusterView, workload: WorkloadTarget): WorkloadTarget {
    if (workload.selector !== undefined || !SELECTING_KINDS.has(workload.kind)) return workload;
    const live = view.get(workload.kind as 'Deployment', workload.namespace, workload.name);
    const selector = (live?.spec as { selector?: LabelSelector } | undefined)?.selector;
    const text = selector ? formatLabelSelector(selector) : undefined;
    return text && text !== '<none>' && text !== '<error>' ? { ...workload, selector: text } : workload;
  }
}
