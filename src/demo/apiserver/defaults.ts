// The defaulting kube-apiserver applies on create (pkg/apis/*/v1/defaults.go), so objects made
// through the demo server read back with the same fields as from a real cluster, and the
// simulation finds restartPolicy, imagePullPolicy and friends filled in.
import type { KubeObject, Pod } from '../../kube/types';
import { qosClass } from '../../kube/qos';

type Obj = Record<string, unknown>;
const obj = (o: unknown): Obj => (o && typeof o === 'object' && !Array.isArray(o) ? (o as Obj) : {});

function defaultContainer(c: Obj): void {
  c['terminationMessagePath'] ??= '/dev/termination-log';
  c['terminationMessagePolicy'] ??= 'File';
  const image = typeof c['image'] === 'string' ? c['image'] : '';
  // `:latest` or no tag pulls Always; a tag or digest pulls IfNotPresent.
  const tagged = /@sha256:/.test(image) || /:[^/:]+$/.test(image);
  c['imagePullPolicy'] ??= !tagged || image.endsWith(':latest') ? 'Always' : 'IfNotPresent';
  c['resources'] ??= {};
  const ports = c['ports'];
  if (Array.isArray(ports)) for (const p of ports) obj(p)['protocol'] ??= 'TCP';
}

export function defaultPodSpec(spec: Obj): Obj {
  spec['restartPolicy'] ??= 'Always';
  spec['terminationGracePeriodSeconds'] ??= 30;
  spec['dnsPolicy'] ??= 'ClusterFirst';
  spec['schedulerName'] ??= 'default-scheduler';
  spec['securityContext'] ??= {};
  for (const list of ['containers', 'initContainers']) {
    const containers = spec[list];
    if (Array.isArray(containers)) for (const c of containers) defaultContainer(obj(c));
  }
  return spec;
}

function defaultTemplate(spec: Obj): void {
  const template = obj((spec['template'] ??= {}));
  template['spec'] = defaultPodSpec(obj(template['spec'] ?? {}));
}

/** Fills defaults in place on an object about to be created. */
export function applyCreateDefaults(object: KubeObject): void {
  const spec = obj((object['spec'] ??= {}));
  switch (object.kind) {
    case 'Pod': {
      defaultPodSpec(spec);
      spec['serviceAccountName'] ??= 'default';
      spec['serviceAccount'] ??= spec['serviceAccountName'];
      spec['enableServiceLinks'] ??= true;
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
      object['status'] = { phase: 'Pending', qosClass: qosClass({ spec } as Pod) };
      return;
    }
    case 'Deployment':
      spec['replicas'] ??= 1;
      spec['revisionHistoryLimit'] ??= 10;
      spec['progressDeadlineSeconds'] ??= 600;
      if (!obj(spec['strategy'])['type'])
        spec['strategy'] = {
          type: 'RollingUpdate',
          rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' },
        };
      defaultTemplate(spec);
      object['status'] = {};
      return;
    case 'ReplicaSet':
      spec['replicas'] ??= 1;
      defaultTemplate(spec);
      object['status'] = { replicas: 0 };
      return;
    case 'StatefulSet':
      spec['replicas'] ??= 1;
      spec['podManagementPolicy'] ??= 'OrderedReady';
      spec['revisionHistoryLimit'] ??= 10;
      spec['updateStrategy'] ??= { type: 'RollingUpdate', rollingUpdate: { partition: 0 } };
      spec['persistentVolumeClaimRetentionPolicy'] ??= { whenDeleted: 'Retain', whenScaled: 'Retain' };
      defaultTemplate(spec);
      object['status'] = { replicas: 0, availableReplicas: 0 };
      return;
    case 'DaemonSet':
      spec['revisionHistoryLimit'] ??= 10;
      spec['updateStrategy'] ??= { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } };
      defaultTemplate(spec);
      object['status'] = {
        currentNumberScheduled: 0,
        desiredNumberScheduled: 0,
        numberMisscheduled: 0,
        numberReady: 0,
      };
      return;
    case 'Job':
      spec['parallelism'] ??= 1;
      spec['completions'] ??= 1;
      spec['backoffLimit'] ??= 6;
      spec['completionMode'] ??= 'NonIndexed';
      spec['suspend'] ??= false;
      spec['podReplacementPolicy'] ??= 'TerminatingOrFailed';
      defaultTemplate(spec);
      if (obj(obj(spec['template'])['spec'])['restartPolicy'] === 'Always')
        obj(obj(spec['template'])['spec'])['restartPolicy'] = 'Never';
      object['status'] = {};
      return;
    case 'CronJob':
      spec['concurrencyPolicy'] ??= 'Allow';
      spec['suspend'] ??= false;
      spec['successfulJobsHistoryLimit'] ??= 3;
      spec['failedJobsHistoryLimit'] ??= 1;
      object['status'] = {};
      return;
    case 'Service':
      spec['type'] ??= 'ClusterIP';
      spec['sessionAffinity'] ??= 'None';
      spec['internalTrafficPolicy'] ??= 'Cluster';
      spec['ipFamilyPolicy'] ??= 'SingleStack';
      spec['ipFamilies'] ??= ['IPv4'];
      if (Array.isArray(spec['ports'])) {
        for (const p of spec['ports']) {
          const port = obj(p);
          port['protocol'] ??= 'TCP';
          port['targetPort'] ??= port['port'];
        }
      }
      object['status'] = { loadBalancer: {} };
      return;
    case 'PersistentVolumeClaim':
      spec['volumeMode'] ??= 'Filesystem';
      object['status'] = { phase: 'Pending' };
      return;
    case 'Namespace':
      spec['finalizers'] ??= ['kubernetes'];
      object['status'] = { phase: 'Active' };
      return;
    default:
      if (Object.keys(spec).length === 0) delete object['spec'];
  }
}
