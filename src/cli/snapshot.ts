// Saved cluster state for `diagnose --snapshot`: whatever `kubectl get … -o json|yaml` printed.
// Secrets and ConfigMaps are cut down to key names as they are read.
import { parseAllDocuments } from 'yaml';
import type { KindMap, KindName } from '../kube/clusterView';
import { KIND_NAMES } from '../kube/clusterView';
import { fromEventsV1 } from '../kube/eventShape';
import type { KubeObject } from '../kube/types';
import { toKeyedObject } from '../kube/keyedObject';
import { UsageError } from './usageError';

export type SnapshotObjects = { [K in KindName]?: KindMap[K][] };

export interface SnapshotSource {
  file: string;
  text: string;
}

/** Reads every object from the sources. Objects of kinds analysis does not read are counted and dropped. */
export function loadSnapshot(sources: readonly SnapshotSource[]): {
  objects: SnapshotObjects;
  ignored: number;
} {
  const objects: SnapshotObjects = {};
  let ignored = 0;
  for (const { file, text } of sources) {
    for (const item of readItems(file, text)) {
      const kind = item.kind as KindName;
      if (!KIND_NAMES.includes(kind)) {
        ignored++;
        continue;
      }
      const normalized = normalize(kind, item);
      const list = (objects[kind] ??= []) as KubeObject[];
      list.push(normalized);
    }
  }
  return { objects, ignored };
}

function readItems(file: string, text: string): KubeObject[] {
  const docs = parseAllDocuments(text, { prettyErrors: false });
  const items: KubeObject[] = [];
  for (const doc of Array.isArray(docs) ? docs : [docs]) {
    if (doc.errors.length > 0) {
      const [first] = doc.errors;
      throw new UsageError(
        `${file}: not a kubectl JSON or YAML snapshot (${first?.message.split('\n')[0] ?? 'parse error'})`,
      );
    }
    const value: unknown = doc.toJS({ maxAliasCount: 100 });
    if (value === null || value === undefined) continue;
    if (!isObject(value))
      throw new UsageError(`${file}: expected a Kubernetes object or List, found ${typeof value}`);
    if (Array.isArray(value['items'])) {
      for (const entry of value['items'] as unknown[])
        if (isObject(entry)) items.push(withListKind(value, entry));
    } else if (typeof value['kind'] === 'string') {
      items.push(value);
    } else {
      throw new UsageError(`${file}: expected a Kubernetes object or List (no "kind" field)`);
    }
  }
  return items;
}

/** `kubectl get pods -o json` prints a PodList whose items carry no kind. */
function withListKind(list: Record<string, unknown>, item: Record<string, unknown>): KubeObject {
  if (typeof item['kind'] === 'string') return item;
  const listKind = typeof list['kind'] === 'string' ? list['kind'] : '';
  return listKind.endsWith('List') && listKind !== 'List' ? { ...item, kind: listKind.slice(0, -4) } : item;
}

function normalize(kind: KindName, item: KubeObject): KubeObject {
  if (kind === 'ConfigMap' || kind === 'Secret') return toKeyedObject(item);
  // Analysis reads the core/v1 shape.
  if (kind === 'Event' && item.apiVersion === 'events.k8s.io/v1') return fromEventsV1(item);
  return item;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The latest timestamp in the snapshot (events, container states, conditions), in ms; now if it has none. */
export function newestTime(objects: SnapshotObjects): number {
  let newest = 0;
  const see = (value: unknown): void => {
    if (typeof value !== 'string') return;
    const t = Date.parse(value);
    if (t > newest) newest = t;
  };
  for (const event of objects.Event ?? []) {
    see(event.lastTimestamp);
    see(event.eventTime);
    see(event.series?.lastObservedTime);
  }
  for (const pod of objects.Pod ?? []) {
    see(pod.metadata?.creationTimestamp);
    for (const condition of pod.status?.conditions ?? []) see(condition.lastTransitionTime);
    for (const status of [
      ...(pod.status?.containerStatuses ?? []),
      ...(pod.status?.initContainerStatuses ?? []),
    ]) {
      for (const state of [status.state, status.lastState]) {
        see(state?.running?.startedAt);
        see(state?.terminated?.finishedAt);
      }
    }
  }
  return newest > 0 ? newest : Date.now();
}
