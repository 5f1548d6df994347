// A pod's QoS class, as pkg/apis/core/v1/helper/qos ComputePodQOS computes status.qosClass. The
// class decides eviction order and the oom_score_adj the kubelet gives the containers, so the
// simulated cluster and the analysis must read it the way the apiserver writes it.
import { addQuantities, compareQuantities, parseExactQuantity } from './quantity';
import type { Quantity } from './quantity';
import type { Pod, PodSpec } from './types';

export type QosClass = 'Guaranteed' | 'Burstable' | 'BestEffort';

/** Extended resources, ephemeral-storage and hugepages play no part in the class. */
const QOS_RESOURCES = new Set(['cpu', 'memory']);

/** Stored pods are frozen and their spec is shared across status writes, so this never goes stale. */
const cache = new WeakMap<PodSpec, QosClass>();

/**
 * Guaranteed when every container (init containers too) has cpu and memory limits and the summed
 * requests equal the summed limits; BestEffort when no container asks for any cpu or memory; else
 * Burstable. Quantities compare exactly (`1Gi` equals `1024Mi`), zero values count as unset, and a
 * missing request counts as its limit, as the apiserver defaults it before computing the class.
 */
export function qosClass(pod: Pod): QosClass {
  const spec = pod.spec;
  if (!spec) return 'BestEffort';
  const cached = cache.get(spec);
  if (cached) return cached;
  const computed = computeQosClass(spec);
  if (Object.isFrozen(spec)) cache.set(spec, computed);
  return computed;
}

function computeQosClass(spec: PodSpec): QosClass {
  const requests = new Map<string, Quantity>();
  const limits = new Map<string, Quantity>();
  let guaranteed = true;
  for (const c of [...(spec.containers ?? []), ...(spec.initContainers ?? [])]) {
    const containerLimits = c.resources?.limits ?? {};
    sum(requests, { ...containerLimits, ...(c.resources?.requests ?? {}) });
    const limited = sum(limits, containerLimits);
    if (!limited.has('cpu') || !limited.has('memory')) guaranteed = false;
  }
  if (requests.size === 0 && limits.size === 0) return 'BestEffort';
  if (!guaranteed || requests.size !== limits.size) return 'Burstable';
  for (const [name, request] of requests) {
    const limit = limits.get(name);
    if (!limit || compareQuantities(limit, request) !== 0) return 'Burstable';
  }
  return 'Guaranteed';
}

/** Adds the positive cpu and memory quantities of `list` into `into`; returns the names it added. */
function sum(into: Map<string, Quantity>, list: Record<string, string>): Set<string> {
  const added = new Set<string>();
  for (const [name, text] of Object.entries(list)) {
    if (!QOS_RESOURCES.has(name)) continue;
    const quantity = parseExactQuantity(text);
    if (!quantity || quantity.mantissa <= 0n) continue;
    const total = into.get(name);
    into.set(name, total ? addQuantities(total, quantity) : quantity);
    added.add(name);
  }
  return added;
}
