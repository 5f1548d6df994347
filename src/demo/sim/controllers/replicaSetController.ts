// The ReplicaSet controller: keeps `spec.replicas` active pods (not terminal, not deleting),
// creates with `Created pod: x`, deletes the least useful extras with `Deleted pod: x`, records
// FailedCreate plus the ReplicaFailure condition when admission refuses, and writes status.
import type { Pod, ReplicaSet } from '../../../kube/types';
import { matchesSelector } from '../../../kube/labelSelector';
import {
  isPodAvailable,
  isPodReady,
  isTerminal,
  removeCondition,
  setCondition,
  writeStatus,
} from '../objects';
import { createPodFromTemplate } from './podFactory';
import type { SimContext } from '../simContext';

const component = 'replicaset-controller';

export class ReplicaSetController {
  /** After a refused create, retry with a growing delay (the work queue's rate limiter). */
  private readonly retry = new Map<string, number>();

  constructor(
    private readonly ctx: SimContext,
    private readonly requeue: (namespace: string, name: string, afterMs: number) => void,
  ) {}

  ownedPods(rs: ReplicaSet): Pod[] {
    return this.ctx.owners.owned<Pod>('Pod', rs);
  }

  reconcile(namespace: string, name: string): void {
    const rs: ReplicaSet | undefined = this.ctx.store.get('ReplicaSet', namespace, name);
    if (!rs || rs.metadata?.deletionTimestamp) return;
    const now = this.ctx.clock.now();
    const pods = this.ownedPods(rs);
    const active = pods.filter((p) => !isTerminal(p) && !p.metadata?.deletionTimestamp);
    const want = rs.spec?.replicas ?? 1;
    let failure: string | undefined;
    if (active.length < want) {
      for (let i = active.length; i < want; i++) {
        const result = createPodFromTemplate(this.ctx, rs, rs.spec?.template, { component });
        if ('error' in result) {
          failure = result.error;
          break;
        }
        active.push(result.pod);
        this.ctx.events.record(rs, {
          type: 'Normal',
          reason: 'SuccessfulCreate',
          message: `Created pod: ${result.pod.metadata?.name}`,
          component,
        });
      }
    } else if (active.length > want) {
      // getPodsToDelete: unscheduled before scheduled, pending before running, unready before ready, newer first.
      const rank = (p: Pod): number[] => [
        p.spec?.nodeName ? 1 : 0,
        p.status?.phase === 'Running' ? 1 : 0,
        isPodReady(p) ? 1 : 0,
        -Date.parse(p.metadata?.creationTimestamp ?? '0'),
      ];
      const victims = [...active].sort((a, b) => {
        const ra = rank(a);
        const rb = rank(b);
        for (let i = 0; i < ra.length; i++) if (ra[i] !== rb[i]) return ra[i]! - rb[i]!;
        return 0;
      });
      for (const pod of victims.slice(0, active.length - want)) {
        this.gracefulDelete(pod);
        this.ctx.events.record(rs, {
          type: 'Normal',
          reason: 'SuccessfulDelete',
          message: `Deleted pod: ${pod.metadata?.name}`,
          component,
        });
      }
    }
    const key = `${namespace}/${name}`;
    if (failure) {
      const delay = Math.min((this.retry.get(key) ?? 5_000) * 2, 300_000);
      this.retry.set(key, delay);
      this.requeue(namespace, name, delay);
    } else this.retry.delete(key);
    const current = this.ownedPods(rs).filter((p) => !isTerminal(p) && !p.metadata?.deletionTimestamp);
    const minReady = Number(rs.spec?.['minReadySeconds'] ?? 0);
    let conditions = rs.status?.conditions ?? [];
    conditions = failure
      ? setCondition(
          conditions,
          { type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate', message: failure },
          now,
          'workload',
        )
      : removeCondition(conditions, 'ReplicaFailure');
    conditions = conditions.map(({ lastUpdateTime: _drop, ...rest }) => rest);
    const status: Record<string, unknown> = {
      replicas: current.length,
      fullyLabeledReplicas: current.filter((p) =>
        matchesSelector({ matchLabels: rs.spec?.template?.metadata?.labels ?? {} }, p.metadata?.labels),
      ).length,
      readyReplicas: current.filter(isPodReady).length,
      availableReplicas: current.filter((p) => isPodAvailable(p, minReady, now)).length,
      observedGeneration: rs.metadata?.generation ?? 1,
    };
    if (conditions.length) status['conditions'] = conditions;
    writeStatus(this.ctx.store, rs, status);
    // minReadySeconds: come back when the ready pods become available.
    if (minReady > 0 && current.some((p) => isPodReady(p) && !isPodAvailable(p, minReady, now)))
      this.requeue(namespace, name, minReady * 1000);
  }

  private gracefulDelete(pod: Pod): void {
    if (!pod.spec?.nodeName) {
      this.ctx.store.delete('Pod', pod.metadata?.namespace, pod.metadata?.name ?? '');
      return;
    }
    markForDeletion(this.ctx, pod);
  }
}

/** A graceful delete as the API server records it: the kubelet finishes the job. */
export function markForDeletion(ctx: SimContext, pod: Pod): void {
  if (pod.metadata?.deletionTimestamp) return;
  if (!pod.spec?.nodeName || isTerminal(pod)) {
    ctx.store.delete('Pod', pod.metadata?.namespace, pod.metadata?.name ?? '');
    return;
  }
  const grace = pod.spec?.terminationGracePeriodSeconds ?? 30;
  const at = new Date(Math.floor((ctx.clock.now() + grace * 1000) / 1000) * 1000)
    .toISOString()
    .replace('.000Z', 'Z');
  ctx.store.update({
    ...pod,
    metadata: { ...pod.metadata, deletionTimestamp: at, deletionGracePeriodSeconds: grace },
  });
}
