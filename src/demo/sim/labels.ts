// Label selectors as the controllers, Services and the scheduler's node affinity evaluate them.
import type { LabelSelector } from '../../analysis/k8s';

export interface Requirement {
  key: string;
  operator: string;
  values?: string[];
}

export function matchesRequirement(labels: Record<string, string>, req: Requirement): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, req.key);
  const value = labels[req.key];
  switch (req.operator) {
    case 'In':
      return has && (req.values ?? []).includes(value!);
    case 'NotIn':
      return !has || !(req.values ?? []).includes(value!);
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
    case 'Gt':
      return has && Number(value) > Number(req.values?.[0]);
    case 'Lt':
      return has && Number(value) < Number(req.values?.[0]);
    default:
      return false;
  }
}

/** An empty selector matches everything, as metav1.LabelSelectorAsSelector does. */
export function matchesSelector(
  labels: Record<string, string> | undefined,
  selector: LabelSelector | undefined,
): boolean {
  const l = labels ?? {};
  for (const [k, v] of Object.entries(selector?.matchLabels ?? {})) if (l[k] !== v) return false;
  return (selector?.matchExpressions ?? []).every((req) => matchesRequirement(l, req));
}

/** A Service's map selector; an empty one selects nothing (manually managed endpoints). */
export function matchesMap(
  labels: Record<string, string> | undefined,
  selector: Record<string, string> | undefined,
): boolean {
  if (!selector || Object.keys(selector).length === 0) return false;
  const l = labels ?? {};
  return Object.entries(selector).every(([k, v]) => l[k] === v);
}
