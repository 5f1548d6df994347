// The node affinity the scheduler's NodeAffinity plugin enforces (nodeSelector plus required
// terms); taints and tolerations are kube/tolerations.ts.
import type { Node, Pod } from '../../../kube/types';
import { matchesRequirement } from './labels';
import type { Requirement } from './labels';

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
