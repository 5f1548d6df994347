// Small helpers over plain objects: conditions that keep their lastTransitionTime while the
// status does not change, and writes that skip the store when nothing changed (a write wakes
// every watcher, so idle reconciles must stay silent).
import type { Condition, KubeObject, OwnerReference, Pod } from '../../kube/types';
import type { ObjectStore } from '../objectStore';
import { canonicalJson } from './names';
import { rfc3339 } from '../../kube/timeFormat';
import { controllerOf } from '../../kube/ownership';

export function key(object: KubeObject): string {
  return `${object.metadata?.namespace ?? ''}/${object.metadata?.name ?? ''}`;
}

export function clone<T>(value: T): T {
  return structuredClone(value);
}

export interface ConditionInput {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

/**
 * Sets `input` in `conditions`, keeping lastTransitionTime when the status is unchanged.
 * `style` picks the timestamps each API uses: pods carry lastProbeTime: null, workloads lastUpdateTime.
 */
export function setCondition(
  conditions: Condition[],
  input: ConditionInput,
  now: number,
  style: 'pod' | 'workload' | 'job' = 'pod',
): Condition[] {
  const previous = conditions.find((c) => c.type === input.type);
  const transition =
    previous && previous.status === input.status ? previous.lastTransitionTime : rfc3339(now);
  const next: Condition = { type: input.type, status: input.status };
  if (style === 'pod') next.lastProbeTime = null;
  if (style === 'job') next.lastProbeTime = rfc3339(now);
  if (style === 'workload') {
    const same =
      previous &&
      previous.status === input.status &&
      previous.reason === input.reason &&
      previous.message === input.message;
    next.lastUpdateTime = same ? previous.lastUpdateTime : rfc3339(now);
  }
  if (transition !== undefined) next.lastTransitionTime = transition;
  if (input.reason) next.reason = input.reason;
  if (input.message) next.message = input.message;
  const out = conditions.filter((c) => c.type !== input.type);
  const index = conditions.findIndex((c) => c.type === input.type);
  if (index >= 0) out.splice(index, 0, next);
  else out.push(next);
  return out;
}

export function removeCondition(conditions: Condition[], type: string): Condition[] {
  return conditions.filter((c) => c.type !== type);
}

/** Writes `status` through the status subresource only when it differs from what is stored. */
export function writeStatus<T extends KubeObject>(store: ObjectStore, object: T, status: unknown): T {
  if (canonicalJson(object['status'] ?? {}) === canonicalJson(status ?? {})) return object;
  return store.updateStatus({ ...object, status }) as T;
}

export function controllerRef(owner: KubeObject): OwnerReference {
  return {
    apiVersion: owner.apiVersion ?? '',
    kind: owner.kind ?? '',
    name: owner.metadata?.name ?? '',
    uid: owner.metadata?.uid ?? '',
    controller: true,
    blockOwnerDeletion: true,
  };
}

export function isOwnedBy(object: KubeObject, owner: KubeObject): boolean {
  return controllerOf(object)?.uid === owner.metadata?.uid;
}

export function isTerminal(pod: Pod): boolean {
  return pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
}

export function isPodReady(pod: Pod): boolean {
  return pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

/** Available: ready for at least minReadySeconds. */
export function isPodAvailable(pod: Pod, minReadySeconds: number, now: number): boolean {
  const ready = pod.status?.conditions?.find((c) => c.type === 'Ready' && c.status === 'True');
  if (!ready || pod.metadata?.deletionTimestamp) return false;
  if (!minReadySeconds) return true;
  const since = Date.parse(ready.lastTransitionTime ?? '');
  return !Number.isNaN(since) && since + minReadySeconds * 1000 <= now;
}

/** `name_namespace(uid)`, the kubelet's format.Pod. */
export function formatPod(pod: Pod): string {
  return `${pod.metadata?.name}_${pod.metadata?.namespace}(${pod.metadata?.uid})`;
}
