// Label selectors with the apiserver's semantics (metav1.LabelSelectorAsSelector): which pods a
// workload or a Service selects. The two selector shapes differ at the edges, and the edges are
// exactly where "my Service has no endpoints" bugs live, so each is spelled out.
import type { LabelSelector } from './types';

type Labels = Record<string, string> | undefined;

/**
 * A workload's `spec.selector`. An absent selector matches nothing; an empty one `{}` matches
 * everything. An unknown operator, or In/NotIn without values, is an invalid selector, which the
 * apiserver would have rejected: it matches nothing rather than everything.
 */
export function matchesSelector(selector: LabelSelector | undefined, labels: Labels): boolean {
  if (!selector) return false;
  const own = labels ?? {};
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    if (own[key] !== value) return false;
  }
  for (const { key, operator, values = [] } of selector.matchExpressions ?? []) {
    const has = Object.hasOwn(own, key);
    switch (operator) {
      case 'In':
        if (values.length === 0 || !has || !values.includes(own[key]!)) return false;
        break;
      case 'NotIn':
        if (values.length === 0) return false;
        if (has && values.includes(own[key]!)) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

/**
 * A Service's `spec.selector` (a plain map). An absent or empty map means the Service has no
 * selector at all: the endpoints controller leaves it alone (endpoints are managed by hand), so
 * it selects no pod — unlike an empty LabelSelector, which selects every pod.
 */
export function matchesServiceSelector(
  selector: Record<string, string> | undefined,
  labels: Labels,
): boolean {
  if (!selector || Object.keys(selector).length === 0) return false;
  return matchesSelector({ matchLabels: selector }, labels);
}

/**
 * `metav1.FormatLabelSelector`, as `kubectl get -o wide` prints SELECTOR: requirements sorted by
 * key, `app=web,tier in (api,web),!canary`; `<none>` when it selects nothing or is empty.
 */
export function formatLabelSelector(selector: LabelSelector | undefined): string {
  if (!selector) return '<none>';
  const requirements: [string, string][] = [];
  for (const [key, value] of Object.entries(selector.matchLabels ?? {}))
    requirements.push([key, `${key}=${value}`]);
  for (const { key, operator, values = [] } of selector.matchExpressions ?? []) {
    const list = [...values].sort().join(',');
    if ((operator === 'In' || operator === 'NotIn') && values.length === 0) return '<error>';
    switch (operator) {
      case 'In':
        requirements.push([key, `${key} in (${list})`]);
        break;
      case 'NotIn':
        requirements.push([key, `${key} notin (${list})`]);
        break;
      case 'Exists':
        requirements.push([key, key]);
        break;
      case 'DoesNotExist':
        requirements.push([key, `!${key}`]);
        break;
      default:
        return '<error>';
    }
  }
  const text = requirements
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, r]) => r)
    .join(',');
  return text || '<none>';
}
