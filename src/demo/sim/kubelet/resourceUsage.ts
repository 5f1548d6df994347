// What running containers use, as metrics.k8s.io reports it and the eviction manager counts it:
// the process plan's CPU, and its memory capped at the container's limit (past it, the OOM killer
// would have ended the process).
import type { Container } from '../../../kube/types';
import { memoryLimit } from '../podResources';
import type { PodRuntime } from './podRuntime';
import type { ProcessPlan } from '../runtime/processPlan';

/** Working-set bytes of a container running `plan`. */
export function workingSetBytes(spec: Container, plan: ProcessPlan): number {
  return Math.min(plan.memoryBytes, memoryLimit(spec) ?? Infinity);
}

/** Current CPU (millicores) and memory (bytes) per running container. */
export function podUsage(rt: PodRuntime): { container: string; milliCpu: number; memory: number }[] {
  return rt.containers
    .filter((c) => c.running)
    .map((c) => ({
      container: c.name,
      milliCpu: c.running!.run.plan.cpuMilli,
      memory: workingSetBytes(c.spec, c.running!.run.plan),
    }));
}

/** The sum over the running regular containers of the node's pods. */
export function totalUsage(pods: Iterable<PodRuntime>): { milliCpu: number; memory: number } {
  let milliCpu = 0;
  let memory = 0;
  for (const rt of pods) {
    for (const c of rt.containers) {
      if (!c.running) continue;
      milliCpu += c.running.run.plan.cpuMilli;
      memory += workingSetBytes(c.spec, c.running.run.plan);
    }
  }
  return { milliCpu, memory };
}
