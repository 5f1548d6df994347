// The one entry point of diagnosis: live objects in, Findings out. Per object it runs the failure
// families of src/analysis/findings/, lets the precise finding win over the generic one on the
// same container, names the workload whose manifest gets the squiggle, and merges the same
// failure seen on several pods of one workload into one finding.
//
// Cost: analyzing a pod reads only its own events, its owners and their children (index lookups
// through ClusterView.get/eventsFor/ownedBy). Listing happens only on the path of an actual
// failure, to compute a fix: the Nodes for a FailedScheduling, the namespace's ConfigMaps for a
// missing one, its pull Secrets for a denied pull, its pods to find a preemptor by UID.
import type { ClusterView, KindName } from '../kube/clusterView';
import type { ObjectKey } from './reanalysis';
import type { Finding, Severity } from './finding';
import type { ObjectRef } from '../kube/objectRef';
import { refKey } from '../kube/objectRef';
import type { Deployment, Job, Pod, ReplicaSet, Service } from '../kube/types';
import { topController } from '../kube/ownership';
import { sanitizeText } from '../kube/sanitize';
import type { AnalysisOptions } from './findings/analysisOptions';
import { configRefFindings } from './findings/configRefs';
import { commandNotFoundFindings, crashLoopFindings } from './findings/crashLoop';
import { deletedPodFindings, evictionFindings } from './findings/eviction';
import { imagePullFindings } from './findings/imagePull';
import { initContainerFindings } from './findings/initContainers';
import { memoryNearLimitFindings } from './findings/memoryUsage';
import { oomKilledFindings } from './findings/oomKilled';
import { probeFindings } from './findings/probes';
import { runAsNonRootFindings } from './findings/runAsNonRoot';
import { schedulingFindings } from './findings/scheduling';
import { serviceFindings } from './findings/services';
import type { ExplainPod } from './findings/controllerFinding';
import { failedCreateFindings } from './findings/podCreateForbidden';
import { jobFindings } from './findings/jobBackoff';
import { rolloutFindings } from './findings/rolloutStuck';

export type { AnalysisOptions } from './findings/analysisOptions';

/** Codes that only say "it fails"; any other finding on the same container says why, and wins. */
const GENERIC = new Set<string>(['crash-loop', 'init-container-failed']);
/** Findings that do not explain a crash: a readiness failure or high memory use happens alongside one. */
const NOT_A_CAUSE = new Set<string>(['readiness-probe-failed', 'memory-near-limit']);
/** The cluster stopped the pod: its containers' exit codes are a consequence, not a crash. */
const STOPPED_BY_CLUSTER = new Set<string>(['evicted', 'preempted', 'node-not-ready']);

const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob']);
export const SEVERITY_RANK: Readonly<Record<Severity, number>> = { error: 0, warning: 1, info: 2 };

function containerKey(finding: Finding): string | undefined {
  return finding.container ? `${finding.container.kind}/${finding.container.name}` : undefined;
}

/** Drop generic findings that a precise one on the same container (or a cluster stop) explains. */
export function applyPrecedence(findings: readonly Finding[]): Finding[] {
  const explained = new Set<string>();
  let stopped = false;
  for (const finding of findings) {
    if (STOPPED_BY_CLUSTER.has(finding.code)) stopped = true;
    const key = containerKey(finding);
    if (key && !GENERIC.has(finding.code) && !NOT_A_CAUSE.has(finding.code)) explained.add(key);
  }
  return findings.filter((f) => {
    if (!GENERIC.has(f.code)) return true;
    const key = containerKey(f);
    return !stopped && !(key && explained.has(key));
  });
}

/** The workload whose manifest defines the subject: its top controller, or itself when it is one. */
function workloadOf(
  view: ClusterView,
  finding: Finding,
  subject: Pod | ReplicaSet | Deployment | Job,
): ObjectRef | undefined {
  return (
    topController(view, subject) ?? (WORKLOAD_KINDS.has(finding.subject.kind) ? finding.subject : undefined)
  );
}

/**
 * Families sanitize the cluster's messages they quote; names and images they interpolate come
 * from object fields the apiserver does not restrict (an image may hold any text), so every
 * string a person reads is cleaned once more here.
 */
function clean(finding: Finding): Finding {
  finding.message = sanitizeText(finding.message);
  finding.evidence = finding.evidence.map((text) => sanitizeText(text));
  for (const fix of finding.fixes) fix.title = sanitizeText(fix.title);
  return finding;
}

function withWorkload(
  view: ClusterView,
  subject: Pod | ReplicaSet | Deployment | Job,
  findings: Finding[],
): Finding[] {
  for (const finding of findings) {
    const workload = workloadOf(view, finding, subject);
    if (workload) finding.workload = workload;
    clean(finding);
  }
  return findings;
}

/** Every finding about one pod, precedence applied and `workload` set; not merged with other pods. */
export function analyzePod(view: ClusterView, pod: Pod, options: AnalysisOptions = {}): Finding[] {
  const findings = [
    ...schedulingFindings(pod, view),
    ...configRefFindings(pod, view),
    ...runAsNonRootFindings(pod, view),
    ...imagePullFindings(pod, view),
    ...commandNotFoundFindings(pod, view),
    ...oomKilledFindings(pod, view, options),
    ...memoryNearLimitFindings(pod, view, options),
    ...probeFindings(pod, view),
    ...evictionFindings(pod, view),
    ...initContainerFindings(pod, view, options),
    ...crashLoopFindings(pod, view, options),
  ];
  return withWorkload(view, pod, applyPrecedence(findings));
}

function memoized(
  view: ClusterView,
  options: AnalysisOptions,
  cache = new Map<string, Finding[]>(),
): ExplainPod {
  return (pod) => {
    const key = pod.metadata?.uid ?? `${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''}`;
    let found = cache.get(key);
    if (!found) {
      found = analyzePod(view, pod, options);
      cache.set(key, found);
    }
    return found;
  };
}

function analyzeController(
  view: ClusterView,
  kind: string,
  object: Deployment | ReplicaSet | Job,
  explain: ExplainPod,
): Finding[] {
  switch (kind) {
    case 'Deployment':
      return withWorkload(view, object, rolloutFindings(object, view, explain));
    case 'ReplicaSet':
      return withWorkload(view, object, [
        ...failedCreateFindings(object, 'ReplicaSet', view),
        ...deletedPodFindings(object, view),
      ]);
    case 'Job':
      return withWorkload(view, object, [
        ...failedCreateFindings(object, 'Job', view),
        ...deletedPodFindings(object, view),
        ...jobFindings(object, view, explain),
      ]);
    default:
      return [];
  }
}

/**
 * The findings of one object, for incremental updates: Pod, Deployment, ReplicaSet, Job or Service
 * (other kinds have no findings of their own: when a ConfigMap, Secret, Node, PVC or PriorityClass
 * changes, re-run the pods that use it). Not merged across pods: merge the results of all objects
 * with `mergeFindings`, as `analyzeCluster` does.
 */
export function analyzeObject(
  view: ClusterView,
  kind: KindName,
  namespace: string | undefined,
  name: string,
  options: AnalysisOptions = {},
): Finding[] {
  return analyzeKey(
    view,
    { kind, name, ...(namespace !== undefined ? { namespace } : {}) },
    memoized(view, options),
  );
}

/**
 * `analyzeObject` for a batch, sharing one per-pod memo: a Deployment and the pods it quotes are
 * analyzed once per batch, not once per caller. Keys whose object is gone map to `[]`.
 */
export function analyzeObjects(
  view: ClusterView,
  keys: readonly ObjectKey[],
  options: AnalysisOptions = {},
): Map<string, Finding[]> {
  const explain = memoized(view, options);
  const out = new Map<string, Finding[]>();
  for (const key of keys) {
    const id = objectKeyString(key);
    if (out.has(id)) continue;
    out.set(id, analyzeKey(view, key, explain));
  }
  return out;
}

/** The map key of an ObjectKey: `Kind/namespace/name`. */
export function objectKeyString(key: ObjectKey): string {
  return `${key.kind}/${key.namespace ?? ''}/${key.name}`;
}

function analyzeKey(view: ClusterView, key: ObjectKey, explain: ExplainPod): Finding[] {
  const { kind, namespace, name } = key;
  switch (kind) {
    case 'Pod': {
      const pod = view.get('Pod', namespace, name);
      return pod ? [...explain(pod)] : [];
    }
    case 'Deployment':
    case 'ReplicaSet':
    case 'Job': {
      const object = view.get(kind, namespace, name);
      return object ? analyzeController(view, kind, object, explain) : [];
    }
    case 'Service': {
      const service = view.get('Service', namespace, name);
      return service ? serviceFindings(service, view).map(clean) : [];
    }
    default:
      return [];
  }
}

/** Findings for everything in the view, merged per workload, errors first. */
export function analyzeCluster(view: ClusterView, options: AnalysisOptions = {}): Finding[] {
  const cache = new Map<string, Finding[]>();
  const explain = memoized(view, options, cache);
  const findings: Finding[] = [];
  const podsByNamespace = new Map<string, Pod[]>();
  for (const pod of view.list('Pod')) {
    findings.push(...explain(pod));
    const namespace = pod.metadata?.namespace ?? '';
    pushTo(podsByNamespace, namespace, pod);
  }
  for (const kind of ['Deployment', 'ReplicaSet', 'Job'] as const) {
    for (const object of view.list(kind)) findings.push(...analyzeController(view, kind, object, explain));
  }
  for (const service of view.list('Service') as Service[]) {
    findings.push(
      ...serviceFindings(service, view, podsByNamespace.get(service.metadata?.namespace ?? '') ?? []).map(
        clean,
      ),
    );
  }
  return mergeFindings(findings).sort((a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity]);
}

/** Evidence lines kept per merged finding, so a 50-replica failure does not print 50 copies. */
const MAX_MERGED_EVIDENCE = 20;

/**
 * One finding per (workload, code, blamed field, container): several pods of a workload failing the
 * same way become one squiggle. The newest finding leads; the evidence says how many pods and which.
 */
export function mergeFindings(findings: readonly Finding[]): Finding[] {
  const groups = new Map<string, Finding[]>();
  for (const finding of findings) {
    const owner = finding.workload ? refKey(finding.workload) : refKey(finding.subject);
    const key = [
      owner,
      finding.code,
      finding.blame.root,
      finding.blame.paths[0] ?? '',
      containerKey(finding) ?? '',
    ].join('|');
    pushTo(groups, key, finding);
  }
  const merged: Finding[] = [];
  for (const group of groups.values()) {
    const first = group[0];
    if (!first) continue;
    if (group.length === 1) {
      merged.push(first);
      continue;
    }
    const lead = [...group].sort((a, b) => (b.lastSeen ?? '').localeCompare(a.lastSeen ?? ''))[0] ?? first;
    const subjects = [...new Set(group.map((f) => f.subject.name))];
    const evidence = [...lead.evidence];
    for (const other of group)
      for (const line of other.evidence)
        if (evidence.length < MAX_MERGED_EVIDENCE && !evidence.includes(line)) evidence.push(line);
    const severity =
      group.map((f) => f.severity).sort((a, b) => SEVERITY_RANK[a] - SEVERITY_RANK[b])[0] ?? lead.severity;
    const result: Finding = {
      ...lead,
      severity,
      message:
        subjects.length > 1
          ? `${lead.message} (${subjects.length} ${lead.subject.kind === 'Pod' ? 'pods' : 'objects'})`
          : lead.message,
      evidence:
        subjects.length > 1
          ? [
              `seen on ${subjects.length} ${lead.subject.kind === 'Pod' ? 'pods' : 'objects'}: ${subjects.join(', ')}`,
              ...evidence,
            ]
          : evidence,
    };
    merged.push(result);
  }
  return merged;
}

function pushTo<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
