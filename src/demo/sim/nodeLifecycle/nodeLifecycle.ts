// The node-lifecycle and taint-eviction controllers for a node whose kubelet stops posting
// status (§15): every condition Unknown `NodeStatusUnknown`, the unreachable taints, pods marked
// not ready with `Node is not ready`, and after the 300 s toleration the pods are marked for
// deletion (DisruptionTarget DeletionByTaintManager) and stay Terminating while the node is gone.
import type { Node, Pod } from '../../../kube/types';
import { healthyConditions } from './nodeFactory';
import { clone, setCondition } from '../objects';
import type { SimContext } from '../simContext';
import { rfc3339 } from '../../../kube/timeFormat';
import { disruptionTarget } from '../../../kube/disruptionTarget';

export class NodeLifecycle {
  private readonly down = new Set<string>();

  constructor(
    private readonly ctx: SimContext,
    private readonly onChange: () => void,
    private readonly run: (key: string, work: () => void) => void = (_key, work) => work(),
  ) {}

  isDown(name: string): boolean {
    return this.down.has(name);
  }

  setNotReady(name: string): void {
    const node: Node | undefined = this.ctx.store.get('Node', undefined, name);
    if (!node || this.down.has(name)) return;
    this.down.add(name);
    const now = this.ctx.clock.now();
    const conditions = (node.status?.conditions ?? []).map((c) => ({
      ...c,
      status: 'Unknown',
      reason: 'NodeStatusUnknown',
      message: 'Kubelet stopped posting node status.',
      lastTransitionTime: rfc3339(now),
    }));
    const taints = [
      ...(node.spec?.taints ?? []).filter((t) => !t.key.startsWith('node.kubernetes.io/unreachable')),
      { key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule', timeAdded: rfc3339(now) },
      { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: rfc3339(now) },
    ];
    const updated = this.ctx.store.update({ ...node, spec: { ...node.spec, taints } }) as Node;
    this.ctx.store.updateStatus({ ...updated, status: { ...updated.status, conditions } });
    this.ctx.events.record(updated, {
      type: 'Normal',
      reason: 'NodeNotReady',
      message: `Node ${name} status is now: NodeNotReady`,
      component: 'node-controller',
    });
    for (const pod of this.podsOn(name)) {
      const status = clone(pod.status ?? {});
      status.conditions = (status.conditions ?? []).map((c) =>
        c.type === 'Ready'
          ? { type: 'Ready', status: 'False', lastProbeTime: null, lastTransitionTime: rfc3339(now) }
          : c,
      );
      const stored = this.ctx.store.updateStatus({ ...pod, status }) as Pod;
      this.ctx.events.record(stored, {
        type: 'Warning',
        reason: 'NodeNotReady',
        message: 'Node is not ready',
        component: 'node-controller',
      });
      const toleration = (pod.spec?.tolerations ?? []).find(
        (t) => t.key === 'node.kubernetes.io/unreachable' && t.effect === 'NoExecute',
      );
      if (toleration && toleration.tolerationSeconds === undefined) continue;
      const after = (toleration?.tolerationSeconds ?? 0) * 1000;
      const ns = pod.metadata?.namespace ?? '';
      const podName = pod.metadata?.name ?? '';
      this.ctx.clock.setTimer(after, () =>
        this.run(`taint-eviction/${ns}/${podName}`, () => this.evictFromDeadNode(name, ns, podName)),
      );
    }
    this.onChange();
  }

  private evictFromDeadNode(node: string, namespace: string, name: string): void {
    if (!this.down.has(node)) return;
    const pod: Pod | undefined = this.ctx.store.get('Pod', namespace, name);
    if (!pod || pod.spec?.nodeName !== node || pod.metadata?.deletionTimestamp) return;
    const now = this.ctx.clock.now();
    const status = clone(pod.status ?? {});
    status.conditions = setCondition(
      status.conditions ?? [],
      disruptionTarget('DeletionByTaintManager', 'Taint manager: deleting due to NoExecute taint'),
      now,
    );
    const stored = this.ctx.store.updateStatus({ ...pod, status }) as Pod;
    this.ctx.events.record(stored, {
      type: 'Normal',
      reason: 'TaintManagerEviction',
      message: `Marking for deletion Pod ${namespace}/${name}`,
      component: 'taint-eviction-controller',
    });
    const grace = pod.spec?.terminationGracePeriodSeconds ?? 30;
    this.ctx.store.update({
      ...stored,
      metadata: {
        ...stored.metadata,
        deletionTimestamp: rfc3339(now + grace * 1000),
        deletionGracePeriodSeconds: grace,
      },
    });
    this.onChange();
  }

  setReady(name: string): void {
    const node: Node | undefined = this.ctx.store.get('Node', undefined, name);
    if (!node || !this.down.delete(name)) return;
    const now = this.ctx.clock.now();
    const taints = (node.spec?.taints ?? []).filter((t) => t.key !== 'node.kubernetes.io/unreachable');
    const updated = this.ctx.store.update({ ...node, spec: { ...node.spec, taints } }) as Node;
    this.ctx.store.updateStatus({
      ...updated,
      status: { ...updated.status, conditions: healthyConditions(now) },
    });
    this.ctx.events.record(updated, {
      type: 'Normal',
      reason: 'NodeReady',
      message: `Node ${name} status is now: NodeReady`,
      component: 'kubelet',
    });
    this.onChange();
  }

  /** PodGC: pods bound to a Node object that no longer exists are failed and removed. */
  collectOrphans(name: string): void {
    this.down.delete(name);
    const now = this.ctx.clock.now();
    for (const pod of this.podsOn(name)) {
      const status = clone(pod.status ?? {});
      status.conditions = setCondition(
        status.conditions ?? [],
        disruptionTarget('DeletionByPodGC', 'PodGC: node no longer exists'),
        now,
      );
      status.phase = 'Failed';
      this.ctx.store.updateStatus({ ...pod, status });
      this.ctx.store.delete('Pod', pod.metadata?.namespace, pod.metadata?.name ?? '');
    }
    this.onChange();
  }

  /** The kubelet's periodic status report (nodeStatusReportFrequency): fresh heartbeats, nothing else. */
  heartbeat(): void {
    const t = rfc3339(this.ctx.clock.now());
    for (const node of this.ctx.store.list('Node') as Node[]) {
      if (this.down.has(node.metadata?.name ?? '')) continue;
      const conditions = (node.status?.conditions ?? []).map((c) => ({ ...c, lastHeartbeatTime: t }));
      this.ctx.store.updateStatus({ ...node, status: { ...node.status, conditions } });
    }
  }

  private podsOn(name: string): Pod[] {
    return (this.ctx.store.list('Pod') as Pod[]).filter((p) => p.spec?.nodeName === name);
  }
}
