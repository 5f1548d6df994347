// Usage from metrics.k8s.io (metrics-server, what `kubectl top pod` reads). It cannot be
// watched, so callers poll it, and only while someone looks. A cluster without metrics answers
// 404 (the group is not registered) or 503 (registered, but metrics-server is down): that is
// "no metrics", a normal state, not an error.
import type { ApiClient } from './apiClient';
import { ClusterError } from './clusterError';
import { parseBytes } from '../kube/quantity';

/** pod name → container name → working-set bytes. */
export type NamespaceUsage = Map<string, Map<string, number>>;

interface PodMetricsList {
  items?: {
    metadata?: { name?: string };
    containers?: { name?: string; usage?: { memory?: string } }[];
  }[];
}

/**
 * The memory working set of every container of a namespace's pods, or `undefined` when the
 * cluster serves no metrics. Other failures (unreachable, forbidden) reject with a ClusterError.
 */
export async function readPodMetrics(
  client: ApiClient,
  namespace: string,
  options: { signal?: AbortSignal; timeoutMs?: number } = {},
): Promise<NamespaceUsage | undefined> {
  let list: PodMetricsList;
  try {
    list = await client.getJson<PodMetricsList>(
      `/apis/metrics.k8s.io/v1beta1/namespaces/${encodeURIComponent(namespace)}/pods`,
      {},
      { ...(options.signal ? { signal: options.signal } : {}), timeoutMs: options.timeoutMs ?? 15_000 },
    );
  } catch (e) {
    if (e instanceof ClusterError && (e.status === 404 || e.status === 503)) return undefined;
    throw e;
  }
  const usage: NamespaceUsage = new Map();
  for (const item of list.items ?? []) {
    const pod = item.metadata?.name;
    if (!pod) continue;
    const containers = new Map<string, number>();
    for (const c of item.containers ?? []) {
      const bytes = c.usage?.memory !== undefined ? parseBytes(c.usage.memory) : undefined;
      if (c.name && bytes !== undefined) containers.set(c.name, bytes);
    }
    usage.set(pod, containers);
  }
  return usage;
}
