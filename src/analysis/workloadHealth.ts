// One health verdict per object for the tree's badges and the CLI summary: a pod from its
// kubectl STATUS, a workload from its status counters plus the health of the pods it controls,
// a Service from the ready endpoints behind it. The levels order by urgency; `reasons` carry the
// cluster's own words so a person sees why without opening anything.
import type { ClusterView } from '../kube/clusterView';
import type {
  Condition,
  CronJob,
  DaemonSet,
  Deployment,
  EndpointSlice,
  Job,
  KubeObject,
  Pod,
  Service,
  StatefulSet,
} from '../kube/types';
import { formatLabelSelector, matchesServiceSelector } from '../kube/labelSelector';
import { controllerOf, controlledPods } from '../kube/ownership';
import { podRow } from '../kube/podStatus';
import { humanDuration, parseTimestamp } from '../kube/humanDuration';

export type HealthLevel = 'ok' | 'progressing' | 'degraded' | 'failed' | 'unknown';

export interface Health {
  level: HealthLevel;
  /** Short, for a tree description: `1/3 ready`, `0/1 ready, CrashLoopBackOff, 4 restarts`. */
  summary: string;
  /** Why the level is not ok, most telling first; empty when ok. */
  reasons: string[];
}

/** How long a running-but-unready pod counts as starting up before it counts as degraded. */
export const READINESS_GRACE_MS = 30_000;
/** How long past its deletion deadline a Terminating pod may linger before it counts as stuck. */
export const TERMINATION_GRACE_MS = 60_000;
/**
 * A running container that failed within this window is still crash-looping between its crashes
 * (the kubelet resets its back-off only after 10 minutes of running).
 */
export const RECENT_FAILURE_MS = 10 * 60_000;

// STATUS values that mean "on its way": everything not listed here and not ok is a failure.
const STARTING = new Set(['Pending', 'ContainerCreating', 'PodInitializing', 'SchedulingGated']);
const INIT_PROGRESS = /^Init:\d+\/\d+$/;

/** Ranks levels for roll-ups: the worse of two wins. */
const SEVERITY: Record<HealthLevel, number> = { ok: 0, progressing: 1, unknown: 2, degraded: 3, failed: 4 };

export function worseOf(a: HealthLevel, b: HealthLevel): HealthLevel {
  return SEVERITY[a] >= SEVERITY[b] ? a : b;
}

/**
 * A pod's health from its kubectl STATUS: Running with every container ready or Completed is ok;
 * Pending, ContainerCreating, Init:N/M and Terminating are progressing; CrashLoopBackOff, Error,
 * OOMKilled, ImagePullBackOff, Init:Error, Evicted, ... are failed. Two states need the clock:
 * Running but unready past READINESS_GRACE_MS is degraded, and a pod still Terminating
 * TERMINATION_GRACE_MS after its deletion deadline is degraded (a lost node, a stuck finalizer).
 * A Pending pod the scheduler rejected (PodScheduled False, Unschedulable) is failed.
 */
export function podHealth(pod: Pod, now: number): Health {
  const row = podRow(pod, now);
  const summary = [
    `${row.ready} ready`,
    row.status,
    ...(row.restartCount > 0 ? [plural(row.restartCount, 'restart')] : []),
  ].join(', ');
  const reasons = podReasons(pod);
  const phase = pod.status?.phase;
  const status = row.status;
  const [readyCount, total] = row.ready.split('/').map(Number) as [number, number];

  let level: HealthLevel;
  if (status === 'Running') {
    const failure = recentFailure(pod, now);
    if (failure) {
      // Ready right now, between two crashes: kubectl says Running, the restarts say otherwise.
      level = 'degraded';
      reasons.unshift(failure);
    } else if (readyCount === total && total > 0) level = 'ok';
    else level = now - newestStart(pod) < READINESS_GRACE_MS ? 'progressing' : 'degraded';
  } else if (status === 'Completed' || status === 'Succeeded') {
    // Completed while the pod still runs: a container exited 0 that the policy will restart.
    level = phase === 'Running' ? 'degraded' : 'ok';
  } else if (status === 'NotReady') {
    level = 'degraded';
  } else if (status === 'Terminating') {
    const deadline = parseTimestamp(pod.metadata?.deletionTimestamp);
    const overdue = deadline !== undefined && now - deadline > TERMINATION_GRACE_MS;
    level = overdue ? 'degraded' : 'progressing';
    if (overdue && deadline !== undefined) {
      reasons.unshift(`Terminating for ${humanDuration(now - deadline)} past its deletion deadline`);
    }
  } else if (status === 'Unknown') {
    level = 'unknown';
  } else if (status === 'Pending' && unschedulable(pod)) {
    level = 'failed';
  } else if (STARTING.has(status) || INIT_PROGRESS.test(status)) {
    level = 'progressing';
  } else {
    level = 'failed';
  }
  return { level, summary, reasons: level === 'ok' ? [] : reasons };
}

/** `container "app" failed 2m ago: OOMKilled (exit code 137)` for a failure within RECENT_FAILURE_MS. */
function recentFailure(pod: Pod, now: number): string | undefined {
  for (const status of pod.status?.containerStatuses ?? []) {
    const last = status.lastState?.terminated;
    const finished = parseTimestamp(last?.finishedAt);
    if (!last || last.exitCode === 0 || finished === undefined || now - finished > RECENT_FAILURE_MS)
      continue;
    const reason = last.reason ? `${last.reason} ` : '';
    return `container "${status.name}" failed ${humanDuration(now - finished)} ago: ${reason}(exit code ${last.exitCode})`;
  }
  return undefined;
}

/** Health of any supported object, chosen by `kind` (pass it when list items lack `kind`). */
export function workloadHealth(view: ClusterView, object: KubeObject, kind = object.kind): Health {
  switch (kind) {
    case 'Pod':
      return podHealth(object, view.now());
    case 'Deployment':
      return deploymentHealth(view, object);
    case 'StatefulSet':
      return statefulSetHealth(view, object);
    case 'DaemonSet':
      return daemonSetHealth(view, object);
    case 'Job':
      return jobHealth(view, object);
    case 'CronJob':
      return cronJobHealth(view, object);
    case 'Service':
      return serviceHealth(view, object);
    default:
      return { level: 'unknown', summary: '', reasons: [`no health rules for kind ${kind ?? '(none)'}`] };
  }
}

/**
 * Deployment, following `kubectl rollout status`: not yet observed or still rolling → progressing;
 * ProgressDeadlineExceeded or ReplicaFailure → failed with nothing available, else degraded.
 * Failing pods turn a rollout that waits on them into degraded/failed rather than progressing.
 */
export function deploymentHealth(view: ClusterView, deployment: Deployment): Health {
  const desired = deployment.spec?.replicas ?? 1;
  const status = deployment.status ?? {};
  const ready = status.readyReplicas ?? 0;
  const available = status.availableReplicas ?? 0;
  const updated = status.updatedReplicas ?? 0;
  const reasons: string[] = [];
  let stuck = false;

  const progressing = condition(status.conditions, 'Progressing');
  if (progressing?.status === 'False' && progressing.reason === 'ProgressDeadlineExceeded') {
    stuck = true;
    reasons.push(conditionText(progressing));
  }
  const replicaFailure = condition(status.conditions, 'ReplicaFailure');
  if (replicaFailure?.status === 'True') {
    stuck = true;
    reasons.push(conditionText(replicaFailure));
  }
  // A ReplicaSet that cannot create pods says so on itself; the Deployment may lag behind.
  for (const rs of view.list('ReplicaSet', deployment.metadata?.namespace)) {
    const uid = deployment.metadata?.uid;
    if (!uid || controllerOf(rs)?.uid !== uid) continue;
    const failure = condition(rs.status?.conditions, 'ReplicaFailure');
    if (failure?.status === 'True' && !reasons.includes(conditionText(failure))) {
      stuck = true;
      reasons.push(conditionText(failure));
    }
  }

  let rolling = false;
  if (observedBehind(deployment.metadata?.generation, status.observedGeneration)) {
    rolling = true;
    reasons.push('waiting for the deployment spec update to be observed');
  } else if (updated < desired) {
    rolling = true;
    reasons.push(`${updated} of ${desired} updated replicas`);
  } else if ((status.replicas ?? 0) > updated) {
    rolling = true;
    reasons.push(`${(status.replicas ?? 0) - updated} old replicas pending termination`);
  } else if (available < updated) {
    rolling = true;
    reasons.push(`${available} of ${updated} updated replicas available`);
  }
  if (deployment.spec?.paused) reasons.push('rollout paused');

  const done = !stuck && !rolling && ready >= desired;
  return replicated(view, deployment, 'Deployment', { desired, ready, available, done, stuck, reasons });
}

/** StatefulSet: every replica ready and the update revision rolled out. */
export function statefulSetHealth(view: ClusterView, set: StatefulSet): Health {
  const desired = set.spec?.replicas ?? 1;
  const status = set.status ?? {};
  const ready = status.readyReplicas ?? 0;
  const reasons: string[] = [];
  let rolling = false;
  if (observedBehind(set.metadata?.generation, status['observedGeneration'] as number | undefined)) {
    rolling = true;
    reasons.push('waiting for the statefulset spec update to be observed');
  }
  const current = status['currentRevision'] as string | undefined;
  const update = status['updateRevision'] as string | undefined;
  if (current && update && current !== update) {
    rolling = true;
    reasons.push(`${status.updatedReplicas ?? 0} of ${desired} pods at the update revision`);
  }
  const done = !rolling && ready >= desired;
  const available = status.availableReplicas ?? ready;
  return replicated(view, set, 'StatefulSet', { desired, ready, available, done, stuck: false, reasons });
}

/** DaemonSet: one ready, up-to-date pod on every node that should run one. */
export function daemonSetHealth(view: ClusterView, set: DaemonSet): Health {
  const status = set.status ?? {};
  const desired = status.desiredNumberScheduled ?? 0;
  const ready = status.numberReady ?? 0;
  const updated = status.updatedNumberScheduled ?? desired;
  const reasons: string[] = [];
  let rolling = false;
  if (observedBehind(set.metadata?.generation, status['observedGeneration'] as number | undefined)) {
    rolling = true;
    reasons.push('waiting for the daemonset spec update to be observed');
  } else if (updated < desired) {
    rolling = true;
    reasons.push(`${updated} of ${desired} pods updated`);
  }
  if ((status.numberMisscheduled ?? 0) > 0)
    reasons.push(`${status.numberMisscheduled} pods on nodes that should not run them`);
  const done = !rolling && ready >= desired;
  const available = status.numberAvailable ?? ready;
  return replicated(view, set, 'DaemonSet', { desired, ready, available, done, stuck: false, reasons });
}

/**
 * Job, in printJob's order: Complete → ok, Failed (BackoffLimitExceeded, DeadlineExceeded, ...) →
 * failed, Suspended → ok (on purpose), FailureTarget → failed; running otherwise, degraded once
 * pods have failed or are failing.
 */
export function jobHealth(view: ClusterView, job: Job): Health {
  const status = job.status ?? {};
  const completions = job.spec?.completions ?? 1;
  const succeeded = status.succeeded ?? 0;
  const summary = `${succeeded}/${completions} succeeded`;
  const complete = conditionTrue(status.conditions, 'Complete');
  if (complete) return { level: 'ok', summary: `${summary}, Complete`, reasons: [] };
  const failed = conditionTrue(status.conditions, 'Failed');
  if (failed) return { level: 'failed', summary: `${summary}, Failed`, reasons: [conditionText(failed)] };
  if (conditionTrue(status.conditions, 'Suspended'))
    return { level: 'ok', summary: `${summary}, Suspended`, reasons: [] };
  const failureTarget = conditionTrue(status.conditions, 'FailureTarget');
  if (failureTarget) {
    return { level: 'failed', summary: `${summary}, FailureTarget`, reasons: [conditionText(failureTarget)] };
  }

  const reasons: string[] = [];
  const failedPods = status.failed ?? 0;
  if (failedPods > 0) {
    const limit = job.spec?.backoffLimit ?? 6;
    reasons.push(`${plural(failedPods, 'failed pod')} (backoffLimit ${limit})`);
  }
  const failing = failingPods(view, job, 'Job');
  reasons.push(...failing.reasons);
  const level: HealthLevel = failedPods > 0 || failing.count > 0 ? 'degraded' : 'progressing';
  return { level, summary: `${summary}, ${status.active ?? 0} active`, reasons };
}

/**
 * CronJob: suspended → ok; otherwise the newest Job decides (a failed last run is failed, a
 * running one carries its own level); no runs yet → ok.
 */
export function cronJobHealth(view: ClusterView, cronJob: CronJob): Health {
  const now = view.now();
  const active = cronJob.status?.active?.length ?? 0;
  const last = parseTimestamp(cronJob.status?.lastScheduleTime);
  const summary = [
    `${active} active`,
    last === undefined ? 'never scheduled' : `last schedule ${humanDuration(now - last)} ago`,
    ...(cronJob.spec?.suspend ? ['suspended'] : []),
  ].join(', ');
  if (cronJob.spec?.suspend) return { level: 'ok', summary, reasons: [] };

  const uid = cronJob.metadata?.uid;
  const jobs = view
    .list('Job', cronJob.metadata?.namespace)
    .filter((job) => uid !== undefined && controllerOf(job)?.uid === uid)
    .sort((a, b) => (a.metadata?.creationTimestamp ?? '').localeCompare(b.metadata?.creationTimestamp ?? ''));
  const newest = jobs[jobs.length - 1];
  if (!newest) return { level: 'ok', summary, reasons: [] };
  const health = jobHealth(view, newest);
  const reasons = health.reasons.map((r) => `job ${newest.metadata?.name ?? ''}: ${r}`);
  return { level: health.level, summary, reasons };
}

/**
 * Service: the ready endpoints behind it, from its EndpointSlices when they list any, else from
 * the pods its selector matches. A selector that matches no pod is failed (catalog §18); a
 * Service without a selector (endpoints managed by hand) or of type ExternalName is judged by its
 * slices alone, or ok when it has none to judge.
 */
export function serviceHealth(view: ClusterView, service: Service): Health {
  const namespace = service.metadata?.namespace;
  const name = service.metadata?.name ?? '';
  if (service.spec?.type === 'ExternalName') return { level: 'ok', summary: 'ExternalName', reasons: [] };

  const slices = view.isUnavailable('EndpointSlice', namespace)
    ? undefined
    : view
        .list('EndpointSlice', namespace)
        .filter((slice) => slice.metadata?.labels?.['kubernetes.io/service-name'] === name);
  const fromSlices = slices && endpointCounts(slices);
  const selector = service.spec?.selector;
  const hasSelector = selector !== undefined && Object.keys(selector).length > 0;

  if (!hasSelector) {
    if (!fromSlices || fromSlices.total === 0) {
      return { level: 'ok', summary: 'no selector', reasons: [] };
    }
    return endpointHealth(fromSlices.ready, fromSlices.total, []);
  }

  if (view.isUnavailable('Pod', namespace) && !fromSlices) {
    return { level: 'unknown', summary: '', reasons: ['pods could not be read'] };
  }
  const pods = view
    .list('Pod', namespace)
    .filter((pod) => matchesServiceSelector(selector, pod.metadata?.labels))
    .filter((pod) => pod.status?.phase !== 'Succeeded' && pod.status?.phase !== 'Failed');
  if (pods.length === 0 && (!fromSlices || fromSlices.total === 0)) {
    const text = formatLabelSelector({ matchLabels: selector });
    return { level: 'failed', summary: '0 endpoints', reasons: [`selector ${text} matches no running pod`] };
  }
  if (fromSlices && fromSlices.total > 0) return endpointHealth(fromSlices.ready, fromSlices.total, pods);
  const ready = pods.filter((pod) => conditionTrue(pod.status?.conditions, 'Ready')).length;
  return endpointHealth(ready, pods.length, pods);
}

interface ReplicaCounts {
  desired: number;
  ready: number;
  available: number;
  /** Status says the rollout is complete and every replica is ready. */
  done: boolean;
  /** A condition says the controller gave up (deadline, admission). */
  stuck: boolean;
  reasons: string[];
}

function replicated(view: ClusterView, workload: KubeObject, kind: string, counts: ReplicaCounts): Health {
  const summary = `${counts.ready}/${counts.desired} ready`;
  if (counts.done) return { level: 'ok', summary, reasons: [] };
  const failing = failingPods(view, workload, kind);
  const reasons = [...counts.reasons, ...failing.reasons];
  let level: HealthLevel;
  if (counts.stuck || failing.count > 0) level = counts.available > 0 ? 'degraded' : 'failed';
  else if (failing.degraded > 0) level = 'degraded';
  else level = 'progressing';
  if (counts.desired === 0 && !counts.stuck) level = 'progressing';
  return { level, summary, reasons };
}

/** The controlled pods that are failed or degraded, with one reason line per pod (first few). */
function failingPods(
  view: ClusterView,
  workload: KubeObject,
  kind: string,
): { count: number; degraded: number; reasons: string[] } {
  const now = view.now();
  let count = 0;
  let degraded = 0;
  const reasons: string[] = [];
  for (const pod of controlledPods(view, workload, kind)) {
    const health = podHealth(pod, now);
    if (health.level !== 'failed' && health.level !== 'degraded') continue;
    if (health.level === 'failed') count++;
    else degraded++;
    if (reasons.length < MAX_POD_REASONS) {
      reasons.push(`pod ${pod.metadata?.name ?? ''}: ${health.reasons[0] ?? health.summary}`);
    }
  }
  return { count, degraded, reasons };
}

const MAX_POD_REASONS = 3;

function endpointHealth(ready: number, total: number, pods: readonly Pod[]): Health {
  const summary = `${ready}/${total} endpoints ready`;
  if (ready >= total && total > 0) return { level: 'ok', summary, reasons: [] };
  const reasons = pods
    .filter((pod) => !conditionTrue(pod.status?.conditions, 'Ready'))
    .slice(0, MAX_POD_REASONS)
    .map((pod) => {
      const ready = condition(pod.status?.conditions, 'Ready');
      return `pod ${pod.metadata?.name ?? ''} not ready${ready?.message ? `: ${ready.message}` : ''}`;
    });
  return { level: ready === 0 ? 'failed' : 'degraded', summary, reasons };
}

/** Endpoints counted by address; a missing `ready` condition means ready, as the API documents. */
function endpointCounts(slices: readonly EndpointSlice[]): { ready: number; total: number } {
  const all = new Set<string>();
  const ready = new Set<string>();
  for (const slice of slices) {
    for (const endpoint of slice.endpoints ?? []) {
      const key = endpoint.addresses.join(',');
      all.add(key);
      if (endpoint.conditions?.ready !== false) ready.add(key);
    }
  }
  return { ready: ready.size, total: all.size };
}

function podReasons(pod: Pod): string[] {
  const reasons: string[] = [];
  const status = pod.status ?? {};
  const scheduled = condition(status.conditions, 'PodScheduled');
  if (scheduled?.status === 'False' && scheduled.message) reasons.push(scheduled.message);
  if (status.reason && status.message) reasons.push(`${status.reason}: ${status.message}`);
  const groups: [string, typeof status.containerStatuses][] = [
    ['init container', status.initContainerStatuses],
    ['container', status.containerStatuses],
  ];
  for (const [label, statuses] of groups) {
    for (const cs of statuses ?? []) {
      const waiting = cs.state?.waiting;
      const terminated = cs.state?.terminated;
      const last = cs.lastState?.terminated;
      const lastExit = last ? `, last exit ${last.exitCode}${last.reason ? ` ${last.reason}` : ''}` : '';
      if (waiting?.reason && waiting.reason !== 'ContainerCreating' && waiting.reason !== 'PodInitializing') {
        reasons.push(`${label} ${cs.name}: ${waiting.reason}${lastExit}`);
      } else if (terminated && terminated.exitCode !== 0) {
        reasons.push(
          `${label} ${cs.name}: exited ${terminated.exitCode}${terminated.reason ? ` ${terminated.reason}` : ''}`,
        );
      } else if (cs.state?.running && !cs.ready && label === 'container') {
        reasons.push(`${label} ${cs.name}: running, not ready${cs.restartCount > 0 ? `${lastExit}` : ''}`);
      }
    }
  }
  return reasons;
}

function unschedulable(pod: Pod): boolean {
  const scheduled = condition(pod.status?.conditions, 'PodScheduled');
  return scheduled?.status === 'False' && scheduled.reason === 'Unschedulable';
}

/** When the newest container started; 0 (long ago) when unknown, so a pod is not young by default. */
function newestStart(pod: Pod): number {
  let newest = 0;
  for (const cs of pod.status?.containerStatuses ?? []) {
    newest = Math.max(newest, parseTimestamp(cs.state?.running?.startedAt) ?? 0);
  }
  return newest;
}

function observedBehind(generation: number | undefined, observed: number | undefined): boolean {
  return generation !== undefined && observed !== undefined && observed < generation;
}

function condition(conditions: readonly Condition[] | undefined, type: string): Condition | undefined {
  return conditions?.find((c) => c.type === type);
}

function conditionTrue(conditions: readonly Condition[] | undefined, type: string): Condition | undefined {
  const c = condition(conditions, type);
  return c?.status === 'True' ? c : undefined;
}

function conditionText(c: Condition): string {
  return [c.reason, c.message].filter(Boolean).join(': ');
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
