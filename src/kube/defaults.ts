// The defaults kube-apiserver fills into workload objects on create, so that applied manifests
// look as they would on a real cluster (`kubectl get deploy -o yaml` shows strategy,
// progressDeadlineSeconds, the template's restartPolicy, ...) and the pod-template-hash is
// computed over the same defaulted template.
import type { Container, KubeObject, PodSpec } from './types';
import { defaultPullPolicy } from './imageReference';

function defaultContainer(c: Container): Container {
  return {
    ...c,
    imagePullPolicy: c.imagePullPolicy ?? defaultPullPolicy(c.image ?? ''),
    resources: c.resources ?? {},
    terminationMessagePath: c['terminationMessagePath'] ?? '/dev/termination-log',
    terminationMessagePolicy: c.terminationMessagePolicy ?? 'File',
  };
}

export function defaultPodSpec(spec: PodSpec, restartPolicy = 'Always'): PodSpec {
  return {
    ...spec,
    containers: (spec.containers ?? []).map(defaultContainer),
    ...(spec.initContainers ? { initContainers: spec.initContainers.map(defaultContainer) } : {}),
    restartPolicy: spec.restartPolicy ?? restartPolicy,
    terminationGracePeriodSeconds: spec.terminationGracePeriodSeconds ?? 30,
    dnsPolicy: spec['dnsPolicy'] ?? 'ClusterFirst',
    securityContext: spec.securityContext ?? {},
    schedulerName: spec['schedulerName'] ?? 'default-scheduler',
  };
}

type Spec = Record<string, unknown> & { template?: { metadata?: Record<string, unknown>; spec?: PodSpec } };

function withTemplate(spec: Spec, restartPolicy?: string): Spec {
  if (!spec.template?.spec) return spec;
  return {
    ...spec,
    template: {
      ...spec.template,
      metadata: spec.template.metadata ?? {},
      spec: defaultPodSpec(spec.template.spec, restartPolicy),
    },
  };
}

export function defaultObject(object: KubeObject): KubeObject {
  const spec = (object['spec'] ?? {}) as Spec;
  switch (object.kind) {
    case 'Deployment':
      return {
        ...object,
        spec: {
          replicas: 1,
          revisionHistoryLimit: 10,
          progressDeadlineSeconds: 600,
          strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
          ...withTemplate(spec),
        },
      };
    case 'ReplicaSet':
      return { ...object, spec: { replicas: 1, ...withTemplate(spec) } };
    case 'StatefulSet':
      return {
        ...object,
        spec: {
          replicas: 1,
          podManagementPolicy: 'OrderedReady',
          revisionHistoryLimit: 10,
          updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } },
          persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
          ...withTemplate(spec),
        },
      };
    case 'DaemonSet':
      return {
        ...object,
        spec: {
          revisionHistoryLimit: 10,
          updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: 1 } },
          ...withTemplate(spec),
        },
      };
    case 'Job': {
      const job = withTemplate(spec, 'Never');
      return {
        ...object,
        spec: {
          parallelism: 1,
          completions: 1,
          backoffLimit: 6,
          completionMode: 'NonIndexed',
          suspend: false,
          manualSelector: false,
          podReplacementPolicy: 'TerminatingOrFailed',
          ...job,
        },
      };
    }
    case 'CronJob': {
      const jobTemplate = (spec['jobTemplate'] ?? {}) as { metadata?: Record<string, unknown>; spec?: Spec };
      return {
        ...object,
        spec: {
          concurrencyPolicy: 'Allow',
          suspend: false,
          successfulJobsHistoryLimit: 3,
          failedJobsHistoryLimit: 1,
          ...spec,
          jobTemplate: {
            ...jobTemplate,
            metadata: jobTemplate.metadata ?? {},
            spec: { backoffLimit: 6, ...withTemplate(jobTemplate.spec ?? {}, 'Never') },
          },
        },
      };
    }
    case 'Service': {
      const ports = (
        (spec['ports'] ?? []) as { port: number; targetPort?: number | string; protocol?: string }[]
      ).map((p) => ({ protocol: 'TCP', targetPort: p.port, ...p }));
      return {
        ...object,
        spec: {
          type: 'ClusterIP',
          sessionAffinity: 'None',
          ipFamilies: ['IPv4'],
          ipFamilyPolicy: 'SingleStack',
          internalTrafficPolicy: 'Cluster',
          ...spec,
          ports,
        },
      };
    }
    case 'Secret': {
      const stringData = object['stringData'] as Record<string, string> | undefined;
      if (!stringData) return { type: 'Opaque', ...object };
      const data = { ...((object['data'] as Record<string, string> | undefined) ?? {}) };
      for (const [k, v] of Object.entries(stringData)) data[k] = Buffer.from(v, 'utf8').toString('base64');
      const { stringData: _dropped, ...rest } = object;
      return { type: 'Opaque', ...rest, data };
    }
    default:
      return object;
  }
}
