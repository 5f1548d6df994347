// kube-scheduler's default profile, reduced to the plugins our scenarios exercise: PreFilter
// VolumeBinding (missing / unbound immediate PVCs), Filter NodeUnschedulable, TaintToleration,
// NodeAffinity, NodeResourcesFit (in that order; a node stops at its first failing plugin), and
// PostFilter DefaultPreemption. Failures produce the exact FitError text, a PodScheduled=False
// condition and an events.k8s.io-shaped FailedScheduling event; success binds the pod.
import type { Node, PersistentVolumeClaim, Pod, PriorityClass } from '../../../kube/types';
import { fitErrorMessage, histogram, truncateNote } from './fitError';
import { clone, isTerminal, setCondition } from '../objects';
import { podRequests } from '../podResources';
import type { Requests } from '../podResources';
import { bytes, milliCpu } from '../quantity';
import type { SimContext } from '../simContext';
import { matchesNodeAffinity } from './nodeAffinity';
import { tolerationsTolerateTaint, untoleratedTaint } from '../../../kube/tolerations';
import { rfc3339 } from '../../../kube/timeFormat';
import { disruptionTarget } from '../../../kube/disruptionTarget';

interface NodeInfo {
  node: Node;
  allocatable: Requests & { pods: number };
  pods: Pod[];
  /** The sum of `pods`' requests. */
  requested: Requests;
}

/** One scheduling pass's view of the cluster, updated as pods bind instead of re-listed per pod. */
export interface SchedulingSnapshot {
  infos: NodeInfo[];
  pending: Pod[];
}

interface FilterResult {
  reasons: string[];
  /** Taints, affinity and PreFilter failures cannot be fixed by evicting pods. */
  resolvable: boolean;
}

const UNSCHEDULABLE_TAINT = { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' };
const notHelpful = 'Preemption is not helpful for scheduling';
const noVictims = 'No preemption victims found for incoming pod';

/** spec.priority as admission resolved it from priorityClassName. */
export function podPriority(pod: Pod): number {
  return pod.spec?.priority ?? 0;
}

/** Pods created over HTTP may carry a class name with priority 0 left by plain defaulting. */
function resolvedPriority(pod: Pod, classes: PriorityClass[]): number {
  if (pod.spec?.priority || !pod.spec?.priorityClassName) return podPriority(pod);
  return classes.find((c) => c.metadata?.name === pod.spec?.priorityClassName)?.value ?? 0;
}

export class Scheduler {
  constructor(private readonly ctx: SimContext) {}

  private priority(pod: Pod): number {
    return resolvedPriority(pod, this.ctx.store.list('PriorityClass') as PriorityClass[]);
  }

  /** Pods waiting for a node, highest priority first, then oldest (the activeQ order). */
  pendingPods(): Pod[] {
    return (this.ctx.store.list('Pod') as Pod[])
      .filter(
        (p) =>
          !p.spec?.nodeName &&
          !isTerminal(p) &&
          !p.metadata?.deletionTimestamp &&
          (p.spec?.['schedulerName'] ?? 'default-scheduler') === 'default-scheduler',
      )
      .sort(
        (a, b) =>
          this.priority(b) - this.priority(a) ||
          String(a.metadata?.creationTimestamp).localeCompare(String(b.metadata?.creationTimestamp)),
      );
  }

  snapshot(): SchedulingSnapshot {
    return { infos: this.nodeInfos(), pending: this.pendingPods() };
  }

  private nodeInfos(): NodeInfo[] {
    const infos = new Map<string, NodeInfo>();
    for (const node of this.ctx.store.list('Node') as Node[]) {
      const a = node.status?.allocatable ?? {};
      infos.set(node.metadata?.name ?? '', {
        node,
        allocatable: {
          milliCpu: milliCpu(a['cpu']),
          memory: bytes(a['memory']),
          ephemeralStorage: bytes(a['ephemeral-storage']),
          pods: Number(a['pods'] ?? 110),
        },
        pods: [],
        requested: { milliCpu: 0, memory: 0, ephemeralStorage: 0 },
      });
    }
    for (const pod of this.ctx.store.list('Pod') as Pod[]) {
      const name = pod.spec?.nodeName;
      const info = name && !isTerminal(pod) ? infos.get(name) : undefined;
      if (info) addPod(info, pod);
    }
    return [...infos.values()].sort((a, b) =>
      String(a.node.metadata?.name).localeCompare(String(b.node.metadata?.name)),
    );
  }

  /** PreFilter VolumeBinding: the message that replaces the per-node histogram, if any. */
  private volumePreFilter(pod: Pod): string | undefined {
    let unbound = false;
    for (const volume of pod.spec?.volumes ?? []) {
      const claim = volume.persistentVolumeClaim?.claimName;
      if (!claim) continue;
      const pvc: PersistentVolumeClaim | undefined = this.ctx.store.get(
        'PersistentVolumeClaim',
        pod.metadata?.namespace,
        claim,
      );
      if (!pvc) return `persistentvolumeclaim "${claim}" not found`;
      if (pvc.metadata?.deletionTimestamp) return `persistentvolumeclaim "${claim}" is being deleted`;
      if (pvc.status?.phase === 'Bound') continue;
      const sc = pvc.spec?.storageClassName
        ? this.ctx.store.get('StorageClass', undefined, pvc.spec.storageClassName)
        : undefined;
      if (sc?.['volumeBindingMode'] === 'WaitForFirstConsumer') continue;
      unbound = true;
    }
    return unbound ? 'pod has unbound immediate PersistentVolumeClaims' : undefined;
  }

  private filter(pod: Pod, info: NodeInfo, extra: Pod[]): FilterResult {
    const node = info.node;
    if (
      node.spec?.unschedulable &&
      // The NodeUnschedulable plugin asks whether the pod tolerates this taint, whether or not the
      // node carries it.
      !tolerationsTolerateTaint(pod.spec?.tolerations, UNSCHEDULABLE_TAINT)
    ) {
      return { reasons: ['node(s) were unschedulable'], resolvable: false };
    }
    const taint = untoleratedTaint(node, pod.spec?.tolerations);
    if (taint)
      return {
        reasons: [`node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`],
        resolvable: false,
      };
    if (!matchesNodeAffinity(pod, node))
      return { reasons: ["node(s) didn't match Pod's node affinity/selector"], resolvable: false };
    const reasons = this.insufficientFast(pod, info, extra);
    return { reasons, resolvable: true };
  }

  /** NodeResourcesFit: every resource that does not fit, in the plugin's order. */
  private insufficient(pod: Pod, info: NodeInfo, onNode: Pod[]): string[] {
    const want = podRequests(pod);
    const used = { milliCpu: 0, memory: 0, ephemeralStorage: 0 };
    for (const p of onNode) {
      if (p.metadata?.uid === pod.metadata?.uid) continue;
      const r = podRequests(p);
      used.milliCpu += r.milliCpu;
      used.memory += r.memory;
      used.ephemeralStorage += r.ephemeralStorage;
    }
    return this.reasons(want, info, used, onNode.filter((p) => p.metadata?.uid !== pod.metadata?.uid).length);
  }

  /** The same check against the node's precomputed totals plus `extra` pods (nominated ones). */
  private insufficientFast(pod: Pod, info: NodeInfo, extra: Pod[]): string[] {
    if (extra.length > 0 || info.pods.some((p) => p.metadata?.uid === pod.metadata?.uid))
      return this.insufficient(pod, info, info.pods.concat(extra));
    return this.reasons(podRequests(pod), info, info.requested, info.pods.length);
  }

  private reasons(want: Requests, info: NodeInfo, used: Requests, podCount: number): string[] {
    const reasons: string[] = [];
    if (podCount + 1 > info.allocatable.pods) reasons.push('Too many pods');
    if (want.milliCpu > 0 && want.milliCpu > info.allocatable.milliCpu - used.milliCpu)
      reasons.push('Insufficient cpu');
    if (want.memory > 0 && want.memory > info.allocatable.memory - used.memory)
      reasons.push('Insufficient memory');
    if (
      want.ephemeralStorage > 0 &&
      want.ephemeralStorage > info.allocatable.ephemeralStorage - used.ephemeralStorage
    )
      reasons.push('Insufficient ephemeral-storage');
    return reasons;
  }

  /** Pods nominated to this node that outrank (or tie with) `pod` hold their room. */
  private nominatedFor(pod: Pod, nodeName: string, pending: Pod[]): Pod[] {
    return pending.filter(
      (p) =>
        p.status?.nominatedNodeName === nodeName &&
        p.metadata?.uid !== pod.metadata?.uid &&
        this.priority(p) >= this.priority(pod) &&
        !p.spec?.nodeName,
    );
  }

  /** Schedules one pod; pass the pass's snapshot to avoid re-listing the cluster per pod. */
  scheduleOne(pod: Pod, snapshot: SchedulingSnapshot = this.snapshot()): void {
    const { infos, pending } = snapshot;
    const preFilter = this.volumePreFilter(pod);
    const results = new Map<string, FilterResult>();
    let chosen: NodeInfo | undefined;
    if (!preFilter) {
      for (const info of infos) {
        const result = this.filter(
          pod,
          info,
          this.nominatedFor(pod, info.node.metadata?.name ?? '', pending),
        );
        results.set(info.node.metadata?.name ?? '', result);
        if (result.reasons.length === 0 && (!chosen || this.score(pod, info) > this.score(pod, chosen)))
          chosen = info;
      }
    }
    if (chosen) {
      addPod(chosen, this.bind(pod, chosen.node));
      return;
    }
    const post = this.preempt(pod, infos, results, preFilter);
    const message = fitErrorMessage(
      infos.length,
      preFilter,
      [...results.values()].map((r) => r.reasons),
      post.message,
    );
    const now = this.ctx.clock.now();
    const status = clone(pod.status ?? {});
    status.phase = status.phase ?? 'Pending';
    status.conditions = setCondition(
      status.conditions ?? [],
      { type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message },
      now,
    );
    if (post.nominated) status.nominatedNodeName = post.nominated;
    const stored = this.ctx.store.updateStatus({ ...pod, status }) as Pod;
    this.ctx.events.recordScheduler(stored, {
      type: 'Warning',
      reason: 'FailedScheduling',
      action: 'Scheduling',
      note: truncateNote(message),
    });
  }

  /** LeastAllocated-style score: prefer the node with the most free memory, then CPU. */
  private score(pod: Pod, info: NodeInfo): number {
    const mem = info.allocatable.memory - info.requested.memory;
    const cpu = info.allocatable.milliCpu - info.requested.milliCpu;
    const want = podRequests(pod);
    return (
      (mem - want.memory) / Math.max(1, info.allocatable.memory) +
      (cpu - want.milliCpu) / Math.max(1, info.allocatable.milliCpu)
    );
  }

  /** DefaultPreemption's PostFilter: evicts the fewest, lowest-priority pods that make room. */
  private preempt(
    pod: Pod,
    infos: NodeInfo[],
    results: Map<string, FilterResult>,
    preFilter: string | undefined,
  ): { message?: string; nominated?: string } {
    if (pod.spec?.preemptionPolicy === 'Never')
      return { message: 'preemption: not eligible due to preemptionPolicy=Never.' };
    const reasons: string[][] = [];
    let best: { info: NodeInfo; victims: Pod[] } | undefined;
    for (const info of infos) {
      const result = results.get(info.node.metadata?.name ?? '');
      if (preFilter || !result || !result.resolvable) {
        reasons.push([notHelpful]);
        continue;
      }
      const victims = this.victimsOn(pod, info);
      if (!victims) {
        reasons.push([noVictims]);
        continue;
      }
      const worst = (v: Pod[]): number => Math.max(...v.map((p) => this.priority(p)));
      if (
        !best ||
        worst(victims) < worst(best.victims) ||
        (worst(victims) === worst(best.victims) && victims.length < best.victims.length)
      )
        best = { info, victims };
    }
    if (!best) return { message: `preemption: ${histogram(infos.length, reasons)}` };
    const nodeName = best.info.node.metadata?.name ?? '';
    for (const victim of best.victims) this.evictVictim(victim, pod, nodeName);
    return { nominated: nodeName };
  }

  /** Removes every lower-priority pod, then reprieves the highest-priority ones that still leave room. */
  private victimsOn(pod: Pod, info: NodeInfo): Pod[] | undefined {
    const lower = info.pods.filter(
      (p) => this.priority(p) < this.priority(pod) && !p.metadata?.deletionTimestamp,
    );
    if (lower.length === 0) return undefined;
    const remaining = info.pods.filter((p) => !lower.includes(p));
    if (this.insufficient(pod, info, remaining).length > 0) return undefined;
    const victims: Pod[] = [];
    for (const candidate of [...lower].sort((a, b) => this.priority(b) - this.priority(a))) {
      if (this.insufficient(pod, info, remaining.concat(candidate)).length === 0) remaining.push(candidate);
      else victims.push(candidate);
    }
    return victims;
  }

  private evictVictim(victim: Pod, preemptor: Pod, nodeName: string): void {
    const now = this.ctx.clock.now();
    const status = clone(victim.status ?? {});
    status.conditions = setCondition(
      status.conditions ?? [],
      disruptionTarget(
        'PreemptionByScheduler',
        'default-scheduler: preempting to accommodate a higher priority pod',
      ),
      now,
    );
    const updated = this.ctx.store.updateStatus({ ...victim, status }) as Pod;
    this.ctx.events.recordScheduler(updated, {
      type: 'Normal',
      reason: 'Preempted',
      action: 'Preempting',
      note: `Preempted by pod ${preemptor.metadata?.uid} on node ${nodeName}`,
      related: preemptor,
    });
    const grace = updated.spec?.terminationGracePeriodSeconds ?? 30;
    this.ctx.store.update({
      ...updated,
      metadata: {
        ...updated.metadata,
        deletionTimestamp: rfc3339(now + grace * 1000),
        deletionGracePeriodSeconds: grace,
      },
    });
  }

  private bind(pod: Pod, node: Node): Pod {
    const now = this.ctx.clock.now();
    const nodeName = node.metadata?.name ?? '';
    const bound = this.ctx.store.update({ ...pod, spec: { ...pod.spec!, nodeName } }) as Pod;
    const status = clone(bound.status ?? {});
    status.phase = status.phase ?? 'Pending';
    status.conditions = setCondition(status.conditions ?? [], { type: 'PodScheduled', status: 'True' }, now);
    delete status.nominatedNodeName;
    const stored = this.ctx.store.updateStatus({ ...bound, status }) as Pod;
    this.ctx.events.recordScheduler(stored, {
      type: 'Normal',
      reason: 'Scheduled',
      action: 'Binding',
      note: `Successfully assigned ${pod.metadata?.namespace}/${pod.metadata?.name} to ${nodeName}`,
    });
    return stored;
  }
}

function addPod(info: NodeInfo, pod: Pod): void {
  info.pods.push(pod);
  const r = podRequests(pod);
  info.requested.milliCpu += r.milliCpu;
  info.requested.memory += r.memory;
  info.requested.ephemeralStorage += r.ephemeralStorage;
}
