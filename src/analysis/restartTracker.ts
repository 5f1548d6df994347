// Container restarts as events (seed 001). Kubernetes emits no event for a restart: the only
// traces are `lastState.terminated`, overwritten with each new exit, and `restartCount`, which the
// kubelet raises only when it starts the next container, after the CrashLoopBackOff back-off (up
// to 5 minutes later). So the tracker compares each pod snapshot with the previous one and reports
// each exit once: as soon as it shows in lastState (when `kubectl get pods` starts printing
// `9 (24s ago)` from it), or at the rise if it never showed before. Exits that are not application trouble are dropped: pods being
// deleted (scale-down, rollouts, evictions), terminal pods (finished Jobs), init containers
// re-run after completing, and successful exits where the restart policy does not ask for more.
import { exitSignal, signalName } from './exitCodes';
import type { ObjectRef } from '../kube/objectRef';
import type { Container, ContainerStatus, Pod } from '../kube/types';

export interface RestartEvent {
  pod: ObjectRef;
  container: string;
  initContainer: boolean;
  /** The container's restartCount once the restart this exit causes is counted. */
  restartCount: number;
  /** Restarts this event stands for; above 1 when snapshots were missed (only the last exit is known). */
  restarts: number;
  /** `lastState.terminated.reason` (`Error`, `OOMKilled`, `Completed`, ...), `''` when the kubelet gave none. */
  reason: string;
  exitCode?: number;
  /** Signal name, e.g. `SIGKILL`, derived from an exit code above 128. */
  signal?: string;
  /** `lastState.terminated.message`: the termination log or, with FallbackToLogsOnError, the log tail. */
  message?: string;
  /** RFC 3339: when the container last exited, else when the rise was observed. */
  time: string;
}

interface ContainerMemory {
  restartCount: number;
  /** The spec image and the status image last seen. */
  image: string | undefined;
  runningImage: string | undefined;
  /** The image changed in place and the restart that applies it has not been seen yet. */
  imageChangePending: boolean;
  /** Identity of lastState.terminated as last seen, and of the last exit reported (or explained away). */
  exit: string | undefined;
  reported: string | undefined;
}

/**
 * Feed it every pod snapshot (list and watch updates alike) with `observe`; call `forget` when a
 * pod is deleted so memory stays bounded. The first snapshot of a pod only sets the baseline:
 * restarts that happened before Podscope looked are not reported as new.
 */
export class RestartTracker {
  private readonly pods = new Map<string, Map<string, ContainerMemory>>();

  observe(pod: Pod, now: number): RestartEvent[] {
    const key = podKey(pod);
    const previous = this.pods.get(key);
    const current = new Map<string, ContainerMemory>();
    const events: RestartEvent[] = [];
    const specs = containerSpecs(pod);

    const groups: [boolean, ContainerStatus[] | undefined][] = [
      [true, pod.status?.initContainerStatuses],
      [false, pod.status?.containerStatuses],
    ];
    for (const [initContainer, statuses] of groups) {
      for (const status of statuses ?? []) {
        const id = `${initContainer ? 'init' : 'app'}/${status.name}`;
        const spec = specs.get(id);
        const before = previous?.get(id);
        const exit = exitIdentity(status);
        const memory: ContainerMemory = {
          restartCount: status.restartCount ?? 0,
          image: spec?.image,
          runningImage: status.image,
          imageChangePending:
            before !== undefined && (before.imageChangePending || imageChanged(before, spec, status)),
          exit,
          reported: before?.reported,
        };
        current.set(id, memory);
        if (!before) continue;
        const rise = memory.restartCount - before.restartCount;
        const newExit = exit !== undefined && exit !== before.exit;
        // At the rise, the exit in lastState is the one that caused it: already reported when it
        // first showed, unless it was there before Podscope looked.
        const unreported = rise > 0 && (exit === undefined || exit !== before.reported);
        if (!newExit && !unreported) continue;
        memory.reported = exit;
        // `kubectl set image` on a bare pod: the kubelet restarts the container to apply the new image.
        const imageUpdate = memory.imageChangePending;
        memory.imageChangePending = false;
        if (imageUpdate || isNoise(pod, spec, initContainer, status)) continue;
        const counted = rise > 0 ? memory.restartCount : memory.restartCount + 1;
        events.push(restartEvent(pod, status, initContainer, counted, Math.max(1, rise), now));
      }
    }
    this.pods.set(key, current);
    return events;
  }

  /** Drops what is remembered about a deleted pod. */
  forget(pod: Pod): void {
    this.pods.delete(podKey(pod));
  }

  /** How many pods are remembered; for tests and leak checks. */
  get size(): number {
    return this.pods.size;
  }
}

/** The seed's noise list, in the order a restart is most often explained away. */
function isNoise(
  pod: Pod,
  spec: Container | undefined,
  initContainer: boolean,
  status: ContainerStatus,
): boolean {
  // Deleted (scale-down, rollout, eviction, preemption) or terminal (a Job that finished): the
  // containers stop on purpose and nothing restarts them.
  if (pod.metadata?.deletionTimestamp) return true;
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') return true;

  const last = status.lastState?.terminated;
  const succeeded = last !== undefined && last.exitCode === 0;
  const sidecar = initContainer && spec?.restartPolicy === 'Always';
  // A regular init container that completed and was run again (a new pod sandbox re-runs them all).
  if (initContainer && !sidecar && succeeded) return true;
  // Ran to completion where the policy does not restart successes: counted, but not trouble.
  const policy = sidecar ? 'Always' : (spec?.restartPolicy ?? pod.spec?.restartPolicy ?? 'Always');
  return succeeded && policy !== 'Always';
}

/** Which run of the container lastState.terminated describes; undefined when there is none. */
function exitIdentity(status: ContainerStatus): string | undefined {
  const last = status.lastState?.terminated;
  if (!last) return undefined;
  return last.containerID || [last.startedAt, last.finishedAt, last.exitCode, last.reason].join('|');
}

function restartEvent(
  pod: Pod,
  status: ContainerStatus,
  initContainer: boolean,
  restartCount: number,
  restarts: number,
  now: number,
): RestartEvent {
  const last = status.lastState?.terminated;
  const event: RestartEvent = {
    pod: podRef(pod),
    container: status.name,
    initContainer,
    restartCount,
    restarts,
    reason: last?.reason ?? '',
    time: last?.finishedAt || new Date(now).toISOString(),
  };
  if (last) {
    event.exitCode = last.exitCode;
    const signalNumber = exitSignal(last);
    const signal = signalNumber === undefined ? undefined : signalName(signalNumber);
    if (signal) event.signal = signal;
    if (last.message) event.message = last.message;
  }
  return event;
}

function imageChanged(
  before: ContainerMemory,
  spec: Container | undefined,
  status: ContainerStatus,
): boolean {
  const specChanged = spec?.image !== undefined && before.image !== undefined && spec.image !== before.image;
  const statusChanged =
    status.image !== undefined && before.runningImage !== undefined && status.image !== before.runningImage;
  return specChanged || statusChanged;
}

function containerSpecs(pod: Pod): Map<string, Container> {
  const specs = new Map<string, Container>();
  for (const c of pod.spec?.initContainers ?? []) specs.set(`init/${c.name}`, c);
  for (const c of pod.spec?.containers ?? []) specs.set(`app/${c.name}`, c);
  return specs;
}

/** By uid, so a StatefulSet pod recreated under the same name starts from a fresh baseline. */
function podKey(pod: Pod): string {
  return pod.metadata?.uid ?? `${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''}`;
}

function podRef(pod: Pod): ObjectRef {
  const ref: ObjectRef = { apiVersion: 'v1', kind: 'Pod', name: pod.metadata?.name ?? '' };
  if (pod.metadata?.namespace !== undefined) ref.namespace = pod.metadata.namespace;
  if (pod.metadata?.uid !== undefined) ref.uid = pod.metadata.uid;
  return ref;
}
