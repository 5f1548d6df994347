// rollout-stuck: a Deployment whose rollout timed out (catalog §17, ProgressDeadlineExceeded),
// blamed on what its new ReplicaSet's pods fail with, with a rollback to the last revision that ran.
import type { ClusterView } from '../../kube/clusterView';
import type { Finding, FixSuggestion } from '../finding';
import type { FieldChange } from '../../kube/fieldChange';
import type { Deployment, ReplicaSet } from '../../kube/types';
import { sanitizeText } from '../../kube/sanitize';
import { containerPath } from './podContainers';
import type { ExplainPod } from './controllerFinding';
import { causeEvidence, controllerFinding, podCauses } from './controllerFinding';

const REVISION = 'deployment.kubernetes.io/revision';
const TIMED_OUT_RS = /^ReplicaSet "([^"]+)" has timed out progressing/;

function rollbackFix(view: ClusterView, deployment: Deployment, newRs: string | undefined): FixSuggestion[] {
  const current = deployment.spec?.template?.spec?.containers ?? [];
  const uid = deployment.metadata?.uid;
  if (!uid) return [];
  const older = (view.ownedBy(uid) as ReplicaSet[])
    .filter(
      (rs) =>
        (rs.kind ?? 'ReplicaSet') === 'ReplicaSet' &&
        rs.metadata?.name !== newRs &&
        (rs.spec?.template?.spec?.containers?.length ?? 0) > 0,
    )
    .filter((rs) => (rs.status?.availableReplicas ?? rs.status?.readyReplicas ?? 0) > 0)
    .sort(
      (a, b) =>
        Number(b.metadata?.annotations?.[REVISION] ?? 0) - Number(a.metadata?.annotations?.[REVISION] ?? 0),
    );
  const previous = older[0];
  if (!previous) return [];
  const changes: FieldChange[] = [];
  const shown: string[] = [];
  for (const old of previous.spec?.template?.spec?.containers ?? []) {
    const now = current.find((c) => c.name === old.name);
    if (!now) continue;
    for (const field of ['image', 'command', 'args'] as const) {
      if (JSON.stringify(old[field] ?? null) === JSON.stringify(now[field] ?? null)) continue;
      const path = `${containerPath('containers', old.name)}.${field}`;
      changes.push(
        old[field] === undefined
          ? { op: 'remove', root: 'podSpec', path }
          : { op: 'set', root: 'podSpec', path, value: old[field] },
      );
      shown.push(`${old.name} ${field} ${JSON.stringify(old[field] ?? null)}`);
    }
  }
  if (!changes.length) return [];
  const revision = previous.metadata?.annotations?.[REVISION];
  return [
    {
      title: `Roll back to what ReplicaSet ${previous.metadata?.name ?? ''}${revision ? ` (revision ${revision})` : ''} runs: ${shown.join(', ')}`,
      changes,
    },
  ];
}

/** rollout-stuck for one Deployment. */
export function rolloutFindings(deployment: Deployment, view: ClusterView, explain: ExplainPod): Finding[] {
  const progressing = deployment.status?.conditions?.find((c) => c.type === 'Progressing');
  if (progressing?.status !== 'False' || progressing.reason !== 'ProgressDeadlineExceeded') return [];
  const namespace = deployment.metadata?.namespace;
  const message = sanitizeText(progressing.message ?? '');
  const newRsName = TIMED_OUT_RS.exec(message)?.[1];
  const newRs = newRsName ? view.get('ReplicaSet', namespace, newRsName) : undefined;
  const causes = podCauses(view, newRs?.metadata?.uid, explain);
  const status = deployment.status;
  const cause = causes.find((c) => c.blame.root === 'podSpec');
  return [
    controllerFinding(deployment, 'Deployment', {
      code: 'rollout-stuck',
      message: `Rollout of Deployment ${deployment.metadata?.name ?? ''} is stuck: ${newRsName ? `ReplicaSet ${newRsName}` : 'the new ReplicaSet'} did not become available within ${deployment.spec?.progressDeadlineSeconds ?? 600}s${cause ? ` (${cause.code})` : ''}`,
      phase: cause?.phase ?? 'Run',
      // The pods' own finding names the field that broke the new template; without one, the template.
      blame: cause
        ? cause.blame
        : { root: 'object', paths: ['spec.template', 'spec.progressDeadlineSeconds'] },
      evidence: [
        `Progressing=False ProgressDeadlineExceeded: ${message}`,
        `replicas ${status?.replicas ?? 0}, updated ${status?.updatedReplicas ?? 0}, ready ${status?.readyReplicas ?? 0}, available ${status?.availableReplicas ?? 0}, unavailable ${status?.unavailableReplicas ?? 0}`,
        ...causeEvidence(causes),
      ],
      fixes: rollbackFix(view, deployment, newRsName),
      lastSeen: progressing.lastUpdateTime ?? progressing.lastTransitionTime,
    }),
  ];
}
