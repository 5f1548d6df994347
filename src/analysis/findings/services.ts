// A Service whose selector matches no ready pod (catalog §18). Nothing in the cluster reports
// this, so it is computed: the Service's EndpointSlices, else the pods its selector matches. The fix
// aligns the selector with the labels that pods (or pod templates) in the namespace really carry.
import type { ClusterView } from '../../kube/clusterView';
import type { Finding, FixSuggestion } from '../finding';
import type { FieldChange } from '../../kube/fieldChange';
import type { Pod, Service } from '../../kube/types';
import { matchesServiceSelector } from '../../kube/labelSelector';
import { childPath, refOf, unique } from './findingBase';

const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

function isReady(pod: Pod): boolean {
  return pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

interface LabelOwner {
  labels: Record<string, string>;
  /** `pod shop/checkout-…` or `Deployment shop/checkout`. */
  name: string;
}

/** Label sets a selector could be meant for: pod templates of workloads, then pods. */
function labelOwners(view: ClusterView, namespace: string | undefined, pods: readonly Pod[]): LabelOwner[] {
  const owners: LabelOwner[] = [];
  for (const kind of ['Deployment', 'StatefulSet', 'DaemonSet'] as const) {
    if (view.isUnavailable(kind, namespace)) continue;
    for (const workload of view.list(kind, namespace)) {
      const labels = workload.spec?.template?.metadata?.labels;
      if (labels)
        owners.push({ labels, name: `${kind} ${namespace ?? ''}/${workload.metadata?.name ?? ''}` });
    }
  }
  for (const pod of pods)
    if (pod.metadata?.labels)
      owners.push({ labels: pod.metadata.labels, name: `pod ${namespace ?? ''}/${pod.metadata.name ?? ''}` });
  return owners;
}

/** The selector edit that makes it match `labels`: fix differing values, drop keys the labels lack. */
function alignment(
  selector: Record<string, string>,
  labels: Record<string, string>,
): { changes: FieldChange[]; kept: number; shown: string[] } {
  const changes: FieldChange[] = [];
  const shown: string[] = [];
  let kept = 0;
  for (const [key, value] of Object.entries(selector)) {
    const actual = labels[key];
    if (actual === value) kept++;
    else if (actual !== undefined) {
      changes.push({ op: 'set', root: 'object', path: childPath('spec.selector', key), value: actual });
      shown.push(`${key}=${actual}`);
    } else {
      changes.push({ op: 'remove', root: 'object', path: childPath('spec.selector', key) });
      shown.push(`drop ${key}`);
    }
  }
  return { changes, kept, shown };
}

/**
 * service-no-endpoints for one Service. `pods` are the namespace's pods when the caller already
 * has them (analyzeCluster lists each namespace once); otherwise they are listed here.
 */
export function serviceFindings(service: Service, view: ClusterView, pods?: readonly Pod[]): Finding[] {
  const selector = service.spec?.selector;
  // Without a selector the endpoints are managed by hand; ExternalName has none at all.
  if (!selector || Object.keys(selector).length === 0 || service.spec?.type === 'ExternalName') return [];
  const namespace = service.metadata?.namespace;
  const name = service.metadata?.name ?? '';
  const slices = view.isUnavailable('EndpointSlice', namespace)
    ? []
    : view.list('EndpointSlice', namespace).filter((s) => s.metadata?.labels?.[SERVICE_NAME_LABEL] === name);
  if (slices.some((s) => (s.endpoints ?? []).some((e) => e.conditions?.ready !== false))) return [];
  if (view.isUnavailable('Pod', namespace)) return [];
  const all = (pods ?? view.list('Pod', namespace)).filter(
    (p) => p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed',
  );
  const selected = all.filter((p) => matchesServiceSelector(selector, p.metadata?.labels ?? {}));
  if (selected.some(isReady)) return [];
  const shownSelector = Object.entries(selector)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
  const sliceEvidence = slices.map(
    (s) =>
      `EndpointSlice ${s.metadata?.name ?? ''}: ${(s.endpoints ?? []).length ? `${(s.endpoints ?? []).length} endpoints, none ready` : 'no endpoints'}`,
  );
  const subject = refOf(service, 'Service');

  if (selected.length) {
    return [
      {
        code: 'service-no-endpoints',
        severity: 'warning',
        message: `Service ${name} has no ready endpoints: the ${selected.length} pod${selected.length > 1 ? 's' : ''} it selects ${selected.length > 1 ? 'are' : 'is'} not ready`,
        phase: 'Run',
        subject,
        blame: { root: 'object', paths: ['spec.selector'] },
        evidence: [
          ...sliceEvidence,
          ...selected.map((p) => `pod ${p.metadata?.name ?? ''} matches ${shownSelector} but is not ready`),
        ],
        fixes: [],
      },
    ];
  }

  const candidates = labelOwners(view, namespace, all)
    .map((owner) => ({ owner, ...alignment(selector, owner.labels) }))
    .filter((c) => c.changes.some((change) => change.op === 'set') || c.kept > 0)
    .sort((a, b) => b.kept - a.kept || a.changes.length - b.changes.length);
  const fixes: FixSuggestion[] = [];
  const seen = new Set<string>();
  const mismatched = new Set<string>();
  for (const candidate of candidates) {
    const key = JSON.stringify(candidate.changes);
    if (seen.has(key) || fixes.length >= 3) continue;
    seen.add(key);
    fixes.push({
      title: `Select the labels of ${candidate.owner.name}: ${candidate.shown.join(', ')}`,
      changes: candidate.changes,
    });
    for (const change of candidate.changes) mismatched.add(change.path);
  }
  const nearest = candidates[0];
  return [
    {
      code: 'service-no-endpoints',
      severity: 'error',
      message: `Service ${name} selects no pod: no pod in ${namespace ?? 'the namespace'} has the labels ${shownSelector}`,
      phase: 'Run',
      subject,
      blame: {
        root: 'object',
        paths: unique([
          ...(nearest ? nearest.changes.map((c) => c.path) : []),
          ...mismatched,
          'spec.selector',
        ]),
      },
      evidence: [
        `selector ${shownSelector} matches no pod`,
        ...sliceEvidence,
        ...candidates.slice(0, 3).map(
          (c) =>
            `${c.owner.name} has labels ${Object.entries(c.owner.labels)
              .map(([k, v]) => `${k}=${v}`)
              .join(',')}`,
        ),
      ],
      fixes,
    },
  ];
}
