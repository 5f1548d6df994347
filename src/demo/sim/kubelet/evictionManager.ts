// Node memory pressure (§13), as the kubelet's eviction manager handles it: below the hard
// threshold memory.available<100Mi the node gets the MemoryPressure condition and taint, and the
// worst-ranked pod is evicted with the real Evicted message; above it the pressure clears.
import type { Node, Pod } from '../../../kube/types';
import { parseBytes } from '../../../kube/quantity';
import { finish } from './containerExit';
import type { KubeletEvent } from './kubeletEvents';
import type { ContainerSlot, PodRuntime } from './podRuntime';
import { setCondition } from '../objects';
import { buildPodStatus } from './podStatusBuilder';
import { workingSetBytes } from './resourceUsage';
import type { SimContext } from '../simContext';
import { rfc3339 } from '../../../kube/timeFormat';
import { disruptionTarget } from '../../../kube/disruptionTarget';

/** The hard eviction threshold memory.available<100Mi. */
const evictionThreshold = 100 * 2 ** 20;

export class EvictionManager {
  private memoryPressure = false;

  constructor(
    private readonly ctx: SimContext,
    private readonly nodeName: string,
    private readonly event: KubeletEvent,
  ) {}

  /** Compares the node's memory with what `pods` use; sets or clears pressure, evicting one pod under it. */
  check(pods: Iterable<PodRuntime>, now: number): void {
    const node: Node | undefined = this.ctx.store.get('Node', undefined, this.nodeName);
    if (!node) return;
    const capacity = memoryBytes(node.status?.capacity?.['memory']);
    if (!capacity) return;
    const { total, byPod } = usageBytes(pods);
    const available = capacity - total;
    if (available >= evictionThreshold) {
      if (this.memoryPressure) this.setPressure(node, false, now);
      return;
    }
    if (!this.memoryPressure) this.setPressure(node, true, now);
    this.ctx.events.record(node, {
      type: 'Warning',
      reason: 'EvictionThresholdMet',
      message: 'Attempting to reclaim memory',
      component: 'kubelet',
      host: this.nodeName,
    });
    // rankMemoryPressure: usage above requests first, then priority, then usage above requests.
    const ranked = byPod
      .map((x) => {
        const req = memoryBytes(
          x.c.spec.resources?.requests?.['memory'] ?? x.c.spec.resources?.limits?.['memory'],
        );
        const pod: Pod | undefined = this.ctx.store.get('Pod', x.rt.namespace, x.rt.name);
        return { ...x, req, over: x.bytes - req, priority: pod?.spec?.priority ?? 0, pod };
      })
      .filter((x) => x.pod)
      .sort((a, b) => Number(b.over > 0) - Number(a.over > 0) || a.priority - b.priority || b.over - a.over);
    const victim = ranked[0];
    if (victim?.pod) this.evict(victim.pod, victim.rt, victim.c, victim.bytes, available, now);
  }

  private setPressure(node: Node, on: boolean, now: number): void {
    this.memoryPressure = on;
    const conditions = (node.status?.conditions ?? []).map((c) =>
      c.type === 'MemoryPressure'
        ? {
            ...c,
            status: on ? 'True' : 'False',
            reason: on ? 'KubeletHasInsufficientMemory' : 'KubeletHasSufficientMemory',
            message: on
              ? 'kubelet has insufficient memory available'
              : 'kubelet has sufficient memory available',
            lastTransitionTime: rfc3339(now),
            lastHeartbeatTime: rfc3339(now),
          }
        : c,
    );
    const taints = (node.spec?.taints ?? []).filter((t) => t.key !== 'node.kubernetes.io/memory-pressure');
    if (on)
      taints.push({
        key: 'node.kubernetes.io/memory-pressure',
        effect: 'NoSchedule',
        timeAdded: rfc3339(now),
      });
    const updated = this.ctx.store.update({ ...node, spec: { ...node.spec, taints } }) as Node;
    this.ctx.store.updateStatus({ ...updated, status: { ...updated.status, conditions } });
    const reason = on ? 'NodeHasInsufficientMemory' : 'NodeHasSufficientMemory';
    this.ctx.events.record(updated, {
      type: 'Normal',
      reason,
      message: `Node ${this.nodeName} status is now: ${reason}`,
      component: 'kubelet',
      host: this.nodeName,
    });
  }

  private evict(
    pod: Pod,
    rt: PodRuntime,
    worst: ContainerSlot,
    usage: number,
    available: number,
    now: number,
  ): void {
    const request = worst.spec.resources?.requests?.['memory'] ?? '0';
    const message = `The node was low on resource: memory. Threshold quantity: 100Mi, available: ${Math.round(available / 1024)}Ki. Container ${worst.name} was using ${Math.round(usage / 1024)}Ki, request is ${request}, has larger consumption of memory. `;
    this.event(pod, undefined, 'Warning', 'Evicted', message);
    for (const c of [...rt.init, ...rt.containers]) {
      if (c.phase !== 'running' || !c.running) continue;
      this.event(pod, c, 'Normal', 'Killing', `Stopping container ${c.name}`);
      finish(c, 137, 'Error', now);
      c.phase = 'done';
    }
    rt.finished = true;
    rt.timer?.cancel();
    const status = buildPodStatus(pod, rt, now);
    status.phase = 'Failed';
    status.reason = 'Evicted';
    status.message = message;
    // The kubelet lists DisruptionTarget first: generateAPIPodStatus copies it over before it
    // builds the other conditions.
    status.conditions = [
      ...setCondition([], disruptionTarget('TerminationByKubelet', message), now),
      ...(status.conditions ?? [])
        .filter((c) => c.type !== 'DisruptionTarget')
        .map((c) =>
          c.type === 'Ready' || c.type === 'ContainersReady'
            ? {
                type: c.type,
                status: 'False',
                lastProbeTime: null,
                lastTransitionTime: rfc3339(now),
                reason: 'PodFailed',
              }
            : c.type === 'PodReadyToStartContainers'
              ? { ...c, status: 'False' }
              : c,
        ),
    ];
    this.ctx.store.updateStatus({ ...pod, status });
  }
}

/** Working set of every running container of the node's unfinished pods. */
function usageBytes(pods: Iterable<PodRuntime>): {
  total: number;
  byPod: { rt: PodRuntime; c: ContainerSlot; bytes: number }[];
} {
  const byPod: { rt: PodRuntime; c: ContainerSlot; bytes: number }[] = [];
  let total = 0;
  for (const rt of pods) {
    if (rt.finished) continue;
    for (const c of [...rt.init, ...rt.containers]) {
      if (!c.running) continue;
      const bytes = workingSetBytes(c.spec, c.running.run.plan);
      total += bytes;
      byPod.push({ rt, c, bytes });
    }
  }
  return { total, byPod };
}

/** Node capacity and pod requests as bytes; 0 for an absent or unreadable quantity, as the eviction ranking wants. */
function memoryBytes(text: string | undefined): number {
  return (text && parseBytes(text)) || 0;
}
