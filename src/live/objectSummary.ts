// The live state of the object a manifest document defines, for the code lens above it and the
// hover on its `kind`/`metadata.name`: its pods as `kubectl get pods` prints them, the last
// termination, and the newest warning events. Reads only the view (index lookups and one
// namespace listing of pods); cluster text is sanitized here, escaped by whoever renders it.
import { explainExit } from '../analysis/exitCodes';
import { serviceHealth } from '../analysis/workloadHealth';
import type { ClusterView, KindName } from '../kube/clusterView';
import { KIND_NAMES } from '../kube/clusterView';
import { eventTime } from '../kube/eventShape';
import { translateTimestampSince } from '../kube/humanDuration';
import { matchesServiceSelector } from '../kube/labelSelector';
import type { ObjectRef } from '../kube/objectRef';
import { controlledPods } from '../kube/ownership';
import { podAge, podRow } from '../kube/podStatus';
import { sanitizeText } from '../kube/sanitize';
import type { KubeEvent, KubeObject, Pod, Service } from '../kube/types';

export interface PodLine {
  name: string;
  ready: string;
  status: string;
  restarts: string;
  age: string;
  /** The containers' names, for the logs/exec command links. */
  containers: string[];
}

export interface LastTermination {
  pod: string;
  container: string;
  reason: string;
  exitCode: number;
  meaning: string;
  finishedAt?: string;
}

export interface ObjectSummary {
  ref: ObjectRef;
  /** False when the cluster has no such object (not applied, or another namespace). */
  live: boolean;
  pods: PodLine[];
  /** Pods the object wants (replicas), when it says. */
  desired?: number;
  readyPods: number;
  /** The STATUS that needs attention first: the first pod's that is not Running/Completed, else Running. */
  status?: string;
  restarts: number;
  lastTermination?: LastTermination;
  /** `Reason: message (×n, 3m ago)`, newest first. */
  warnings: string[];
  /** For objects without pods (ConfigMap, Secret, Service): one line on what is there. */
  detail?: string;
}

const MAX_PODS = 10;
const MAX_WARNINGS = 5;
const QUIET_STATUSES = new Set(['Running', 'Completed', 'Succeeded']);

export function summarizeObject(view: ClusterView, ref: ObjectRef): ObjectSummary {
  const base: ObjectSummary = { ref, live: false, pods: [], readyPods: 0, restarts: 0, warnings: [] };
  const kind = ref.kind;
  const object = isKnownKind(kind) ? view.get(kind, ref.namespace, ref.name) : undefined;
  if (!object) return base;
  const summary: ObjectSummary = { ...base, live: true };
  const now = view.now();
  const pods = podsOf(view, kind, object);
  const events: KubeEvent[] = [...view.eventsFor(kind, ref.namespace, ref.name)];
  let newestTermination: (LastTermination & { at: string }) | undefined;
  for (const pod of pods) {
    const row = podRow(pod, now);
    summary.restarts += row.restartCount;
    if (pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')) summary.readyPods++;
    if (summary.status === undefined && !QUIET_STATUSES.has(row.status)) summary.status = row.status;
    const name = pod.metadata?.name ?? '';
    if (summary.pods.length < MAX_PODS)
      summary.pods.push({
        name,
        ready: row.ready,
        status: row.status,
        restarts: row.restarts,
        age: podAge(pod, now),
        containers: (pod.spec?.containers ?? []).map((c) => c.name),
      });
    events.push(...view.eventsFor('Pod', ref.namespace, name));
    for (const status of [
      ...(pod.status?.initContainerStatuses ?? []),
      ...(pod.status?.containerStatuses ?? []),
    ]) {
      const terminated = status.state?.terminated ?? status.lastState?.terminated;
      if (!terminated || (terminated.exitCode === 0 && terminated.reason === 'Completed')) continue;
      const at = terminated.finishedAt ?? '';
      if (newestTermination && newestTermination.at >= at) continue;
      newestTermination = {
        at,
        pod: name,
        container: status.name,
        reason: terminated.reason ?? '(none)',
        exitCode: terminated.exitCode,
        meaning: explainExit(terminated).meaning,
        ...(terminated.finishedAt ? { finishedAt: terminated.finishedAt } : {}),
      };
    }
  }
  if (pods.length > 0 && summary.status === undefined) summary.status = 'Running';
  if (newestTermination) {
    const { at: _at, ...termination } = newestTermination;
    summary.lastTermination = termination;
  }
  const desired = desiredPods(kind, object);
  if (desired !== undefined) summary.desired = desired;
  summary.warnings = events
    .filter((e) => e.type === 'Warning')
    .sort((a, b) => eventTime(b).localeCompare(eventTime(a)))
    .slice(0, MAX_WARNINGS)
    .map((e) => {
      const count = e.count ?? e.series?.count ?? 1;
      const when = eventTime(e);
      const age = when ? `, ${translateTimestampSince(when, now)} ago` : '';
      return sanitizeText(
        `${e.reason ?? 'Event'}: ${e.message ?? ''}${count > 1 ? ` (×${count}${age})` : age ? ` (${age.slice(2)})` : ''}`,
      );
    });
  // The Clusters view's words for a Service, from the same rule (EndpointSlices first).
  if (kind === 'Service') summary.detail = serviceHealth(view, object as Service).summary;
  const keys = (object as { keys?: unknown }).keys;
  if (Array.isArray(keys))
    summary.detail = `${keys.length} key${keys.length === 1 ? '' : 's'}: ${keys.join(', ')}`;
  return summary;
}

/** The code lens line: `● 2/3 ready · CrashLoopBackOff · 5 restarts`. */
export function summaryLine(summary: ObjectSummary, context: string): string {
  if (!summary.live) return `○ not in ${context}`;
  const parts: string[] = [];
  const hasPods = summary.pods.length > 0 || summary.desired !== undefined || podKinds.has(summary.ref.kind);
  if (summary.ref.kind === 'Service') {
    // As the Clusters view words it; its pods' restarts belong to their workload's line.
    parts.push(summary.detail ?? `${summary.readyPods}/${summary.pods.length} endpoints ready`);
    if (summary.status && summary.status !== 'Running') parts.push(summary.status);
  } else if (hasPods) {
    const total = summary.desired ?? summary.pods.length;
    parts.push(`${summary.readyPods}/${total} ready`);
    if (summary.status) parts.push(summary.status);
    if (summary.restarts > 0) parts.push(`${summary.restarts} restart${summary.restarts === 1 ? '' : 's'}`);
  } else {
    parts.push(summary.detail ?? 'live');
  }
  return `● ${parts.join(' · ')}`;
}

const podKinds = new Set([
  'Pod',
  'Deployment',
  'ReplicaSet',
  'StatefulSet',
  'DaemonSet',
  'Job',
  'CronJob',
  'Service',
]);

function podsOf(view: ClusterView, kind: string, object: KubeObject): Pod[] {
  switch (kind) {
    case 'Pod':
      return [object];
    case 'Service': {
      const selector = (object as Service).spec?.selector;
      if (!selector || Object.keys(selector).length === 0) return [];
      return view
        .list('Pod', object.metadata?.namespace)
        .filter((p) => matchesServiceSelector(selector, p.metadata?.labels ?? {}));
    }
    case 'Deployment':
    case 'ReplicaSet':
    case 'StatefulSet':
    case 'DaemonSet':
    case 'Job':
    case 'CronJob':
      return controlledPods(view, object, kind);
    default:
      return [];
  }
}

function desiredPods(kind: string, object: KubeObject): number | undefined {
  const spec = object['spec'] as { replicas?: unknown; parallelism?: unknown } | undefined;
  if (kind === 'Deployment' || kind === 'ReplicaSet' || kind === 'StatefulSet')
    return typeof spec?.replicas === 'number' ? spec.replicas : 1;
  if (kind === 'DaemonSet') {
    const status = object['status'] as { desiredNumberScheduled?: unknown } | undefined;
    return typeof status?.desiredNumberScheduled === 'number' ? status.desiredNumberScheduled : undefined;
  }
  return undefined;
}

function isKnownKind(kind: string): kind is KindName {
  return (KIND_NAMES as readonly string[]).includes(kind);
}
