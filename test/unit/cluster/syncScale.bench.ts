// Not a test: measures (1) the raw-JSON list ApiClient makes (client-node's httpApi, our
// JSON.parse) vs client-node's generated API + ObjectSerializer round trip for N pods, (2) a
// session's initial sync time and heap for N pods.
// Run: npx tsx test/unit/cluster/syncScale.bench.ts [pods=10000]
import type { KubeObject } from '../../../src/kube/types';
import { ApiClient } from '../../../src/cluster/apiClient';
import { ClusterSession } from '../../../src/cluster/clusterSession';
import { kubeConfigForContext, loadKubeconfig } from '../../../src/cluster/kubeconfig';
import { FakeApiServer } from './fakeApiServer';

const N = Number(process.argv[2] ?? 10_000);

function realisticPod(i: number): KubeObject {
  const ns = `ns-${i % 50}`;
  const name = `web-${Math.floor(i / 3)}-7d9f8c6b5-${i.toString(36).padStart(5, 'x')}`;
  const t = '2026-01-01T00:00:00Z';
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: ns,
      labels: { app: `web-${i % 200}`, 'pod-template-hash': '7d9f8c6b5' },
      annotations: {
        'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify({
          spec: { containers: [{ name: 'app', image: 'nginx' }] },
        }),
      },
      ownerReferences: [
        {
          apiVersion: 'apps/v1',
          kind: 'ReplicaSet',
          name: `web-${i % 200}-7d9f8c6b5`,
          uid: `rs-${i % 200}`,
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
      creationTimestamp: t,
      managedFields: [
        {
          manager: 'kube-controller-manager',
          operation: 'Update',
          apiVersion: 'v1',
          time: t,
          fieldsType: 'FieldsV1',
          fieldsV1: {
            'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } },
            'f:spec': {
              'f:containers': {
                'k:{"name":"app"}': { '.': {}, 'f:image': {}, 'f:name': {}, 'f:resources': {} },
              },
            },
          },
        },
        {
          manager: 'kubelet',
          operation: 'Update',
          apiVersion: 'v1',
          time: t,
          subresource: 'status',
          fieldsType: 'FieldsV1',
          fieldsV1: {
            'f:status': {
              'f:conditions': {},
              'f:containerStatuses': {},
              'f:hostIP': {},
              'f:phase': {},
              'f:podIP': {},
              'f:startTime': {},
            },
          },
        },
      ],
    },
    spec: {
      containers: [
        {
          name: 'app',
          image: 'registry.example.com/team/web:1.2.3',
          ports: [{ containerPort: 8080, protocol: 'TCP' }],
          env: [
            { name: 'MODE', value: 'prod' },
            { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } },
          ],
          resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } },
          readinessProbe: { httpGet: { path: '/healthz', port: 8080 }, periodSeconds: 10 },
          volumeMounts: [
            {
              name: 'kube-api-access',
              mountPath: '/var/run/secrets/kubernetes.io/serviceaccount',
              readOnly: true,
            },
          ],
        },
      ],
      nodeName: `node-${i % 100}`,
      restartPolicy: 'Always',
      serviceAccountName: 'default',
      tolerations: [
        {
          key: 'node.kubernetes.io/not-ready',
          operator: 'Exists',
          effect: 'NoExecute',
          tolerationSeconds: 300,
        },
      ],
      volumes: [
        {
          name: 'kube-api-access',
          projected: { sources: [{ serviceAccountToken: { path: 'token', expirationSeconds: 3607 } }] },
        },
      ],
    },
    status: {
      phase: 'Running',
      conditions: ['Initialized', 'Ready', 'ContainersReady', 'PodScheduled'].map((type) => ({
        type,
        status: 'True',
        lastTransitionTime: t,
        lastProbeTime: null,
      })),
      hostIP: '10.0.0.1',
      podIP: '10.1.2.3',
      startTime: t,
      qosClass: 'Burstable',
      containerStatuses: [
        {
          name: 'app',
          ready: true,
          started: true,
          restartCount: 0,
          image: 'registry.example.com/team/web:1.2.3',
          imageID: 'sha256:abc',
          containerID: 'containerd://abc',
          state: { running: { startedAt: t } },
        },
      ],
    },
  };
}

async function main(): Promise<void> {
  // Not exported from the package index in 1.4.0; the bench reaches in (src/ never does).
  const { ObjectSerializer } = (await import('@kubernetes/client-node/dist/serializer.js')) as {
    ObjectSerializer: { serialize(data: unknown, type: string): unknown };
  };
  const server = new FakeApiServer();
  await server.start();
  for (let i = 0; i < N; i++) server.put('pods', realisticPod(i));
  const loaded = await loadKubeconfig({ path: server.writeKubeconfig() });
  const { kubeConfig } = await kubeConfigForContext(loaded, 'fake');
  const cn = await import('@kubernetes/client-node');
  const client = new ApiClient(kubeConfig);
  const bytes = JSON.stringify({ items: server.list('pods') }).length;
  process.stdout.write(`${N} pods, ${(bytes / 1e6).toFixed(1)} MB of JSON\n`);

  for (let round = 0; round < 2; round++) {
    let t = performance.now();
    const raw = await client.getJson<{ items: unknown[] }>('/api/v1/pods', {}, { timeoutMs: 120_000 });
    const rawMs = performance.now() - t;
    t = performance.now();
    const api = kubeConfig.makeApiClient(cn.CoreV1Api);
    const typed = await api.listPodForAllNamespaces();
    const typedMs = performance.now() - t;
    t = performance.now();
    const wire = typed.items.map((p) => ObjectSerializer.serialize(p, 'V1Pod'));
    const serializeMs = performance.now() - t;
    process.stdout.write(
      `round ${round}: raw JSON list ${rawMs.toFixed(0)} ms (${raw.items.length}); generated API ${typedMs.toFixed(0)} ms + serialize back ${serializeMs.toFixed(0)} ms (${wire.length})\n`,
    );
  }

  global.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  const t = performance.now();
  const session = await ClusterSession.open(loaded, 'fake', { requestTimeoutMs: 120_000 });
  await session.whenSettled(120_000);
  const syncMs = performance.now() - t;
  global.gc?.();
  const heapAfter = process.memoryUsage().heapUsed;
  process.stdout.write(
    `session initial sync of ${session.list('Pod').length} pods (15 kinds, pages of 500): ${syncMs.toFixed(0)} ms, store heap ≈ ${((heapAfter - heapBefore) / 1e6).toFixed(1)} MB\n`,
  );
  await session.close();
  await server.stop();
}

main().catch((e: unknown) => {
  process.stderr.write(`${String(e)}\n`);
  process.exit(1);
});
