// The benchmark cluster behind `--pods N`: N running pods in Deployments of five replicas,
// fifty pods per namespace, on as many extra nodes as they need, with the two events a
// healthy pod leaves (Scheduled, Started). Objects are written straight into the store in
// their settled state — the controllers and kubelets adopt them without replaying history —
// so ten thousand pods load in a few seconds.
import type { Deployment, KubeObject, Pod, ReplicaSet } from '../../kube/types';
import type { Clock } from '../clock';
import type { ObjectStore } from '../objectStore';
import { schedulerInstance } from './eventRecorder';
import { imageDigest } from './images/imageCatalog';
import { hexId, podTemplateHash, randomSuffix } from './names';
import { makeNode } from './nodeLifecycle/nodeFactory';
import { controllerRef } from './objects';
import { defaultObject } from '../../kube/defaults';
import { admitPod } from './podAdmission';
import { microTime, rfc3339 } from '../../kube/timeFormat';

export interface ScaleOptions {
  pods: number;
  podsPerNamespace?: number;
  replicas?: number;
  podsPerNode?: number;
  random?: () => number;
}

export interface ScaleSummary {
  namespaces: number;
  deployments: number;
  pods: number;
  nodes: number;
  events: number;
}

const image = 'nginx:1.27.2';
const normalized = 'docker.io/library/nginx:1.27.2';

export function generateScale(store: ObjectStore, clock: Clock, options: ScaleOptions): ScaleSummary {
  const random = options.random ?? Math.random;
  const replicas = options.replicas ?? 5;
  const perNamespace = options.podsPerNamespace ?? 50;
  const perNode = options.podsPerNode ?? 100;
  const nodeCount = Math.ceil(options.pods / perNode);
  const firstIndex = store.list('Node').length;
  const nodes: string[] = [];
  const now = clock.now();
  // Recent enough that the events are still inside the one-hour event TTL.
  const created = now - 30 * 60_000;
  for (let i = 0; i < nodeCount; i++) {
    const name = `pool-node-${String(i + 1).padStart(3, '0')}`;
    nodes.push(name);
    store.create(
      makeNode(
        {
          name,
          cpu: '32',
          allocatableCpu: '31850m',
          memory: '131890Mi',
          allocatableMemory: '129000Mi',
          labels: { 'node.kubernetes.io/pool': 'bench' },
        },
        firstIndex + i,
        now,
      ),
    );
  }
  const summary: ScaleSummary = { namespaces: 0, deployments: 0, pods: 0, nodes: nodeCount, events: 0 };
  let podIndex = 0;
  for (let nsIndex = 0; podIndex < options.pods; nsIndex++) {
    const namespace = `bench-${String(nsIndex).padStart(3, '0')}`;
    store.create({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: namespace, creationTimestamp: rfc3339(created) },
    });
    store.create({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace } });
    summary.namespaces++;
    for (let inNs = 0; inNs < perNamespace && podIndex < options.pods;) {
      const count = Math.min(replicas, perNamespace - inNs, options.pods - podIndex);
      const name = `svc-${String(summary.deployments % 1000).padStart(3, '0')}`;
      const labels = { app: name };
      const deployment = defaultObject({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name, namespace, labels, creationTimestamp: rfc3339(created) },
        spec: {
          replicas: count,
          selector: { matchLabels: labels },
          template: {
            metadata: { labels },
            spec: {
              containers: [
                {
                  name: 'app',
                  image,
                  ports: [{ containerPort: 80 }],
                  resources: { requests: { cpu: '10m', memory: '32Mi' } },
                },
              ],
            },
          },
        },
      }) as Deployment;
      const template = deployment.spec!.template!;
      const hash = podTemplateHash(template);
      const rsName = `${name}-${hash}`;
      const storedDeployment = store.create(deployment) as Deployment;
      const rsLabels = { ...labels, 'pod-template-hash': hash };
      const rs = store.create({
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        metadata: {
          name: rsName,
          namespace,
          labels: rsLabels,
          creationTimestamp: rfc3339(created),
          annotations: {
            'deployment.kubernetes.io/desired-replicas': String(count),
            'deployment.kubernetes.io/max-replicas': String(count + Math.ceil(count / 4)),
            'deployment.kubernetes.io/revision': '1',
          },
          ownerReferences: [controllerRef(storedDeployment)],
        },
        spec: {
          replicas: count,
          selector: { matchLabels: rsLabels },
          template: { ...template, metadata: { labels: rsLabels } },
        },
      }) as ReplicaSet;
      store.updateStatus({
        ...rs,
        status: {
          replicas: count,
          fullyLabeledReplicas: count,
          readyReplicas: count,
          availableReplicas: count,
          observedGeneration: 1,
        },
      });
      const t = rfc3339(created);
      store.updateStatus({
        ...storedDeployment,
        status: {
          observedGeneration: 1,
          replicas: count,
          updatedReplicas: count,
          readyReplicas: count,
          availableReplicas: count,
          unavailableReplicas: 0,
          conditions: [
            {
              type: 'Available',
              status: 'True',
              lastUpdateTime: t,
              lastTransitionTime: t,
              reason: 'MinimumReplicasAvailable',
              message: 'Deployment has minimum availability.',
            },
            {
              type: 'Progressing',
              status: 'True',
              lastUpdateTime: t,
              lastTransitionTime: t,
              reason: 'NewReplicaSetAvailable',
              message: `ReplicaSet "${rsName}" has successfully progressed.`,
            },
          ],
        },
      });
      summary.deployments++;
      // Admission once per Deployment: its pods differ only in name, node and addresses.
      const admitted = admitPod(
        store,
        {
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: {
            generateName: `${rsName}-`,
            namespace,
            labels: rsLabels,
            ownerReferences: [controllerRef(rs)],
          },
          spec: template.spec!,
        },
        random,
      );
      for (let r = 0; r < count; r++) {
        const node = nodes[Math.floor(podIndex / perNode)]!;
        const nodeNumber = firstIndex + Math.floor(podIndex / perNode);
        const podName = `${rsName}-${randomSuffix(5, random)}`;
        const podIP = `10.244.${nodeNumber}.${(podIndex % perNode) + 2}`;
        const hostIP = `10.0.${Math.floor(nodeNumber / 250)}.${10 + (nodeNumber % 250)}`;
        const base: Pod = {
          ...admitted,
          metadata: { ...admitted.metadata, name: podName },
          spec: { ...admitted.spec!, nodeName: node },
        };
        const pod: Pod = {
          ...base,
          metadata: { ...base.metadata, creationTimestamp: t },
          status: {
            phase: 'Running',
            conditions: [
              'PodReadyToStartContainers',
              'Initialized',
              'Ready',
              'ContainersReady',
              'PodScheduled',
            ].map((type) => ({ type, status: 'True', lastProbeTime: null, lastTransitionTime: t })),
            hostIP,
            hostIPs: [{ ip: hostIP }],
            podIP,
            podIPs: [{ ip: podIP }],
            startTime: t,
            containerStatuses: [
              {
                name: 'app',
                state: { running: { startedAt: t } },
                lastState: {},
                ready: true,
                restartCount: 0,
                image: normalized,
                imageID: `docker.io/library/nginx@${imageDigest(normalized)}`,
                containerID: `containerd://${hexId(64, random)}`,
                started: true,
              },
            ],
            qosClass: 'Burstable',
          },
        };
        const stored = store.create(pod);
        podEvents(store, stored, node, created, podIndex);
        summary.events += 2;
        summary.pods++;
        podIndex++;
        inNs++;
      }
    }
  }
  return summary;
}

function podEvents(store: ObjectStore, pod: KubeObject, node: string, at: number, n: number): void {
  const meta = pod.metadata!;
  const ref = {
    apiVersion: 'v1',
    kind: 'Pod',
    name: meta.name,
    namespace: meta.namespace,
    uid: meta.uid,
    resourceVersion: meta.resourceVersion,
  };
  const stamp = (BigInt(at) * 1_000_000n + BigInt(n)).toString(16);
  store.create({
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: `${meta.name}.${stamp}`, namespace: meta.namespace },
    involvedObject: ref,
    reason: 'Scheduled',
    message: `Successfully assigned ${meta.namespace}/${meta.name} to ${node}`,
    source: {},
    firstTimestamp: null,
    lastTimestamp: null,
    type: 'Normal',
    eventTime: microTime(at),
    action: 'Binding',
    reportingComponent: 'default-scheduler',
    reportingInstance: schedulerInstance,
  });
  store.create({
    apiVersion: 'v1',
    kind: 'Event',
    metadata: {
      name: `${meta.name}.${(BigInt(at + 2000) * 1_000_000n + BigInt(n)).toString(16)}`,
      namespace: meta.namespace,
    },
    involvedObject: { ...ref, fieldPath: 'spec.containers{app}' },
    reason: 'Started',
    message: 'Started container app',
    source: { component: 'kubelet', host: node },
    firstTimestamp: rfc3339(at + 2000),
    lastTimestamp: rfc3339(at + 2000),
    count: 1,
    type: 'Normal',
    eventTime: null,
    reportingComponent: 'kubelet',
    reportingInstance: node,
  });
}
