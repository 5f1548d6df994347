// Pod status from the kubelet's container runtimes, as kubelet_pods.go and status/generate.go
// build it: the phase (getPhase), the conditions with their real reasons and messages, and the
// container statuses (regular ones sorted by name, init ones in spec order).
import type { Condition, ContainerStatus, Pod, PodStatus } from '../../../kube/types';
import type { ContainerRuntime } from '../runtime/containerRuntime';
import { stateOf } from '../runtime/containerRuntime';
import { setCondition } from '../objects';
import { qosClass } from '../../../kube/qos';
import { rfc3339 } from '../../../kube/timeFormat';

export interface PodRuntimeView {
  sandboxReady: boolean;
  podIP?: string;
  hostIP: string;
  startTime?: number;
  init: ContainerRuntime[];
  containers: ContainerRuntime[];
}

export function containerReady(c: ContainerRuntime): boolean {
  return Boolean(c.running && !c.running.kill && c.running.probes.startupDone && c.running.probes.ready);
}

/** An init container with `restartPolicy: Always` (1.29+ sidecars). */
export function isSidecar(c: ContainerRuntime): boolean {
  return c.init && c.spec.restartPolicy === 'Always';
}

/** Done for initialization: exited 0, or a sidecar that has started. */
export function initDone(c: ContainerRuntime): boolean {
  if (isSidecar(c)) return Boolean(c.running && c.running.probes.startupDone) || c.restartCount > 0;
  return c.terminated?.exitCode === 0;
}

export function getPhase(pod: Pod, view: PodRuntimeView): string {
  const policy = pod.spec?.restartPolicy ?? 'Always';
  const pendingInit = view.init.filter((c) => !initDone(c));
  if (pendingInit.length > 0) {
    const failed = pendingInit.some((c) => c.terminated && c.terminated.exitCode !== 0);
    return failed && policy === 'Never' ? 'Failed' : 'Pending';
  }
  let running = 0;
  let waiting = 0;
  let stopped = 0;
  let succeeded = 0;
  for (const c of view.containers) {
    if (c.running) running++;
    else if (c.terminated && !c.waiting) {
      stopped++;
      if (c.terminated.exitCode === 0) succeeded++;
    } else if (c.lastTerminated) stopped++;
    else waiting++;
  }
  if (waiting > 0) return 'Pending';
  if (running > 0) return 'Running';
  if (stopped > 0) {
    if (policy === 'Always') return 'Running';
    if (stopped === succeeded) return 'Succeeded';
    if (policy === 'Never') return 'Failed';
    return 'Running';
  }
  return 'Pending';
}

function status(c: ContainerRuntime, specImage: string, initializing = false): ContainerStatus {
  const s: ContainerStatus = {
    name: c.name,
    state: stateOf(c, rfc3339, initializing),
    lastState: c.lastTerminated ? { terminated: c.lastTerminated } : {},
    ready: containerReady(c),
    restartCount: c.restartCount,
    image: c.image ?? specImage,
    imageID: c.imageID ?? '',
    started: Boolean(c.running && c.running.probes.startupDone),
  };
  const id = c.running?.run.id ?? c.terminated?.containerID ?? c.lastTerminated?.containerID;
  if (id) s.containerID = id;
  // 1.30+ reports the mounts of a created container (a 1.28 server drops the field).
  if (id && c.spec.volumeMounts?.length) {
    s['volumeMounts'] = c.spec.volumeMounts.map((m) => ({
      name: m.name,
      mountPath: m.mountPath,
      ...(m.readOnly ? { readOnly: true, recursiveReadOnly: 'Disabled' } : {}),
    }));
  }
  return s;
}

export function buildPodStatus(pod: Pod, view: PodRuntimeView, now: number): PodStatus {
  const previous = pod.status ?? {};
  const phase = getPhase(pod, view);
  let conditions: Condition[] = [...(previous.conditions ?? [])].filter(
    (c) => c.type === 'PodScheduled' || c.type === 'DisruptionTarget',
  );
  const base = [...(previous.conditions ?? [])];
  const put = (c: { type: string; status: string; reason?: string; message?: string }): void => {
    const merged = setCondition(base, c, now).find((x) => x.type === c.type)!;
    conditions = conditions.filter((x) => x.type !== c.type);
    conditions.push(merged);
  };
  const ordered: Condition[] = [];
  put({
    type: 'PodReadyToStartContainers',
    status: view.sandboxReady && phase !== 'Failed' && phase !== 'Succeeded' ? 'True' : 'False',
  });
  const incomplete = view.init.filter((c) => !initDone(c)).map((c) => c.name);
  put(
    incomplete.length
      ? {
          type: 'Initialized',
          status: 'False',
          reason: 'ContainersNotInitialized',
          message: `containers with incomplete status: [${incomplete.join(' ')}]`,
        }
      : { type: 'Initialized', status: 'True' },
  );
  if (phase === 'Succeeded' || phase === 'Failed') {
    const reason = phase === 'Succeeded' ? 'PodCompleted' : 'PodFailed';
    put({ type: 'Ready', status: 'False', reason });
    put({ type: 'ContainersReady', status: 'False', reason });
  } else {
    const unready = view.containers.filter((c) => !containerReady(c)).map((c) => c.name);
    const ready =
      unready.length === 0
        ? { status: 'True' }
        : {
            status: 'False',
            reason: 'ContainersNotReady',
            message: `containers with unready status: [${unready.join(' ')}]`,
          };
    put({ type: 'Ready', ...ready });
    put({ type: 'ContainersReady', ...ready });
  }
  // The order a real pod lists them in.
  for (const type of [
    'DisruptionTarget',
    'PodReadyToStartContainers',
    'Initialized',
    'Ready',
    'ContainersReady',
    'PodScheduled',
  ]) {
    const c = conditions.find((x) => x.type === type);
    if (c) ordered.push(c);
  }
  const next: PodStatus = { phase, conditions: ordered, hostIP: view.hostIP, hostIPs: [{ ip: view.hostIP }] };
  if (view.podIP) {
    next.podIP = view.podIP;
    next['podIPs'] = [{ ip: view.podIP }];
  }
  if (view.startTime !== undefined) next.startTime = rfc3339(view.startTime);
  const specImages = new Map(
    [...(pod.spec?.initContainers ?? []), ...pod.spec!.containers].map((c) => [c.name, c.image ?? '']),
  );
  if (view.init.length)
    next.initContainerStatuses = view.init.map((c) => status(c, specImages.get(c.name) ?? ''));
  const initializing = incomplete.length > 0;
  next.containerStatuses = [...view.containers]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((c) => status(c, specImages.get(c.name) ?? '', initializing));
  next.qosClass = qosClass(pod);
  if (previous.reason) next.reason = previous.reason;
  if (previous.message) next.message = previous.message;
  if (previous.nominatedNodeName) next.nominatedNodeName = previous.nominatedNodeName;
  return next;
}
