// Which objects to re-analyze when one object changes, so the live store can keep findings
// current with `analyzeObject` instead of re-running `analyzeCluster`. Findings of a pod read its
// events, its owners, the ConfigMaps/Secrets/PVCs of its namespace and its Node; a controller's
// findings quote its pods'; a Service's read the pods it selects.
import type { ClusterView, KindName } from '../kube/clusterView';
import type { KubeObject, Pod } from '../kube/types';
import { controllerOf } from '../kube/ownership';

export interface ObjectKey {
  kind: KindName;
  namespace?: string;
  name: string;
}

/** Kinds `analyzeObject` produces findings for. */
const ANALYZED = new Set<string>(['Pod', 'Deployment', 'ReplicaSet', 'Job', 'Service']);

function keyOf(kind: KindName, object: KubeObject): ObjectKey {
  const key: ObjectKey = { kind, name: object.metadata?.name ?? '' };
  if (object.metadata?.namespace !== undefined) key.namespace = object.metadata.namespace;
  return key;
}

/** A pod and the controllers and Services whose findings quote or depend on it. */
function podAndDependents(view: ClusterView, pod: Pod): ObjectKey[] {
  const keys: ObjectKey[] = [keyOf('Pod', pod)];
  const namespace = pod.metadata?.namespace;
  let owner = controllerOf(pod);
  // Pod → ReplicaSet → Deployment, Pod → Job: each may quote the pod's findings.
  for (let depth = 0; owner && depth < 2; depth++) {
    if (!ANALYZED.has(owner.kind)) break;
    keys.push({
      kind: owner.kind as KindName,
      name: owner.name,
      ...(namespace !== undefined ? { namespace } : {}),
    });
    const next = view.get(owner.kind as KindName, namespace, owner.name);
    owner = next ? controllerOf(next) : undefined;
  }
  for (const service of view.list('Service', namespace)) keys.push(keyOf('Service', service));
  return keys;
}

/** The ReplicaSet or Job whose generated pod name this is (`<owner>-<5 characters>`): a deleted pod's events count for it. */
function generatingOwner(view: ClusterView, namespace: string | undefined, podName: string): ObjectKey[] {
  const match = /^(.+)-[a-z0-9]{5}$/.exec(podName);
  if (!match?.[1]) return [];
  const ns = namespace !== undefined ? { namespace } : {};
  for (const kind of ['ReplicaSet', 'Job'] as const)
    if (view.get(kind, namespace, match[1])) return [{ kind, name: match[1], ...ns }];
  return [];
}

function podsOf(view: ClusterView, uid: string | undefined): Pod[] {
  return uid ? view.ownedBy(uid).filter((o) => (o.kind ?? 'Pod') === 'Pod') : [];
}

/**
 * The objects whose findings may change when `kind namespace/name` was added, changed or deleted
 * (`object` is its last known state, needed after a delete). Includes the object itself when it
 * has findings of its own. Lists are used only for kinds that many pods read (ConfigMap, Secret,
 * PVC, Node), never per pod.
 */
export function affectedBy(view: ClusterView, kind: KindName, object: KubeObject): ObjectKey[] {
  const namespace = object.metadata?.namespace;
  const self = ANALYZED.has(kind) ? [keyOf(kind, object)] : [];
  switch (kind) {
    case 'Event': {
      const involved = (object as { involvedObject?: { kind?: string; namespace?: string; name?: string } })
        .involvedObject;
      if (!involved?.kind || !involved.name) return [];
      if (involved.kind === 'Pod') {
        const pod = view.get('Pod', involved.namespace, involved.name);
        return pod ? podAndDependents(view, pod) : generatingOwner(view, involved.namespace, involved.name);
      }
      if (involved.kind === 'PersistentVolumeClaim')
        return affectedBy(view, 'PersistentVolumeClaim', {
          metadata: { namespace: involved.namespace, name: involved.name },
        });
      return ANALYZED.has(involved.kind)
        ? [
            {
              kind: involved.kind as KindName,
              name: involved.name,
              ...(involved.namespace !== undefined ? { namespace: involved.namespace } : {}),
            },
          ]
        : [];
    }
    case 'Pod':
      return podAndDependents(view, object);
    case 'ConfigMap':
    case 'Secret':
    case 'PersistentVolumeClaim':
      // Only pods that have not started can be failing on these (config errors, mounts, scheduling).
      return view
        .list('Pod', namespace)
        .filter((p) => p.status?.phase === 'Pending' || p.status?.phase === undefined)
        .map((p) => keyOf('Pod', p));
    case 'Node':
      return view
        .list('Pod')
        .filter(
          (p) =>
            p.spec?.nodeName === object.metadata?.name ||
            (!p.spec?.nodeName && p.status?.phase === 'Pending'),
        )
        .map((p) => keyOf('Pod', p));
    case 'ReplicaSet':
    case 'Job': {
      const parent = controllerOf(object);
      return [
        ...self,
        ...(parent?.kind === 'Deployment'
          ? [
              {
                kind: 'Deployment' as const,
                name: parent.name,
                ...(namespace !== undefined ? { namespace } : {}),
              },
            ]
          : []),
        ...podsOf(view, object.metadata?.uid).map((p) => keyOf('Pod', p)),
      ];
    }
    case 'Deployment':
    case 'StatefulSet':
    case 'DaemonSet':
    case 'CronJob': {
      // Pods name their workload through the owner chain, which climbs through this object.
      const children = object.metadata?.uid ? view.ownedBy(object.metadata.uid) : [];
      const grandchildren = children.flatMap((c) => podsOf(view, c.metadata?.uid));
      return [
        ...self,
        ...[...podsOf(view, object.metadata?.uid), ...grandchildren].map((p) => keyOf('Pod', p)),
      ];
    }
    case 'EndpointSlice': {
      const service = object.metadata?.labels?.['kubernetes.io/service-name'];
      return service
        ? [{ kind: 'Service', name: service, ...(namespace !== undefined ? { namespace } : {}) }]
        : [];
    }
    default:
      return self;
  }
}
