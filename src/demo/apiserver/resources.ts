// The resource types the demo API server serves, with everything discovery and the URL router
// need to know about each. One table, so discovery, OpenAPI, RBAC and the store never disagree.
import type { ResourceType } from '../objectStore';

export interface SubresourceInfo {
  name: string;
  kind: string;
  verbs: string[];
}

export interface ResourceInfo extends ResourceType {
  singular: string;
  shortNames: string[];
  categories: string[];
  verbs: string[];
  subresources: SubresourceInfo[];
  /** True for types computed on request (metrics) rather than stored. */
  virtual?: boolean;
}

const ALL_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
const status = (kind: string): SubresourceInfo => ({
  name: 'status',
  kind,
  verbs: ['get', 'patch', 'update'],
});

function res(
  group: string,
  version: string,
  resource: string,
  kind: string,
  namespaced: boolean,
  extra: Partial<Pick<ResourceInfo, 'shortNames' | 'categories' | 'verbs' | 'subresources' | 'virtual'>> = {},
): ResourceInfo {
  return {
    group,
    version,
    resource,
    kind,
    namespaced,
    singular: kind.toLowerCase(),
    shortNames: extra.shortNames ?? [],
    categories: extra.categories ?? [],
    verbs: extra.verbs ?? ALL_VERBS,
    subresources: extra.subresources ?? [],
    ...(extra.virtual ? { virtual: true } : {}),
  };
}

export const RESOURCES: readonly ResourceInfo[] = [
  res('', 'v1', 'pods', 'Pod', true, {
    shortNames: ['po'],
    categories: ['all'],
    subresources: [
      status('Pod'),
      { name: 'log', kind: 'Pod', verbs: ['get'] },
      { name: 'exec', kind: 'PodExecOptions', verbs: ['create', 'get'] },
      { name: 'attach', kind: 'PodAttachOptions', verbs: ['create', 'get'] },
      { name: 'portforward', kind: 'PodPortForwardOptions', verbs: ['create', 'get'] },
      { name: 'ephemeralcontainers', kind: 'Pod', verbs: ['get', 'patch', 'update'] },
    ],
  }),
  res('', 'v1', 'events', 'Event', true, { shortNames: ['ev'] }),
  res('', 'v1', 'configmaps', 'ConfigMap', true, { shortNames: ['cm'] }),
  res('', 'v1', 'secrets', 'Secret', true),
  res('', 'v1', 'serviceaccounts', 'ServiceAccount', true, { shortNames: ['sa'] }),
  res('', 'v1', 'services', 'Service', true, {
    shortNames: ['svc'],
    categories: ['all'],
    subresources: [status('Service')],
  }),
  res('', 'v1', 'endpoints', 'Endpoints', true, { shortNames: ['ep'] }),
  res('', 'v1', 'persistentvolumeclaims', 'PersistentVolumeClaim', true, {
    shortNames: ['pvc'],
    subresources: [status('PersistentVolumeClaim')],
  }),
  res('', 'v1', 'persistentvolumes', 'PersistentVolume', false, {
    shortNames: ['pv'],
    subresources: [status('PersistentVolume')],
  }),
  res('', 'v1', 'nodes', 'Node', false, { shortNames: ['no'], subresources: [status('Node')] }),
  res('', 'v1', 'namespaces', 'Namespace', false, {
    shortNames: ['ns'],
    verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
    subresources: [status('Namespace')],
  }),
  res('apps', 'v1', 'deployments', 'Deployment', true, {
    shortNames: ['deploy'],
    categories: ['all'],
    subresources: [status('Deployment'), { name: 'scale', kind: 'Scale', verbs: ['get', 'patch', 'update'] }],
  }),
  res('apps', 'v1', 'replicasets', 'ReplicaSet', true, {
    shortNames: ['rs'],
    categories: ['all'],
    subresources: [status('ReplicaSet'), { name: 'scale', kind: 'Scale', verbs: ['get', 'patch', 'update'] }],
  }),
  res('apps', 'v1', 'statefulsets', 'StatefulSet', true, {
    shortNames: ['sts'],
    categories: ['all'],
    subresources: [
      status('StatefulSet'),
      { name: 'scale', kind: 'Scale', verbs: ['get', 'patch', 'update'] },
    ],
  }),
  res('apps', 'v1', 'daemonsets', 'DaemonSet', true, {
    shortNames: ['ds'],
    categories: ['all'],
    subresources: [status('DaemonSet')],
  }),
  res('batch', 'v1', 'jobs', 'Job', true, { categories: ['all'], subresources: [status('Job')] }),
  res('batch', 'v1', 'cronjobs', 'CronJob', true, {
    shortNames: ['cj'],
    categories: ['all'],
    subresources: [status('CronJob')],
  }),
  res('events.k8s.io', 'v1', 'events', 'Event', true, { shortNames: ['ev'] }),
  res('discovery.k8s.io', 'v1', 'endpointslices', 'EndpointSlice', true),
  res('scheduling.k8s.io', 'v1', 'priorityclasses', 'PriorityClass', false, { shortNames: ['pc'] }),
  res('networking.k8s.io', 'v1', 'networkpolicies', 'NetworkPolicy', true, { shortNames: ['netpol'] }),
  res('authorization.k8s.io', 'v1', 'selfsubjectaccessreviews', 'SelfSubjectAccessReview', false, {
    verbs: ['create'],
    virtual: true,
  }),
  res('authorization.k8s.io', 'v1', 'selfsubjectrulesreviews', 'SelfSubjectRulesReview', false, {
    verbs: ['create'],
    virtual: true,
  }),
  res('metrics.k8s.io', 'v1beta1', 'pods', 'PodMetrics', true, { verbs: ['get', 'list'], virtual: true }),
  res('metrics.k8s.io', 'v1beta1', 'nodes', 'NodeMetrics', false, { verbs: ['get', 'list'], virtual: true }),
];

/** Group versions in the order discovery lists them (core first, as kube-apiserver does). */
export function groupVersions(): { group: string; version: string }[] {
  const seen = new Map<string, { group: string; version: string }>();
  for (const r of RESOURCES) seen.set(`${r.group}/${r.version}`, { group: r.group, version: r.version });
  return [...seen.values()];
}

export function findResource(group: string, version: string, resource: string): ResourceInfo | undefined {
  return RESOURCES.find((r) => r.group === group && r.version === version && r.resource === resource);
}

/**
 * The stored type for a kind. Event lives in both core/v1 and events.k8s.io/v1; the store keeps
 * the core/v1 shape, as kube-apiserver's storage does, and events.k8s.io is a converted view.
 */
export function storedResource(kind: string): ResourceInfo | undefined {
  return RESOURCES.find((r) => r.kind === kind && !r.virtual);
}

export function apiVersionOf(r: ResourceType): string {
  return r.group === '' ? r.version : `${r.group}/${r.version}`;
}

/** `pods`, `deployments.apps`: the name RBAC messages and errors use for a resource. */
export function qualifiedResource(r: ResourceType): string {
  return r.group === '' ? r.resource : `${r.resource}.${r.group}`;
}
