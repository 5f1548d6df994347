// A pod's effective requests as the scheduler sums them: the larger of the biggest init
// container and the sum of the regular containers, per resource.
import type { Container, Pod } from '../../kube/types';
import { bytes, milliCpu } from './quantity';

export interface Requests {
  milliCpu: number;
  memory: number;
  ephemeralStorage: number;
}

function containerRequests(c: Container): Requests {
  // With only limits set, the API server defaults requests to the limits.
  const req = { ...(c.resources?.limits ?? {}), ...(c.resources?.requests ?? {}) };
  return {
    milliCpu: milliCpu(req['cpu']),
    memory: bytes(req['memory']),
    ephemeralStorage: bytes(req['ephemeral-storage']),
  };
}

/** Stored objects are frozen and replaced on every write, so a WeakMap cache never goes stale. */
const cache = new WeakMap<Pod, Requests>();

export function podRequests(pod: Pod): Requests {
  const cached = cache.get(pod);
  if (cached) return cached;
  const computed = computeRequests(pod);
  if (Object.isFrozen(pod)) cache.set(pod, computed);
  return computed;
}

function computeRequests(pod: Pod): Requests {
  const sum: Requests = { milliCpu: 0, memory: 0, ephemeralStorage: 0 };
  for (const c of pod.spec?.containers ?? []) {
    const r = containerRequests(c);
    sum.milliCpu += r.milliCpu;
    sum.memory += r.memory;
    sum.ephemeralStorage += r.ephemeralStorage;
  }
  for (const c of pod.spec?.initContainers ?? []) {
    const r = containerRequests(c);
    sum.milliCpu = Math.max(sum.milliCpu, r.milliCpu);
    sum.memory = Math.max(sum.memory, r.memory);
    sum.ephemeralStorage = Math.max(sum.ephemeralStorage, r.ephemeralStorage);
  }
  return sum;
}

export function memoryLimit(c: Container): number | undefined {
  const limit = c.resources?.limits?.['memory'];
  return limit === undefined ? undefined : bytes(limit);
}
