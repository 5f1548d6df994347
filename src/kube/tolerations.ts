// Taint and toleration matching as k8s.io/api/core/v1 toleration.go and the scheduler's
// TaintToleration plugin read them. The scheduler, the DaemonSet controller and the
// untolerated-taint finding must agree on which node a pod may use, so they share this.
import type { Node, Taint, Toleration } from './types';

/**
 * `Toleration.ToleratesTaint`: an empty effect or key matches every effect or key, an empty
 * operator means Equal, and an operator it does not know tolerates nothing (Lt/Gt are alpha
 * behind a feature gate after 1.33, so they are unknown here too).
 */
export function toleratesTaint(toleration: Toleration, taint: Taint): boolean {
  if (toleration.effect && toleration.effect !== taint.effect) return false;
  if (toleration.key && toleration.key !== taint.key) return false;
  switch (toleration.operator ?? '') {
    case '':
    case 'Equal':
      return (toleration.value ?? '') === (taint.value ?? '');
    case 'Exists':
      return true;
    default:
      return false;
  }
}

/** `TolerationsTolerateTaint`: whether any of `tolerations` tolerates `taint`. */
export function tolerationsTolerateTaint(
  tolerations: readonly Toleration[] | undefined,
  taint: Taint,
): boolean {
  return (tolerations ?? []).some((t) => toleratesTaint(t, taint));
}

/** Only these effects keep a pod off a node; PreferNoSchedule is a scoring hint. */
export function isBlockingTaint(taint: Taint): boolean {
  return taint.effect === 'NoSchedule' || taint.effect === 'NoExecute';
}

/** The first NoSchedule/NoExecute taint no toleration covers, as `FindMatchingUntoleratedTaint`. */
export function untoleratedTaint(
  node: Node,
  tolerations: readonly Toleration[] | undefined,
): Taint | undefined {
  return (node.spec?.taints ?? []).find(
    (taint) => isBlockingTaint(taint) && !tolerationsTolerateTaint(tolerations, taint),
  );
}
