import { strict as assert } from 'node:assert';
import { analyzeCluster } from '../../../../src/analysis/analyze';
import { parseFitError } from '../../../../src/analysis/findings/scheduling';
import type { KubeEvent, Node, Pod } from '../../../../src/kube/types';
import type { MemoryClusterView } from '../../../../src/kube/memoryClusterView';
import type { CatalogExample } from './catalogView';
import { catalogView, loadExample, objectsOf, viewOf } from './catalogView';
import type { Expected } from './expectFinding';
import { expectFinding } from './expectFinding';

const app = 'containers[name=app]';

/** An example with its FitError text replaced in the PodScheduled condition and the event. */
function withMessage(
  prefix: string,
  message: string,
  edit: (example: CatalogExample) => void = () => undefined,
): MemoryClusterView {
  const example = loadExample(prefix);
  const pod = example.pod as Pod;
  for (const condition of pod.status?.conditions ?? [])
    if (condition.type === 'PodScheduled') condition.message = message;
  for (const event of (example.events ?? []) as KubeEvent[])
    if (event.reason === 'FailedScheduling') event.message = message;
  edit(example);
  return viewOf(objectsOf(example));
}

function taintWorkers(example: CatalogExample): void {
  for (const node of (example.related ?? []) as Node[]) {
    if (node.metadata?.name?.startsWith('worker'))
      node.spec = { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] };
  }
}

function withoutPgdata(example: CatalogExample): void {
  example.related = [
    {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'pg-data', namespace: 'shop' },
      status: { phase: 'Bound' },
    },
  ];
  example.events = (example.events ?? []).filter((e) => (e as KubeEvent).involvedObject.kind === 'Pod');
}

const cases: { name: string; view: () => MemoryClusterView; expected: Expected }[] = [
  {
    name: '17 Insufficient memory: request what the largest node can hold',
    view: () => catalogView('17'),
    expected: {
      code: 'insufficient-memory',
      container: 'app',
      paths: [`${app}.resources.requests.memory`, `${app}.resources`, `${app}.name`],
      message: ['12Gi'],
      evidence: ['4 Insufficient memory', 'largest allocatable memory: worker-1 7901Mi'],
      fix: [{ op: 'set', root: 'podSpec', path: `${app}.resources.requests.memory`, value: '7680Mi' }],
    },
  },
  {
    name: '17 Insufficient cpu variant',
    view: () =>
      withMessage(
        '17',
        '0/5 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 4 Insufficient cpu.',
        (example) => {
          const resources = (example.pod as Pod).spec?.containers[0]?.resources;
          if (resources?.requests) resources.requests['cpu'] = '6';
        },
      ),
    expected: {
      code: 'insufficient-cpu',
      container: 'app',
      paths: [`${app}.resources.requests.cpu`],
      evidence: ['largest allocatable cpu: worker-1 3920m'],
      fix: [{ op: 'set', root: 'podSpec', path: `${app}.resources.requests.cpu`, value: '3900m' }],
    },
  },
  {
    name: '18 nodeSelector matches no node: nodes have another value',
    view: () => catalogView('18'),
    expected: {
      code: 'node-selector-mismatch',
      container: undefined,
      paths: ['nodeSelector.disktype', 'nodeSelector'],
      evidence: [
        "2 node(s) didn't match Pod's node affinity/selector",
        'no node has disktype=nvme; nodes have disktype=ssd (worker-1, worker-2)',
      ],
      fix: [{ op: 'set', root: 'podSpec', path: 'nodeSelector.disktype', value: 'ssd' }],
    },
  },
  {
    name: '19 unbound immediate PVC',
    view: () => catalogView('19'),
    expected: {
      code: 'pvc-unbound',
      paths: ['volumes[name=data].persistentVolumeClaim.claimName'],
      evidence: [
        'pod has unbound immediate PersistentVolumeClaims',
        'no persistent volumes available for this claim and no storage class is set',
      ],
      noFix: true,
    },
  },
  {
    name: '19 missing PVC variant: use the claim that exists',
    view: () =>
      withMessage(
        '19',
        (loadExample('19')._meta as Record<string, string>)['missingPvcVariant'] ?? '',
        withoutPgdata,
      ),
    expected: {
      code: 'pvc-unbound',
      message: ['"pgdata" does not exist'],
      evidence: ['other PersistentVolumeClaims in shop: pg-data (Bound)'],
      paths: ['volumes[name=data].persistentVolumeClaim.claimName'],
      fix: [
        {
          op: 'set',
          root: 'podSpec',
          path: 'volumes[name=data].persistentVolumeClaim.claimName',
          value: 'pg-data',
        },
      ],
    },
  },
  {
    name: 'untolerated taint named in the message: tolerate exactly that taint',
    view: () =>
      withMessage(
        '17',
        '0/5 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 4 node(s) had untolerated taint {dedicated: gpu}. preemption: 0/5 nodes are available: 5 Preemption is not helpful for scheduling.',
        taintWorkers,
      ),
    expected: {
      code: 'untolerated-taint',
      paths: ['tolerations', ''],
      message: ['dedicated=gpu:NoSchedule', 'worker-1'],
      fix: [
        {
          op: 'append',
          root: 'podSpec',
          path: 'tolerations',
          value: { key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' },
        },
      ],
    },
  },
  {
    name: 'untolerated taint(s) (1.35 text without the taint): taken from the Nodes',
    view: () =>
      withMessage('17', '0/5 nodes are available: 5 node(s) had untolerated taint(s).', taintWorkers),
    expected: {
      code: 'untolerated-taint',
      paths: ['tolerations'],
      fix: [
        {
          op: 'append',
          root: 'podSpec',
          path: 'tolerations',
          value: { key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' },
        },
      ],
    },
  },
];

describe('scheduling findings (catalog §10)', () => {
  for (const c of cases) {
    it(c.name, () => {
      expectFinding(analyzeCluster(c.view()), c.expected);
    });
  }

  it('17/18: the control-plane taint is not offered as a fix when other nodes fail for other reasons', () => {
    assert.deepEqual(
      analyzeCluster(catalogView('17')).map((f) => f.code),
      ['insufficient-memory'],
    );
    assert.deepEqual(
      analyzeCluster(catalogView('18')).map((f) => f.code),
      ['node-selector-mismatch'],
    );
  });

  it('parses every FitError variant of example 17', () => {
    // One entry only describes a quirk ("... scheduling.. (double period)"); the rest are full messages.
    const variants = Object.values(
      (loadExample('17')._meta as Record<string, Record<string, string>>)['messageVariants'] ?? {},
    ).filter((v) => v.startsWith('0/'));
    assert.ok(variants.length >= 4);
    for (const text of variants) {
      const fit = parseFitError(text);
      assert.ok(fit, text);
      assert.equal(fit.nodes, 5, text);
      assert.ok(
        fit.reasons.some((r) => r.reason === 'Insufficient memory'),
        `${text} → ${JSON.stringify(fit.reasons)}`,
      );
    }
  });

  it('parses counts that sort lexicographically and PreFilter messages', () => {
    assert.deepEqual(
      parseFitError('0/12 nodes are available: 10 Insufficient cpu, 2 node(s) were unschedulable.')?.reasons,
      [
        { count: 10, reason: 'Insufficient cpu' },
        { count: 2, reason: 'node(s) were unschedulable' },
      ],
    );
    assert.equal(
      parseFitError(
        '0/3 nodes are available: persistentvolumeclaim "pgdata" not found. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.',
      )?.preFilter,
      'persistentvolumeclaim "pgdata" not found',
    );
  });
});
