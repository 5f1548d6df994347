// metrics.k8s.io/v1beta1, what metrics-server serves and `kubectl top` reads. Usage comes from
// the simulation through MetricsSource; without one, running containers report their requests
// (or a small idle figure), so `kubectl top` still works in a bare demo.
import type { KubeObject, Node, Pod } from '../../analysis/k8s';
import { rfc3339 } from '../memoryStore';

export interface Usage {
  /** Quantity strings as metrics-server prints them: `12m`, `34Mi` (or `35651584`). */
  cpu: string;
  memory: string;
}

export interface MetricsSource {
  /** Per-container usage of a running pod; undefined when the pod has no metrics yet. */
  podUsage(pod: Pod): { name: string; usage: Usage }[] | undefined;
  nodeUsage(node: Node): Usage | undefined;
}

const WINDOW = '10.039s';

function running(pod: Pod): boolean {
  return pod.status?.phase === 'Running';
}

export const defaultMetrics: MetricsSource = {
  podUsage(pod) {
    if (!running(pod)) return undefined;
    return (pod.status?.containerStatuses ?? [])
      .filter((s) => s.state?.running)
      .map((s) => {
        const requests = pod.spec?.containers.find((c) => c.name === s.name)?.resources?.requests;
        return {
          name: s.name,
          usage: { cpu: requests?.['cpu'] ?? '1m', memory: requests?.['memory'] ?? '8Mi' },
        };
      });
  },
  nodeUsage() {
    return { cpu: '250m', memory: '1024Mi' };
  },
};

export function podMetrics(pod: Pod, source: MetricsSource, now: number): KubeObject | undefined {
  const containers = source.podUsage(pod);
  if (!containers) return undefined;
  return {
    kind: 'PodMetrics',
    apiVersion: 'metrics.k8s.io/v1beta1',
    metadata: {
      name: pod.metadata?.name ?? '',
      namespace: pod.metadata?.namespace ?? '',
      creationTimestamp: rfc3339(now),
      ...(pod.metadata?.labels ? { labels: pod.metadata.labels } : {}),
    },
    timestamp: rfc3339(now - 5000),
    window: WINDOW,
    containers,
  };
}

export function nodeMetrics(node: Node, source: MetricsSource, now: number): KubeObject | undefined {
  const usage = source.nodeUsage(node);
  if (!usage) return undefined;
  return {
    kind: 'NodeMetrics',
    apiVersion: 'metrics.k8s.io/v1beta1',
    metadata: {
      name: node.metadata?.name ?? '',
      creationTimestamp: rfc3339(now),
      ...(node.metadata?.labels ? { labels: node.metadata.labels } : {}),
    },
    timestamp: rfc3339(now - 5000),
    window: WINDOW,
    usage,
  };
}
