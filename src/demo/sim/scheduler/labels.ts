// Node selector requirements (node affinity, taint tolerations' matching): unlike label
// selectors they also have Gt and Lt. Label selectors are kube/labelSelector.ts.

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
