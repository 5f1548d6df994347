// Events the kubelet records about a pod, sourced from its node and, for one container, carrying
// the container's fieldPath (`spec.containers{web}`) as the real kubelet's do.
import type { Pod } from '../../../kube/types';
import type { ContainerRuntime } from '../runtime/containerRuntime';
import type { EventRecorder } from '../eventRecorder';

export type KubeletEvent = (
  pod: Pod,
  c: ContainerRuntime | undefined,
  type: 'Normal' | 'Warning',
  reason: string,
  message: string,
) => void;

export function kubeletEvents(events: EventRecorder, host: string): KubeletEvent {
  return (pod, c, type, reason, message) => {
    const e = { type, reason, message, component: 'kubelet', host } as const;
    events.record(pod, c ? { ...e, fieldPath: fieldPath(c) } : e);
  };
}

function fieldPath(c: ContainerRuntime): string {
  return c.init ? `spec.initContainers{${c.name}}` : `spec.containers{${c.name}}`;
}
