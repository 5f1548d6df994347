// The kubelet's memory of one container across restarts: its current state, the last
// termination, the restart count, and the runs whose logs `kubectl logs [--previous]` reads.
import type { Container, ContainerState, ContainerStateTerminated } from '../../../kube/types';
import type { ProcessPlan } from './processPlan';

export interface ContainerRun {
  id: string;
  startedAt: number;
  finishedAt?: number;
  plan: ProcessPlan;
}

export interface ProbeState {
  nextTick: Record<'Liveness' | 'Readiness' | 'Startup', number>;
  failures: Record<'Liveness' | 'Readiness' | 'Startup', number>;
  successes: Record<'Liveness' | 'Readiness' | 'Startup', number>;
  startupDone: boolean;
  ready: boolean;
}

export interface RunningState {
  run: ContainerRun;
  probes: ProbeState;
  /** SIGTERM sent: the process ends at `exitAt` with `exitCode`. */
  kill?: { exitAt: number; exitCode: number };
}

export interface ContainerRuntime {
  name: string;
  init: boolean;
  spec: Container;
  restartCount: number;
  waiting?: { reason: string; message?: string };
  running?: RunningState;
  terminated?: ContainerStateTerminated;
  lastTerminated?: ContainerStateTerminated;
  /** Status image/imageID once pulled. */
  image?: string;
  imageID?: string;
  /** A pull in flight finishes at this time. */
  pullingUntil?: number;
  pullStartedAt?: number;
  /** The terminated container waits one beat (kubectl shows Error) before the restart decision. */
  decideAt?: number;
  runs: ContainerRun[];
}

export function newContainerRuntime(spec: Container, init: boolean): ContainerRuntime {
  return { name: spec.name, init, spec, restartCount: 0, runs: [] };
}

/** `initializing`: the pod's init containers have not all finished, so regular ones wait as PodInitializing. */
export function stateOf(
  c: ContainerRuntime,
  rfc: (ms: number) => string,
  initializing = false,
): ContainerState {
  if (c.running) return { running: { startedAt: rfc(c.running.run.startedAt) } };
  if (c.waiting) {
    const waiting: { reason: string; message?: string } = { reason: c.waiting.reason };
    if (c.waiting.message) waiting.message = c.waiting.message;
    return { waiting };
  }
  if (c.terminated) return { terminated: c.terminated };
  return { waiting: { reason: c.init || initializing ? 'PodInitializing' : 'ContainerCreating' } };
}

/** Keeps the current and the previous run only: that is all `kubectl logs` can reach. */
export function rememberRun(c: ContainerRuntime, run: ContainerRun): void {
  c.runs.push(run);
  if (c.runs.length > 2) c.runs.shift();
}
