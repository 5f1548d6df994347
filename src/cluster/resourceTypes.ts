// The API resources a session keeps in its store, and how to address them.
import type { KindName } from '../kube/clusterView';

export interface WatchedResource {
  kind: KindName;
  /** '' for the core group. */
  group: string;
  version: string;
  /** Plural name used in URLs. */
  plural: string;
  namespaced: boolean;
}

const r = (
  kind: KindName,
  group: string,
  version: string,
  plural: string,
  namespaced = true,
): WatchedResource => ({
  kind,
  group,
  version,
  plural,
  namespaced,
});

export const WATCHED_RESOURCES: readonly WatchedResource[] = [
  r('Pod', '', 'v1', 'pods'),
  r('Event', '', 'v1', 'events'),
  r('ReplicaSet', 'apps', 'v1', 'replicasets'),
  r('Deployment', 'apps', 'v1', 'deployments'),
  r('StatefulSet', 'apps', 'v1', 'statefulsets'),
  r('DaemonSet', 'apps', 'v1', 'daemonsets'),
  r('Job', 'batch', 'v1', 'jobs'),
  r('CronJob', 'batch', 'v1', 'cronjobs'),
  r('Node', '', 'v1', 'nodes', false),
  r('ConfigMap', '', 'v1', 'configmaps'),
  r('Secret', '', 'v1', 'secrets'),
  r('PersistentVolumeClaim', '', 'v1', 'persistentvolumeclaims'),
  r('Service', '', 'v1', 'services'),
  r('EndpointSlice', 'discovery.k8s.io', 'v1', 'endpointslices'),
  r('PriorityClass', 'scheduling.k8s.io', 'v1', 'priorityclasses', false),
];

export function apiVersionOf(resource: WatchedResource): string {
  return resource.group === '' ? resource.version : `${resource.group}/${resource.version}`;
}

/** The collection path, cluster-wide or in one namespace: `/apis/apps/v1/namespaces/ns/deployments`. */
export function collectionPath(resource: WatchedResource, namespace?: string): string {
  const base =
    resource.group === '' ? `/api/${resource.version}` : `/apis/${resource.group}/${resource.version}`;
  return namespace !== undefined && resource.namespaced
    ? `${base}/namespaces/${encodeURIComponent(namespace)}/${resource.plural}`
    : `${base}/${resource.plural}`;
}
