// The kubelet's state for one pod it runs: the sandbox, a slot per container walking through
// new → running → exited → backoff → done, the pod's wake-up timer and its mount retries.
import type { Pod } from '../../../kube/types';
import type { TimerHandle } from '../../clock';
import type { ContainerRuntime } from '../runtime/containerRuntime';
import { newContainerRuntime } from '../runtime/containerRuntime';
import type { CatalogImage } from '../images/imageCatalog';
import type { PodRuntimeView } from './podStatusBuilder';

export type Phase = 'new' | 'running' | 'exited' | 'backoff' | 'done';

export interface ContainerSlot extends ContainerRuntime {
  phase: Phase;
  /** The process plan's image, once pulled. */
  catalog?: CatalogImage;
  /** When the last instance ended, to the millisecond (the status keeps whole seconds). */
  finishedMs?: number;
}

export interface PodRuntime extends PodRuntimeView {
  uid: string;
  namespace: string;
  name: string;
  init: ContainerSlot[];
  containers: ContainerSlot[];
  timer?: TimerHandle;
  wakeAt: number;
  mountFailures: number;
  nextMountAt: number;
  terminating: boolean;
  finished: boolean;
  /** Taken over from a status that already shows it running: the first sync writes nothing. */
  adopted?: boolean;
}

/** The kubelet has just been handed the pod: no sandbox yet, every container new. */
export function newPodRuntime(pod: Pod, hostIP: string, now: number): PodRuntime {
  return {
    uid: pod.metadata?.uid ?? '',
    namespace: pod.metadata?.namespace ?? '',
    name: pod.metadata?.name ?? '',
    sandboxReady: false,
    hostIP,
    startTime: now,
    init: (pod.spec?.initContainers ?? []).map((c) => ({ ...newContainerRuntime(c, true), phase: 'new' })),
    containers: (pod.spec?.containers ?? []).map((c) => ({
      ...newContainerRuntime(c, false),
      phase: 'new',
    })),
    wakeAt: Infinity,
    mountFailures: 0,
    nextMountAt: now,
    terminating: false,
    finished: false,
  };
}
