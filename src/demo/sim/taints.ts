// Taint/toleration matching (k8s.io/api/core/v1 toleration.go) and the node affinity the
// scheduler's NodeAffinity plugin enforces (nodeSelector plus required terms).
import type { Node, Pod, Taint, Toleration } from '../../kube/types';
import { matchesRequirement } from './labels';
import type { Requirement } from './labels';

export function tolerates(toleration: Toleration, taint: Taint): boolean {
  if (toleration.effect && toleration.effect !== taint.effect) return false;
  if (toleration.key && toleration.key !== taint.key) return false;
  if (!toleration.key && toleration.operator !== 'Exists') return false;
  if (toleration.operator === 'Exists') return true;
  return (toleration.value ?? '') === (taint.value ?? '');
}

/** The first NoSchedule/NoExecute taint no toleration covers, as FindMatchingUntoleratedTaint. */
export function untoleratedTaint(node: Node, tolerations: Toleration[] | undefined): Taint | undefined {
  return (node.spec?.taints ?? []).find(
    (taint) =>
      (taint.effect === 'NoSchedule' || taint.effect === 'NoExecute') &&
      !(tolerations ?? []).some((t) => tolerates(t, taint)),
  );
}

interface NodeSelectorTerm {
  matchExpressions?: Requirement[];
  matchFields?: Requirement[];
}

export function matchesNodeAffinity(pod: Pod, node: Node): boolean {
  const labels = node.metadata?.labels ?? {};
  for (const [k, v] of Object.entries(pod.spec?.nodeSelector ?? {})) if (labels[k] !== v) return false;
  const affinity = pod.spec?.affinity as
    | {
        nodeAffinity?: {
          requiredDuringSchedulingIgnoredDuringExecution?: { nodeSelectorTerms?: NodeSelectorTerm[] };
        };
      }
    | undefined;
  const terms = affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  if (!terms || terms.length === 0) return true;
  const fields = { 'metadata.name': node.metadata?.name ?? '' };
  // Terms are ORed; the requirements inside one term are ANDed.
  return terms.some(
    (term) =>
      (term.matchExpressions ?? []).every((req) => matchesRequirement(labels, req)) &&
      (term.matchFields ?? []).every((req) => matchesRequirement(fields, req)) &&
      ((term.matchExpressions?.length ?? 0) > 0 || (term.matchFields?.length ?? 0) > 0),
  );
}
