// What kube-apiserver does to an object on create besides validating it: the defaulting of
// kube/defaults.ts, the pod admission defaults that need no lookups (service account name,
// priority, the not-ready/unreachable tolerations), and the initial status each registry
// strategy writes, so objects made through the demo server read back as from a real cluster.
import { defaultObject } from '../../kube/defaults';
import { qosClass } from '../../kube/qos';
import type { KubeObject } from '../../kube/types';

type Obj = Record<string, unknown>;
const obj = (o: unknown): Obj => (o && typeof o === 'object' && !Array.isArray(o) ? (o as Obj) : {});

/** Fills defaults in place on an object about to be created. */
export function applyCreateDefaults(object: KubeObject): void {
  const defaulted = defaultObject(object);
  for (const key of Object.keys(object)) if (!(key in defaulted)) delete object[key];
  Object.assign(object, defaulted);
  const spec = obj(object['spec']);
  switch (object.kind) {
    case 'Pod': {
      spec['serviceAccountName'] ??= 'default';
      spec['serviceAccount'] ??= spec['serviceAccountName'];
      spec['preemptionPolicy'] ??= 'PreemptLowerPriority';
      spec['priority'] ??= 0;
      spec['tolerations'] ??= [
        {
          key: 'node.kubernetes.io/not-ready',
          operator: 'Exists',
          effect: 'NoExecute',
          tolerationSeconds: 300,
        },
        {
          key: 'node.kubernetes.io/unreachable',
          operator: 'Exists',
          effect: 'NoExecute',
          tolerationSeconds: 300,
        },
      ];
      object['status'] = { phase: 'Pending', qosClass: qosClass(object) };
      return;
    }
    case 'Deployment':
    case 'Job':
    case 'CronJob':
      object['status'] = {};
      return;
    case 'ReplicaSet':
      object['status'] = { replicas: 0 };
      return;
    case 'StatefulSet':
      object['status'] = { replicas: 0, availableReplicas: 0 };
      return;
    case 'DaemonSet':
      object['status'] = {
        currentNumberScheduled: 0,
        desiredNumberScheduled: 0,
        numberMisscheduled: 0,
        numberReady: 0,
      };
      return;
    case 'Service':
      object['status'] = { loadBalancer: {} };
      return;
    case 'PersistentVolumeClaim':
      object['status'] = { phase: 'Pending' };
      return;
    case 'Namespace':
      // The namespace strategy, not defaulting, adds the finalizer that holds deletion.
      object['spec'] = { ...spec, finalizers: spec['finalizers'] ?? ['kubernetes'] };
      object['status'] = { phase: 'Active' };
      return;
    default:
  }
}
