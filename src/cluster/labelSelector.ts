// Label selector matching with the API server's semantics, for the store's selector lookups
// (Service → Pods, Deployment → ReplicaSets/Pods).
import type { LabelSelector } from '../analysis/k8s';

/** A Service's `spec.selector` is a plain map; workloads use a LabelSelector. */
export type Selector = LabelSelector | Record<string, string>;

export function normalizeSelector(selector: Selector): LabelSelector {
  return 'matchLabels' in selector || 'matchExpressions' in selector
    ? selector
    : { matchLabels: selector as Record<string, string> };
}

/**
 * An empty LabelSelector matches everything (as for a Deployment); callers that must treat an
 * empty Service selector as "matches nothing" check that before asking.
 */
export function matchesSelector(
  labels: Record<string, string> | undefined,
  selector: LabelSelector,
): boolean {
  const own = labels ?? {};
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (own[k] !== v) return false;
  for (const expr of selector.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(own, expr.key);
    const values = expr.values ?? [];
    switch (expr.operator) {
      case 'In':
        if (!has || !values.includes(own[expr.key] ?? '')) return false;
        break;
      case 'NotIn':
        if (has && values.includes(own[expr.key] ?? '')) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      default:
        // An operator the API server would have rejected: match nothing rather than everything.
        return false;
    }
  }
  return true;
}
