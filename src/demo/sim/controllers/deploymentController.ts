// The Deployment controller: one ReplicaSet per pod template (`<name>-<pod-template-hash>`),
// RollingUpdate with maxSurge/maxUnavailable (25% by default) or Recreate, ScalingReplicaSet
// events, and status with the Available/Progressing conditions of §17, including
// ProgressDeadlineExceeded once progressDeadlineSeconds pass without progress.
import type { Condition, Deployment, ReplicaSet } from '../../../kube/types';
import { podTemplateHash } from '../names';
import { clone, controllerRef, setCondition, writeStatus } from '../objects';
import type { SimContext } from '../simContext';
import { rfc3339 } from '../../../kube/timeFormat';

const component = 'deployment-controller';
const revisionKey = 'deployment.kubernetes.io/revision';

function intOrPercent(value: unknown, total: number, roundUp: boolean): number {
  if (typeof value === 'number') return value;
  const text = typeof value === 'string' ? value : '25%';
  if (text.endsWith('%')) {
    const exact = (Number(text.slice(0, -1)) * total) / 100;
    return roundUp ? Math.ceil(exact) : Math.floor(exact);
  }
  return Number(text);
}

export class DeploymentController {
  constructor(
    private readonly ctx: SimContext,
    private readonly requeue: (namespace: string, name: string, afterMs: number) => void,
  ) {}

  private replicaSets(d: Deployment): ReplicaSet[] {
    return this.ctx.owners.owned<ReplicaSet>('ReplicaSet', d);
  }

  reconcile(namespace: string, name: string): void {
    const d: Deployment | undefined = this.ctx.store.get('Deployment', namespace, name);
    if (!d || d.metadata?.deletionTimestamp) return;
    const now = this.ctx.clock.now();
    const replicas = d.spec?.replicas ?? 1;
    const template = d.spec?.template ?? {};
    const collisionCount = Number(d.status?.['collisionCount'] ?? 0);
    const hash = podTemplateHash(template, collisionCount);
    const all = this.replicaSets(d);
    let newRS = all.find((rs) => rs.metadata?.labels?.['pod-template-hash'] === hash);
    const olds = all.filter((rs) => rs !== newRS);
    const maxRevision = Math.max(0, ...all.map((rs) => Number(rs.metadata?.annotations?.[revisionKey] ?? 0)));
    let createdNew = false;
    const strategy =
      (d.spec?.['strategy'] as
        { type?: string; rollingUpdate?: { maxSurge?: unknown; maxUnavailable?: unknown } } | undefined) ??
      {};
    const recreate = strategy.type === 'Recreate';
    let maxSurge = recreate ? 0 : intOrPercent(strategy.rollingUpdate?.maxSurge, replicas, true);
    let maxUnavailable = recreate
      ? replicas
      : intOrPercent(strategy.rollingUpdate?.maxUnavailable, replicas, false);
    if (!recreate && maxSurge === 0 && maxUnavailable === 0) maxUnavailable = 1;
    if (d.spec?.paused) maxSurge = maxUnavailable = 0;

    if (!newRS && !d.spec?.paused) {
      const oldTotal = olds.reduce((n, rs) => n + (rs.spec?.replicas ?? 0), 0);
      const initial = recreate
        ? oldTotal > 0
          ? 0
          : replicas
        : Math.max(0, Math.min(replicas, replicas + maxSurge - oldTotal));
      const labels = { ...(template.metadata?.labels ?? {}), 'pod-template-hash': hash };
      const rs: ReplicaSet = {
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        metadata: {
          name: `${name}-${hash}`,
          namespace,
          labels,
          annotations: {
            'deployment.kubernetes.io/desired-replicas': String(replicas),
            'deployment.kubernetes.io/max-replicas': String(replicas + maxSurge),
            [revisionKey]: String(maxRevision + 1),
          },
          ownerReferences: [controllerRef(d)],
        },
        spec: {
          replicas: initial,
          selector: {
            ...clone(d.spec?.selector ?? {}),
            matchLabels: { ...(d.spec?.selector?.matchLabels ?? {}), 'pod-template-hash': hash },
          },
          template: { ...clone(template), metadata: { ...clone(template.metadata ?? {}), labels } },
        },
      };
      if (d.spec?.['minReadySeconds']) rs.spec!['minReadySeconds'] = d.spec['minReadySeconds'];
      newRS = this.ctx.store.create(rs);
      createdNew = true;
      if (initial > 0) this.scaledEvent(d, newRS, 0, initial);
    } else if (newRS) {
      this.scaleUpNew(d, newRS, olds, replicas, maxSurge, recreate);
    }
    if (newRS) this.scaleDownOld(d, newRS, olds, replicas, maxUnavailable, recreate);
    const current = this.syncRevision(d, newRS);
    this.updateStatus(current, newRS, createdNew, replicas, maxUnavailable, now);
  }

  /** The Deployment carries its newest ReplicaSet's revision, as `kubectl rollout history` reads it. */
  private syncRevision(d: Deployment, newRS: ReplicaSet | undefined): Deployment {
    const revision = newRS?.metadata?.annotations?.[revisionKey];
    if (!revision || d.metadata?.annotations?.[revisionKey] === revision) return d;
    return this.ctx.store.update({
      ...d,
      metadata: {
        ...d.metadata,
        annotations: { ...(d.metadata?.annotations ?? {}), [revisionKey]: revision },
      },
    });
  }

  private scaledEvent(d: Deployment, rs: ReplicaSet, from: number, to: number): void {
    const verb = to > from ? 'up' : 'down';
    this.ctx.events.record(d, {
      type: 'Normal',
      reason: 'ScalingReplicaSet',
      message: `Scaled ${verb} replica set ${rs.metadata?.name} from ${from} to ${to}`,
      component,
    });
  }

  private scale(d: Deployment, rs: ReplicaSet, to: number, maxSurge: number): ReplicaSet {
    const from = rs.spec?.replicas ?? 0;
    const replicas = d.spec?.replicas ?? 1;
    const annotations = {
      ...(rs.metadata?.annotations ?? {}),
      'deployment.kubernetes.io/desired-replicas': String(replicas),
      'deployment.kubernetes.io/max-replicas': String(replicas + maxSurge),
    };
    if (
      from === to &&
      rs.metadata?.annotations?.['deployment.kubernetes.io/desired-replicas'] === String(replicas)
    )
      return rs;
    const updated = this.ctx.store.update({
      ...rs,
      metadata: { ...rs.metadata, annotations },
      spec: { ...rs.spec, replicas: to },
    }) as ReplicaSet;
    if (from !== to) this.scaledEvent(d, updated, from, to);
    return updated;
  }

  private scaleUpNew(
    d: Deployment,
    newRS: ReplicaSet,
    olds: ReplicaSet[],
    replicas: number,
    maxSurge: number,
    recreate: boolean,
  ): void {
    const current = newRS.spec?.replicas ?? 0;
    if (recreate) {
      const oldPods = olds.reduce((n, rs) => n + (rs.status?.replicas ?? 0) + (rs.spec?.replicas ?? 0), 0);
      if (oldPods === 0 && current !== replicas) this.scale(d, newRS, replicas, maxSurge);
      return;
    }
    if (current > replicas) {
      this.scale(d, newRS, replicas, maxSurge);
      return;
    }
    const total = olds.concat(newRS).reduce((n, rs) => n + (rs.spec?.replicas ?? 0), 0);
    const room = replicas + maxSurge - total;
    const target = Math.min(replicas, current + Math.max(0, room));
    this.scale(d, newRS, target, maxSurge);
  }

  /** reconcileOldReplicaSets: never drop below replicas - maxUnavailable available pods. */
  private scaleDownOld(
    d: Deployment,
    newRS: ReplicaSet,
    olds: ReplicaSet[],
    replicas: number,
    maxUnavailable: number,
    recreate: boolean,
  ): void {
    const live = olds.filter((rs) => (rs.spec?.replicas ?? 0) > 0);
    if (live.length === 0) return;
    if (recreate) {
      for (const rs of live) this.scale(d, rs, 0, 0);
      return;
    }
    const fresh: ReplicaSet | undefined = this.ctx.store.get(
      'ReplicaSet',
      newRS.metadata?.namespace,
      newRS.metadata?.name ?? '',
    );
    const all = live.concat(fresh ?? newRS);
    const allPods = all.reduce((n, rs) => n + (rs.spec?.replicas ?? 0), 0);
    const minAvailable = replicas - maxUnavailable;
    const newUnavailable = (fresh?.spec?.replicas ?? 0) - (fresh?.status?.availableReplicas ?? 0);
    let budget = allPods - minAvailable - newUnavailable;
    if (budget <= 0) return;
    const sorted = [...live].sort((a, b) =>
      String(a.metadata?.creationTimestamp).localeCompare(String(b.metadata?.creationTimestamp)),
    );
    // cleanupUnhealthyReplicas: unavailable old pods go first.
    for (const rs of [...sorted]) {
      if (budget <= 0) break;
      const unhealthy = (rs.spec?.replicas ?? 0) - (rs.status?.availableReplicas ?? 0);
      const cut = Math.min(budget, Math.max(0, unhealthy));
      if (cut > 0) {
        const updated = this.scale(d, rs, (rs.spec?.replicas ?? 0) - cut, 0);
        sorted[sorted.indexOf(rs)] = updated;
        budget -= cut;
      }
    }
    const available = all.reduce((n, rs) => n + (rs.status?.availableReplicas ?? 0), 0);
    let scaleDown = available - minAvailable;
    for (const rs of sorted) {
      if (scaleDown <= 0) break;
      const cut = Math.min(rs.spec?.replicas ?? 0, scaleDown);
      if (cut > 0) {
        this.scale(d, rs, (rs.spec?.replicas ?? 0) - cut, 0);
        scaleDown -= cut;
      }
    }
  }

  private updateStatus(
    d: Deployment,
    newRS: ReplicaSet | undefined,
    createdNew: boolean,
    replicas: number,
    maxUnavailable: number,
    now: number,
  ): void {
    const all = this.replicaSets(d);
    const fresh = newRS ? all.find((rs) => rs.metadata?.uid === newRS.metadata?.uid) : undefined;
    const sum = (f: (rs: ReplicaSet) => number | undefined): number =>
      all.reduce((n, rs) => n + (f(rs) ?? 0), 0);
    const status: NonNullable<Deployment['status']> = {
      observedGeneration: d.metadata?.generation ?? 1,
      replicas: sum((rs) => rs.status?.replicas),
      updatedReplicas: fresh?.status?.replicas ?? 0,
      readyReplicas: sum((rs) => rs.status?.readyReplicas),
      availableReplicas: sum((rs) => rs.status?.availableReplicas),
    };
    status.unavailableReplicas = Math.max(
      0,
      Math.max(replicas, status.replicas ?? 0) - (status.availableReplicas ?? 0),
    );
    if (d.status?.['collisionCount'] !== undefined) status['collisionCount'] = d.status['collisionCount'];
    let conditions: Condition[] = d.status?.conditions ?? [];
    const available = (status.availableReplicas ?? 0) >= replicas - maxUnavailable;
    conditions = setCondition(
      conditions,
      available
        ? {
            type: 'Available',
            status: 'True',
            reason: 'MinimumReplicasAvailable',
            message: 'Deployment has minimum availability.',
          }
        : {
            type: 'Available',
            status: 'False',
            reason: 'MinimumReplicasUnavailable',
            message: 'Deployment does not have minimum availability.',
          },
      now,
      'workload',
    );
    const rsName = fresh?.metadata?.name ?? '';
    const complete =
      status.updatedReplicas === replicas &&
      status.replicas === replicas &&
      status.availableReplicas === replicas &&
      (fresh?.spec?.replicas ?? 0) === replicas;
    const previous = d.status;
    const progressed =
      createdNew ||
      (status.updatedReplicas ?? 0) > (previous?.updatedReplicas ?? 0) ||
      (status.readyReplicas ?? 0) > (previous?.readyReplicas ?? 0) ||
      (status.availableReplicas ?? 0) > (previous?.availableReplicas ?? 0) ||
      (status.replicas ?? 0) < (previous?.replicas ?? 0);
    const progressing = conditions.find((c) => c.type === 'Progressing');
    const deadline = Number(d.spec?.progressDeadlineSeconds ?? 600) * 1000;
    if (createdNew) {
      conditions = setCondition(
        conditions,
        {
          type: 'Progressing',
          status: 'True',
          reason: 'NewReplicaSetCreated',
          message: `Created new replica set "${rsName}"`,
        },
        now,
        'workload',
      );
    } else if (complete) {
      conditions = setCondition(
        conditions,
        {
          type: 'Progressing',
          status: 'True',
          reason: 'NewReplicaSetAvailable',
          message: `ReplicaSet "${rsName}" has successfully progressed.`,
        },
        now,
        'workload',
      );
    } else if (progressed || !progressing) {
      const reason = progressing ? 'ReplicaSetUpdated' : 'FoundNewReplicaSet';
      const message = progressing
        ? `ReplicaSet "${rsName}" is progressing.`
        : `Found new replica set "${rsName}"`;
      conditions = setCondition(
        conditions,
        { type: 'Progressing', status: 'True', reason, message },
        now,
        'workload',
      );
      const c = conditions.find((x) => x.type === 'Progressing')!;
      c.lastUpdateTime = rfc3339(now);
    } else if (
      progressing.reason !== 'ProgressDeadlineExceeded' &&
      progressing.reason !== 'NewReplicaSetAvailable'
    ) {
      const since = Date.parse(progressing.lastUpdateTime ?? progressing.lastTransitionTime ?? '');
      if (!Number.isNaN(since) && since + deadline <= now) {
        conditions = setCondition(
          conditions,
          {
            type: 'Progressing',
            status: 'False',
            reason: 'ProgressDeadlineExceeded',
            message: `ReplicaSet "${rsName}" has timed out progressing.`,
          },
          now,
          'workload',
        );
      } else if (!Number.isNaN(since)) {
        this.requeue(d.metadata?.namespace ?? '', d.metadata?.name ?? '', since + deadline - now + 1);
      }
    } else if (progressing.reason === 'NewReplicaSetAvailable' && !complete) {
      conditions = setCondition(
        conditions,
        {
          type: 'Progressing',
          status: 'True',
          reason: 'ReplicaSetUpdated',
          message: `ReplicaSet "${rsName}" is progressing.`,
        },
        now,
        'workload',
      );
    }
    const failure = fresh?.status?.conditions?.find(
      (c) => c.type === 'ReplicaFailure' && c.status === 'True',
    );
    conditions = failure
      ? setCondition(
          conditions,
          {
            type: 'ReplicaFailure',
            status: 'True',
            reason: failure.reason ?? 'FailedCreate',
            message: failure.message ?? '',
          },
          now,
          'workload',
        )
      : conditions.filter((c) => c.type !== 'ReplicaFailure');
    // A fresh Progressing timer: check the deadline when it can first expire.
    const p = conditions.find((c) => c.type === 'Progressing');
    if (p && p.status === 'True' && p.reason !== 'NewReplicaSetAvailable') {
      const since = Date.parse(p.lastUpdateTime ?? '');
      if (!Number.isNaN(since))
        this.requeue(
          d.metadata?.namespace ?? '',
          d.metadata?.name ?? '',
          Math.max(1, since + deadline - now + 1),
        );
    }
    status.conditions = conditions;
    writeStatus(this.ctx.store, d, status);
  }
}
