// metrics.k8s.io/v1beta1, what metrics-server serves and `kubectl top` reads. Usage comes from
// the simulation through MetricsSource; without one, running containers report their requests
// (or a small idle figure), so `kubectl top` still works in a bare demo.
import type { ServerResponse } from 'node:http';
import type { KubeObject, Node, Pod } from '../../kube/types';
import { rfc3339 } from '../../kube/timeFormat';
import type { ObjectStore } from '../objectStore';
import { notFound } from './errors';
import type { ResourceInfo } from './resources';
import { listItem, writeJson, writeList } from './responses';
import { matchesFilter, parseFieldSelector, parseLabelSelector } from './selectors';

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

/** GET on metrics.k8s.io pods/nodes: one object or a filtered list, computed from the store now. */
export function serveMetrics(
  res: ServerResponse,
  deps: { store: ObjectStore; source: MetricsSource; now: number },
  r: ResourceInfo,
  namespace: string | undefined,
  name: string | undefined,
  query: URLSearchParams,
): void {
  const pods = r.kind === 'PodMetrics';
  const kind = pods ? 'Pod' : 'Node';
  const render = (o: KubeObject): KubeObject | undefined =>
    pods ? podMetrics(o, deps.source, deps.now) : nodeMetrics(o, deps.source, deps.now);
  if (name !== undefined) {
    const source = deps.store.get(kind, namespace, name);
    const shown = source && render(source);
    if (!shown) throw notFound(r, name);
    writeJson(res, 200, shown);
    return;
  }
  const filter = {
    labels: parseLabelSelector(query.get('labelSelector') ?? ''),
    fields: parseFieldSelector(query.get('fieldSelector') ?? '', kind),
  };
  const items = deps.store
    .list(kind, namespace)
    .filter((o) => matchesFilter(filter, o))
    .map(render)
    .filter((o): o is KubeObject => o !== undefined);
  writeList(
    res,
    { kind: `${r.kind}List`, apiVersion: 'metrics.k8s.io/v1beta1', metadata: {} },
    items,
    listItem,
  );
}
