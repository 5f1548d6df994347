import { strict as assert } from 'node:assert';
import type { KubeObject } from '../../../../src/kube/types';
import { RESOURCES } from '../../../../src/demo/apiserver/resources';
import { columnDefinitions, toTable } from '../../../../src/demo/apiserver/tables';

const NOW = Date.parse('2025-06-10T10:00:00Z');
const created = '2025-06-10T09:00:00Z';

function cells(kind: string, object: KubeObject): unknown[] {
  const resource = RESOURCES.find((r) => r.kind === kind && !r.virtual);
  if (!resource) throw new Error(kind);
  const table = toTable(
    resource,
    [{ ...object, metadata: { name: 'x', creationTimestamp: created, ...object.metadata } }],
    NOW,
    { include: 'None', resourceVersion: '1' },
  ) as { rows: { cells: unknown[] }[] };
  return table.rows[0]?.cells ?? [];
}

const names = (kind: string, wide = false): string[] =>
  columnDefinitions(kind)
    .filter((c) => wide || c.priority === 0)
    .map((c) => c.name);

describe('server-side printing', () => {
  it('uses kubectl 1.32 column sets', () => {
    assert.deepEqual(names('Deployment'), ['Name', 'Ready', 'Up-to-date', 'Available', 'Age']);
    assert.deepEqual(names('ReplicaSet'), ['Name', 'Desired', 'Current', 'Ready', 'Age']);
    assert.deepEqual(names('Event'), ['Last Seen', 'Type', 'Reason', 'Object', 'Message']);
    assert.deepEqual(names('Node'), ['Name', 'Status', 'Roles', 'Age', 'Version']);
    assert.deepEqual(names('Service'), ['Name', 'Type', 'Cluster-IP', 'External-IP', 'Port(s)', 'Age']);
    assert.deepEqual(names('ConfigMap'), ['Name', 'Data', 'Age']);
    assert.deepEqual(names('Secret'), ['Name', 'Type', 'Data', 'Age']);
    assert.deepEqual(names('Namespace'), ['Name', 'Status', 'Age']);
    assert.deepEqual(names('Job'), ['Name', 'Status', 'Completions', 'Duration', 'Age']);
    assert.deepEqual(names('CronJob'), [
      'Name',
      'Schedule',
      'Timezone',
      'Suspend',
      'Active',
      'Last Schedule',
      'Age',
    ]);
    assert.deepEqual(names('ServiceAccount'), ['Name', 'Secrets', 'Age']);
    assert.deepEqual(names('Endpoints'), ['Name', 'Endpoints', 'Age']);
  });

  it('prints workload cells', () => {
    assert.deepEqual(
      cells('Deployment', {
        spec: { replicas: 3 },
        status: { readyReplicas: 1, updatedReplicas: 3, availableReplicas: 1 },
      }).slice(0, 5),
      ['x', '1/3', 3, 1, '60m'],
    );
    assert.deepEqual(
      cells('ReplicaSet', { spec: { replicas: 2 }, status: { replicas: 2, readyReplicas: 0 } }).slice(0, 4),
      ['x', 2, 2, 0],
    );
    assert.deepEqual(
      cells('Job', {
        spec: { completions: 1 },
        status: { failed: 1, startTime: created, conditions: [{ type: 'Failed', status: 'True' }] },
      }).slice(0, 4),
      ['x', 'Failed', '0/1', '60m'],
    );
    assert.deepEqual(cells('CronJob', { spec: { schedule: '*/5 * * * *' }, status: {} }).slice(0, 6), [
      'x',
      '*/5 * * * *',
      '<none>',
      false,
      0,
      '<none>',
    ]);
  });

  it('prints SELECTOR as metav1.FormatLabelSelector: every requirement sorted by key, bad ones as <error>', () => {
    const selector = (s: unknown): unknown => cells('ReplicaSet', { spec: { replicas: 1, selector: s } })[7];
    // `kubectl get rs -o wide` prints what labels.Selector.String() gives: one list sorted by key
    // (matchLabels and matchExpressions together) with In/NotIn values sorted.
    assert.equal(
      selector({
        matchLabels: { tier: 'web' },
        matchExpressions: [
          { key: 'zone', operator: 'NotIn', values: ['b', 'a'] },
          { key: 'app', operator: 'In', values: ['shop', 'cart'] },
        ],
      }),
      'app in (cart,shop),tier=web,zone notin (a,b)',
    );
    assert.equal(selector({ matchExpressions: [{ key: 'a', operator: 'Near' }] }), '<error>');
    assert.equal(selector({}), '<none>');
  });

  it('prints node, service, secret and endpoints cells', () => {
    assert.deepEqual(
      cells('Node', {
        metadata: { labels: { 'node-role.kubernetes.io/control-plane': '' } },
        spec: { unschedulable: true },
        status: {
          conditions: [{ type: 'Ready', status: 'Unknown' }],
          nodeInfo: { kubeletVersion: 'v1.32.4' },
        },
      }).slice(0, 5),
      ['x', 'Unknown,SchedulingDisabled', 'control-plane', '60m', 'v1.32.4'],
    );
    assert.deepEqual(
      cells('Service', {
        spec: {
          clusterIP: '10.96.0.10',
          ports: [
            { port: 53, protocol: 'UDP' },
            { port: 80, nodePort: 30080 },
          ],
        },
      }).slice(0, 5),
      ['x', 'ClusterIP', '10.96.0.10', '<none>', '53/UDP,80:30080/TCP'],
    );
    assert.deepEqual(
      cells('Secret', { type: 'kubernetes.io/tls', data: { 'tls.crt': '', 'tls.key': '' } }).slice(0, 3),
      ['x', 'kubernetes.io/tls', 2],
    );
    assert.deepEqual(cells('Endpoints', { subsets: [] }).slice(0, 2), ['x', '<none>']);
    assert.deepEqual(
      cells('Endpoints', {
        subsets: [{ notReadyAddresses: [{ ip: '10.0.0.1' }], ports: [{ port: 80 }] }],
      }).slice(0, 2),
      ['x', ''],
    );
  });
});
