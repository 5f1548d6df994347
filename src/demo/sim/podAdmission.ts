// What the API server does to a pod on create before it is stored: defaulting (the fields
// `kubectl get -o yaml` shows on every real pod) and the admission plugins that can refuse it
// with the real texts of §19 — ServiceAccount and Priority. Controllers surface a refusal as
// FailedCreate; a direct create surfaces it as a 403.
import type { Container, Pod, PriorityClass } from '../../kube/types';
import type { ObjectStore } from '../objectStore';
import { randomSuffix } from './names';
import { defaultPod } from '../../kube/defaults';
import { qosClass } from '../../kube/qos';

export class AdmissionError extends Error {
  constructor(
    readonly podName: string,
    readonly reason: string,
  ) {
    super(`pods ${JSON.stringify(podName)} is forbidden: ${reason}`);
    this.name = 'AdmissionError';
  }
}

function withApiAccessMount(c: Container, apiAccess: string | undefined): Container {
  if (
    !apiAccess ||
    (c.volumeMounts ?? []).some((m) => m.mountPath === '/var/run/secrets/kubernetes.io/serviceaccount')
  )
    return c;
  return {
    ...c,
    volumeMounts: [
      ...(c.volumeMounts ?? []),
      { name: apiAccess, readOnly: true, mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' },
    ],
  };
}

/** Defaults and admits `pod`; throws AdmissionError with the real message when refused. */
export function admitPod(store: ObjectStore, pod: Pod, random: () => number = Math.random): Pod {
  const ns = pod.metadata?.namespace ?? 'default';
  const shownName = pod.metadata?.name ?? pod.metadata?.generateName ?? '';
  const spec = pod.spec!;
  const sa = spec.serviceAccountName ?? (spec['serviceAccount'] as string | undefined) ?? 'default';
  if (!store.get('ServiceAccount', ns, sa)) {
    throw new AdmissionError(
      shownName,
      `error looking up service account ${ns}/${sa}: serviceaccount ${JSON.stringify(sa)} not found`,
    );
  }
  const classes = store.list('PriorityClass') as PriorityClass[];
  let priority = 0;
  let preemptionPolicy = 'PreemptLowerPriority';
  if (spec.priorityClassName) {
    const pc = classes.find((c) => c.metadata?.name === spec.priorityClassName);
    if (!pc)
      throw new AdmissionError(shownName, `no PriorityClass with name ${spec.priorityClassName} was found`);
    priority = pc.value;
    preemptionPolicy = pc.preemptionPolicy ?? preemptionPolicy;
  } else {
    const global = classes.find((c) => c.globalDefault);
    if (global) {
      priority = global.value;
      preemptionPolicy = global.preemptionPolicy ?? preemptionPolicy;
    }
  }
  const hasApiAccess = (spec.volumes ?? []).some((v) => v.name.startsWith('kube-api-access-'));
  const automount = spec['automountServiceAccountToken'] !== false;
  const apiAccess = hasApiAccess || !automount ? undefined : `kube-api-access-${randomSuffix(5, random)}`;
  const volumes = [...(spec.volumes ?? [])];
  if (apiAccess) {
    volumes.push({
      name: apiAccess,
      projected: {
        defaultMode: 420,
        sources: [
          { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
          { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
          {
            downwardAPI: {
              items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }],
            },
          },
        ],
      },
    });
  }
  const tolerations = [...(spec.tolerations ?? [])];
  for (const k of ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable']) {
    if (!tolerations.some((t) => t.key === k && t.effect === 'NoExecute'))
      tolerations.push({ key: k, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 });
  }
  const defaulted = defaultPod(pod).spec!;
  return {
    ...pod,
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { ...pod.metadata, namespace: ns },
    spec: {
      ...defaulted,
      containers: defaulted.containers.map((c) => withApiAccessMount(c, apiAccess)),
      ...(defaulted.initContainers
        ? { initContainers: defaulted.initContainers.map((c) => withApiAccessMount(c, apiAccess)) }
        : {}),
      serviceAccountName: sa,
      serviceAccount: sa,
      tolerations,
      priority,
      preemptionPolicy,
      volumes,
    },
    status: pod.status ?? { phase: 'Pending', qosClass: qosClass({ spec }) },
  };
}
