// The defaulting kube-apiserver applies to every object it decodes (SetDefaults_* in
// pkg/apis/*/v1/defaults.go), so that objects made by the demo read back with the fields a real
// cluster shows (`kubectl get deploy -o yaml` shows strategy, progressDeadlineSeconds, the
// template's restartPolicy, ...) and the pod-template-hash is computed over the same defaulted
// template. Admission (service account, priority, default tolerations) is not defaulting: it
// belongs to whoever admits pods. Fields a manifest sets, even to a value the apiserver would
// reject, are kept; validation is a separate step.
import { defaultPullPolicy } from './imageReference';
import type { Container, KubeObject, Pod, PodSpec } from './types';

type Obj = Record<string, unknown>;
const obj = (o: unknown): Obj => (o && typeof o === 'object' && !Array.isArray(o) ? (o as Obj) : {});

/** A copy of `object` with each of `defaults` filled in where it is absent (or null, as Go's nil). */
function fill<T extends Obj>(object: T, defaults: Obj): T {
  const out: Obj = { ...object };
  for (const [key, value] of Object.entries(defaults)) out[key] ??= value;
  return out as T;
}

/** SetDefaults_Container and SetDefaults_ContainerPort. */
export function defaultContainer(c: Container): Container {
  const out = fill(c, {
    imagePullPolicy: defaultPullPolicy(c.image ?? ''),
    resources: {},
    terminationMessagePath: '/dev/termination-log',
    terminationMessagePolicy: 'File',
  });
  if (Array.isArray(c.ports)) out.ports = c.ports.map((p) => fill(p, { protocol: 'TCP' }));
  return out;
}

/** SetDefaults_PodSpec; `restartPolicy` is the default the owner implies (a Job's pods: Never). */
export function defaultPodSpec(spec: PodSpec, restartPolicy = 'Always'): PodSpec {
  const out = fill(spec, {
    restartPolicy,
    terminationGracePeriodSeconds: 30,
    dnsPolicy: 'ClusterFirst',
    securityContext: {},
    schedulerName: 'default-scheduler',
  });
  // Objects straight from a manifest may lack the lists validation would require.
  const containers: unknown = spec.containers;
  if (Array.isArray(containers)) out.containers = spec.containers.map(defaultContainer);
  if (spec.initContainers) out.initContainers = spec.initContainers.map(defaultContainer);
  return out;
}

/** SetDefaults_Pod: the pod spec, and enableServiceLinks, which only a Pod (not a template) gets. */
export function defaultPod(pod: Pod): Pod {
  const spec = defaultPodSpec(pod.spec ?? ({} as PodSpec));
  return { ...pod, spec: fill(spec, { enableServiceLinks: true }) };
}

/** A workload's pod template: always present, with metadata, as the Go structs serialise. */
function withTemplate(spec: Obj, restartPolicy?: string): Obj {
  const template = obj(spec['template']);
  return {
    ...spec,
    template: fill(
      { ...template, spec: defaultPodSpec(obj(template['spec']) as unknown as PodSpec, restartPolicy) },
      { metadata: {} },
    ),
  };
}

/**
 * SetDefaults_Deployment: a missing type is RollingUpdate, and a rolling update gets each of
 * maxUnavailable and maxSurge that it lacks, so `{rollingUpdate: {maxSurge: 1}}` keeps its surge.
 */
function deploymentStrategy(strategy: Obj): Obj {
  const type = strategy['type'] || 'RollingUpdate';
  if (type !== 'RollingUpdate') return { ...strategy, type };
  const rollingUpdate = fill(obj(strategy['rollingUpdate']), { maxUnavailable: '25%', maxSurge: '25%' });
  return { ...strategy, type, rollingUpdate };
}

/** A copy of `object` with the apiserver's defaults filled in; kinds without defaults are returned as is. */
export function defaultObject(object: KubeObject): KubeObject {
  const spec = obj(object['spec']);
  switch (object.kind) {
    case 'Pod':
      return defaultPod(object);
    case 'Deployment': {
      const out = fill(withTemplate(spec), {
        replicas: 1,
        revisionHistoryLimit: 10,
        progressDeadlineSeconds: 600,
      });
      out['strategy'] = deploymentStrategy(obj(spec['strategy']));
      return { ...object, spec: out };
    }
    case 'ReplicaSet':
      return { ...object, spec: fill(withTemplate(spec), { replicas: 1 }) };
    case 'StatefulSet':
      return {
        ...object,
        spec: fill(withTemplate(spec), {
          replicas: 1,
          podManagementPolicy: 'OrderedReady',
          revisionHistoryLimit: 10,
          updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } },
          persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
        }),
      };
    case 'DaemonSet':
      return {
        ...object,
        spec: fill(withTemplate(spec), {
          revisionHistoryLimit: 10,
          updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } },
        }),
      };
    case 'Job':
      return { ...object, spec: defaultJobSpec(spec) };
    case 'CronJob': {
      const jobTemplate = obj(spec['jobTemplate']);
      return {
        ...object,
        spec: {
          ...fill(spec, {
            concurrencyPolicy: 'Allow',
            suspend: false,
            successfulJobsHistoryLimit: 3,
            failedJobsHistoryLimit: 1,
          }),
          // The demo's CronJob controller creates Jobs from this template without the
          // apiserver's Job defaulting, so the template carries the Job's backoffLimit.
          jobTemplate: fill(
            {
              ...jobTemplate,
              spec: fill(withTemplate(obj(jobTemplate['spec']), 'Never'), { backoffLimit: 6 }),
            },
            { metadata: {} },
          ),
        },
      };
    }
    case 'Service': {
      const out = fill(spec, {
        type: 'ClusterIP',
        sessionAffinity: 'None',
        ipFamilies: ['IPv4'],
        ipFamilyPolicy: 'SingleStack',
        internalTrafficPolicy: 'Cluster',
      });
      const ports: unknown = spec['ports'];
      if (Array.isArray(ports))
        out['ports'] = ports.map((p) => fill(obj(p), { protocol: 'TCP', targetPort: obj(p)['port'] }));
      return { ...object, spec: out };
    }
    case 'PersistentVolumeClaim':
      return { ...object, spec: fill(spec, { volumeMode: 'Filesystem' }) };
    case 'Secret':
      return defaultSecret(object);
    default:
      return object;
  }
}

function defaultJobSpec(spec: Obj): Obj {
  return fill(withTemplate(spec, 'Never'), {
    parallelism: 1,
    completions: 1,
    backoffLimit: 6,
    completionMode: 'NonIndexed',
    suspend: false,
    manualSelector: false,
    podReplacementPolicy: 'TerminatingOrFailed',
  });
}

/** SetDefaults_Secret, and stringData, which is write-only: merged into data (base64) and dropped. */
function defaultSecret(object: KubeObject): KubeObject {
  const { stringData, ...rest } = object;
  const out = fill(rest, { type: 'Opaque' });
  if (!stringData || typeof stringData !== 'object') return out;
  const data = { ...obj(object['data']) };
  for (const [k, v] of Object.entries(stringData)) data[k] = base64(String(v));
  return { ...out, data };
}

/** UTF-8 then base64, without Node's Buffer so that kube/ stays plain TypeScript. */
function base64(text: string): string {
  let binary = '';
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}
