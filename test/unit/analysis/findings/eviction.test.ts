import { strict as assert } from 'node:assert';
import { analyzeCluster } from '../../../../src/analysis/analyze';
import type { Node, Pod } from '../../../../src/kube/types';
import type { MemoryClusterView } from '../../../../src/kube/memoryClusterView';
import { catalogView, loadExample, objectsOf, viewOf } from './catalogView';
import type { Expected } from './expectFinding';
import { expectFinding } from './expectFinding';

const cases: { name: string; view: () => MemoryClusterView; expected: Expected }[] = [
  {
    name: '22 evicted under node memory pressure: request what it used',
    view: () => catalogView('22'),
    expected: {
      code: 'evicted',
      container: 'worker',
      paths: ['containers[name=worker].resources.requests.memory', 'containers[name=worker].resources'],
      message: ['low on memory'],
      evidence: [
        'The node was low on resource: memory. Threshold quantity: 100Mi, available: 91872Ki. Container worker was using 1843520Ki, request is 256Mi',
      ],
      fix: [
        {
          op: 'set',
          root: 'podSpec',
          path: 'containers[name=worker].resources.requests.memory',
          value: '2Gi',
        },
      ],
    },
  },
  {
    name: '23 preempted: the preemptor found by UID, its class offered',
    view: () => catalogView('23'),
    expected: {
      code: 'preempted',
      subject: 'Pod/batch-indexer-5f7c9b8d6-pre01',
      paths: ['priorityClassName', ''],
      evidence: [
        'Preempted by pod fa650b5a-9420-54f5-83da-733ec06d407f on node worker-2',
        'preempted by shop/payments-api-7d4b9c8f5-hi001 (priorityClassName business-critical, priority 100000)',
      ],
      fix: [{ op: 'set', root: 'podSpec', path: 'priorityClassName', value: 'business-critical' }],
    },
  },
  {
    name: '23 preempted: PriorityClasses in the view win over the preemptor’s',
    view: () =>
      catalogView('23', [
        {
          apiVersion: 'scheduling.k8s.io/v1',
          kind: 'PriorityClass',
          metadata: { name: 'batch-high' },
          value: 500000,
        },
        {
          apiVersion: 'scheduling.k8s.io/v1',
          kind: 'PriorityClass',
          metadata: { name: 'system-cluster-critical' },
          value: 2000000000,
        },
      ]),
    expected: {
      code: 'preempted',
      paths: ['priorityClassName'],
      fix: [{ op: 'set', root: 'podSpec', path: 'priorityClassName', value: 'batch-high' }],
    },
  },
  {
    name: '24 node unreachable: blamed on the object, fix fails over sooner',
    view: () => catalogView('24'),
    expected: {
      code: 'node-not-ready',
      root: 'object',
      paths: ['metadata.name'],
      message: ['worker-3', 'unreachable'],
      evidence: [
        'Node worker-3: Ready=Unknown NodeStatusUnknown: Kubelet stopped posting node status.',
        'NodeNotReady: Node is not ready',
        'Marking for deletion Pod shop/checkout-6d8f7b9c5-nl001',
      ],
      fix: [
        {
          op: 'append',
          root: 'podSpec',
          path: 'tolerations',
          value: {
            key: 'node.kubernetes.io/unreachable',
            operator: 'Exists',
            effect: 'NoExecute',
            tolerationSeconds: 60,
          },
        },
      ],
    },
  },
];

describe('eviction findings (catalog §13–§15)', () => {
  for (const c of cases) {
    it(c.name, () => {
      expectFinding(analyzeCluster(c.view()), c.expected);
    });
  }

  it('22: the evicted pod’s exit 137 is not also reported as a crash', () => {
    assert.deepEqual(
      analyzeCluster(catalogView('22')).map((f) => f.code),
      ['evicted'],
    );
  });

  it('24: once the Node is Ready again, old NodeNotReady events are history', () => {
    const example = loadExample('24');
    const node = (example.related ?? []).find((o) => o.kind === 'Node') as Node;
    node.status = { conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady' }] };
    assert.deepEqual(
      analyzeCluster(viewOf(objectsOf(example))).filter((f) => f.code === 'node-not-ready'),
      [],
    );
  });

  it('admission reject variant: Evicted without container statuses', () => {
    const example = loadExample('22');
    const pod = example.pod as Pod;
    const variant = (example._meta as Record<string, Record<string, string>>)['admissionRejectVariant'] ?? {};
    pod.status = { phase: 'Failed', reason: 'Evicted', message: variant['status.message'] ?? '' };
    const finding = expectFinding(analyzeCluster(viewOf([pod])), {
      code: 'evicted',
      paths: ['containers[name=worker].resources.requests.ephemeral-storage'],
    });
    assert.ok(
      finding.evidence.some((e) => e.includes('Pod was rejected: The node had condition: [DiskPressure].')),
    );
  });
});
