// The READY / STATUS / RESTARTS cells of `kubectl get pods`: a line-by-line transcription of
// printPod in kubernetes pkg/printers/internalversion/printers.go (1.29+: SchedulingGated,
// restartable (sidecar) init containers, NodeLost → Unknown, Terminating only for non-terminal
// pods). kubectl prints server-side Tables, so this is what the apiserver computes; the demo API
// server renders its Table rows with it, so keep the branch order and the odd cases (the backwards
// container loop, `Completed` turned back into `Running`) exactly as in Go. Catalog §2 explains each.
import { humanDuration, parseTimestamp, translateTimestampSince } from './humanDuration';
import type { Condition, Container, ContainerStatus, Pod } from './types';

export interface PodRow {
  /** `readyContainers/totalContainers`, sidecars included, e.g. `1/2`. */
  ready: string;
  /** The STATUS cell: `Running`, `CrashLoopBackOff`, `Init:1/3`, `Terminating`, ... */
  status: string;
  /** The RESTARTS cell: `0`, or `5 (2m3s ago)` when a restart time is known. */
  restarts: string;
  /** The number counted in RESTARTS (init restarts while initializing, else sidecar + regular). */
  restartCount: number;
  /** RFC 3339 `finishedAt` of the newest counted `lastState.terminated`, when there is one. */
  lastRestartTime?: string;
}

/** The extra cells of `kubectl get pods -o wide`. Absent values print `<none>`, as kubectl does. */
export interface PodWideColumns {
  ip: string;
  node: string;
  nominatedNode: string;
  readinessGates: string;
}

const POD_REASON_SCHEDULING_GATED = 'SchedulingGated';
const NODE_UNREACHABLE_POD_REASON = 'NodeLost';

/** `podutil.IsRestartableInitContainer`: an init container with `restartPolicy: Always` is a sidecar. */
export function isRestartableInitContainer(container: Container | undefined): boolean {
  return container?.restartPolicy === 'Always';
}

/** Compute the READY, STATUS and RESTARTS cells of a pod as `kubectl get pods` shows them at `now` (ms). */
export function podRow(pod: Pod, now: number): PodRow {
  const spec = pod.spec;
  const status = pod.status ?? {};
  let restarts = 0;
  let restartableInitContainerRestarts = 0;
  let totalContainers = spec?.containers?.length ?? 0;
  let readyContainers = 0;
  let lastRestart: Restart | undefined;
  let lastRestartableInitRestart: Restart | undefined;

  const podPhase = status.phase ?? '';
  let reason = podPhase;
  if (status.reason) reason = status.reason;

  // If the pod carries {type: PodScheduled, reason: SchedulingGated}, that wins over phase and reason.
  for (const condition of status.conditions ?? []) {
    if (condition.type === 'PodScheduled' && condition.reason === POD_REASON_SCHEDULING_GATED) {
      reason = POD_REASON_SCHEDULING_GATED;
    }
  }

  const initContainers = new Map<string, Container>();
  for (const container of spec?.initContainers ?? []) {
    initContainers.set(container.name, container);
    if (isRestartableInitContainer(container)) totalContainers++;
  }
  const initContainerCount = spec?.initContainers?.length ?? 0;

  let initializing = false;
  const initStatuses = status.initContainerStatuses ?? [];
  for (let i = 0; i < initStatuses.length; i++) {
    const container = initStatuses[i]!;
    const sidecar = isRestartableInitContainer(initContainers.get(container.name));
    restarts += container.restartCount ?? 0;
    lastRestart = later(lastRestart, lastTermination(container));
    if (sidecar) {
      restartableInitContainerRestarts += container.restartCount ?? 0;
      lastRestartableInitRestart = later(lastRestartableInitRestart, lastTermination(container));
    }
    const terminated = container.state?.terminated;
    const waiting = container.state?.waiting;
    // Go reads an absent exitCode as 0; JSON from some tools omits zero values.
    if (terminated && (terminated.exitCode ?? 0) === 0) {
      continue; // this init container is done
    } else if (sidecar && container.started === true) {
      if (container.ready) readyContainers++;
      continue; // a started sidecar does not hold initialization back
    } else if (terminated) {
      // initialization failed
      if (!terminated.reason) {
        reason = terminated.signal
          ? `Init:Signal:${terminated.signal}`
          : `Init:ExitCode:${terminated.exitCode ?? 0}`;
      } else {
        reason = `Init:${terminated.reason}`;
      }
      initializing = true;
    } else if (waiting?.reason && waiting.reason !== 'PodInitializing') {
      reason = `Init:${waiting.reason}`;
      initializing = true;
    } else {
      // `i` counts the init containers already done: the status list follows spec order.
      reason = `Init:${i}/${initContainerCount}`;
      initializing = true;
    }
    break;
  }

  if (!initializing || conditionTrue(status.conditions, 'Initialized')) {
    restarts = restartableInitContainerRestarts;
    lastRestart = lastRestartableInitRestart;
    let hasRunning = false;
    const statuses = status.containerStatuses ?? [];
    // Backwards, so the first status (the kubelet sorts them by name) has the last word.
    for (let i = statuses.length - 1; i >= 0; i--) {
      const container = statuses[i]!;
      restarts += container.restartCount ?? 0;
      lastRestart = later(lastRestart, lastTermination(container));
      const waiting = container.state?.waiting;
      const terminated = container.state?.terminated;
      if (waiting?.reason) {
        reason = waiting.reason;
      } else if (terminated?.reason) {
        reason = terminated.reason;
      } else if (terminated) {
        reason = terminated.signal ? `Signal:${terminated.signal}` : `ExitCode:${terminated.exitCode ?? 0}`;
      } else if (container.ready && container.state?.running) {
        hasRunning = true;
        readyContainers++;
      }
    }
    // A finished container must not hide one that is still running.
    if (reason === 'Completed' && hasRunning) {
      reason = conditionTrue(status.conditions, 'Ready', true) ? 'Running' : 'NotReady';
    }
  }

  const deleting = Boolean(pod.metadata?.deletionTimestamp);
  if (deleting && status.reason === NODE_UNREACHABLE_POD_REASON) {
    reason = 'Unknown';
  } else if (deleting && podPhase !== 'Succeeded' && podPhase !== 'Failed') {
    reason = 'Terminating';
  }

  let restartsCell = String(restarts);
  if (restarts !== 0 && lastRestart) {
    restartsCell = `${restarts} (${humanDuration(now - lastRestart.at)} ago)`;
  }
  const row: PodRow = {
    ready: `${readyContainers}/${totalContainers}`,
    status: reason,
    restarts: restartsCell,
    restartCount: restarts,
  };
  if (lastRestart) row.lastRestartTime = lastRestart.timestamp;
  return row;
}

/** The AGE cell: time since `metadata.creationTimestamp`, `<unknown>` without one. */
export function podAge(pod: Pod, now: number): string {
  return translateTimestampSince(pod.metadata?.creationTimestamp, now);
}

/** The IP, NODE, NOMINATED NODE and READINESS GATES cells of `kubectl get pods -o wide`. */
export function podWideColumns(pod: Pod): PodWideColumns {
  // kubectl reads status.podIPs[0], not the legacy status.podIP.
  const podIPs = pod.status?.['podIPs'] as { ip?: string }[] | undefined;
  const readinessGates = pod.spec?.['readinessGates'] as { conditionType: string }[] | undefined;
  let gates = '<none>';
  if (readinessGates && readinessGates.length > 0) {
    let trueConditions = 0;
    for (const gate of readinessGates) {
      const condition = pod.status?.conditions?.find((c) => c.type === gate.conditionType);
      if (condition?.status === 'True') trueConditions++;
    }
    gates = `${trueConditions}/${readinessGates.length}`;
  }
  return {
    ip: podIPs?.[0]?.ip || '<none>',
    node: pod.spec?.nodeName || '<none>',
    nominatedNode: pod.status?.nominatedNodeName || '<none>',
    readinessGates: gates,
  };
}

interface Restart {
  at: number;
  timestamp: string;
}

function lastTermination(container: ContainerStatus): Restart | undefined {
  const finishedAt = container.lastState?.terminated?.finishedAt;
  const at = parseTimestamp(finishedAt);
  return at === undefined || finishedAt === undefined ? undefined : { at, timestamp: finishedAt };
}

/** Go keeps the current date unless it is strictly `Before` the candidate. */
function later(current: Restart | undefined, candidate: Restart | undefined): Restart | undefined {
  if (!candidate) return current;
  if (!current || current.at < candidate.at) return candidate;
  return current;
}

/**
 * Go has two helpers with different lookups: `isPodInitializedConditionTrue` stops at the first
 * condition of the type, `hasPodReadyCondition` accepts any True one. `anyMatch` picks the latter.
 */
function conditionTrue(conditions: Condition[] | undefined, type: string, anyMatch = false): boolean {
  for (const condition of conditions ?? []) {
    if (condition.type !== type) continue;
    if (condition.status === 'True') return true;
    if (!anyMatch) return false;
  }
  return false;
}
