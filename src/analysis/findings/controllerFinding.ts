// What the controller-level findings share: a Finding about a Deployment, ReplicaSet or Job
// rather than a pod, and the pods' own findings quoted as its cause, so the controller's finding
// blames the same field as the pods' do.
import type { ClusterView } from '../../kube/clusterView';
import type { FailurePhase, Finding, FixSuggestion, FindingCode } from '../finding';
import type { Blame } from '../../kube/fieldChange';
import type { Deployment, Job, Pod, ReplicaSet } from '../../kube/types';
import { refOf, unique } from './findingBase';

/** The pod findings of a pod, supplied by analyze.ts (cached there). */
export type ExplainPod = (pod: Pod) => readonly Finding[];

export function controllerFinding(
  subject: ReplicaSet | Deployment | Job,
  kind: string,
  parts: {
    code: FindingCode;
    message: string;
    phase: FailurePhase;
    blame: Blame;
    evidence: string[];
    fixes: FixSuggestion[];
    lastSeen?: string | undefined;
  },
): Finding {
  const finding: Finding = {
    code: parts.code,
    severity: 'error',
    message: parts.message,
    phase: parts.phase,
    subject: refOf(subject, kind),
    blame: { root: parts.blame.root, paths: unique(parts.blame.paths) },
    evidence: unique(parts.evidence.filter((e) => e.trim() !== '')),
    fixes: parts.fixes,
  };
  if (parts.lastSeen) finding.lastSeen = parts.lastSeen;
  return finding;
}

/** Pod findings of the pods a controller owns, most severe first, one per code. */
export function podCauses(view: ClusterView, ownerUid: string | undefined, explain: ExplainPod): Finding[] {
  if (!ownerUid) return [];
  const byCode = new Map<string, Finding>();
  for (const child of view.ownedBy(ownerUid)) {
    if ((child.kind ?? 'Pod') !== 'Pod') continue;
    for (const finding of explain(child)) if (!byCode.has(finding.code)) byCode.set(finding.code, finding);
  }
  return [...byCode.values()];
}

export function causeEvidence(causes: readonly Finding[]): string[] {
  return causes.map((c) => `pod ${c.subject.name}: ${c.code}: ${c.message}`);
}
