// A preempted or evicted pod is deleted and replaced; its Events stay for an hour and still explain
// what happened to the workload that owned it.
import { strict as assert } from 'node:assert';
import { analyzeCluster } from '../../../../src/analysis/analyze';
import { affectedBy } from '../../../../src/analysis/reanalysis';
import type { KubeEvent, KubeObject, Pod } from '../../../../src/kube/types';
import { loadExample, viewOf } from './catalogView';

const RS_UID = '525ec6ce-7355-5960-892a-909d6bee8554';

/** Example 23 after the preempted pod was deleted: its ReplicaSet, a Deployment above it, no pod. */
function afterDeletion(options: { keepPod?: boolean; podName?: string } = {}): KubeObject[] {
  const example = loadExample('23');
  const pod = example.pod as Pod;
  const events = (example.events ?? []) as KubeEvent[];
  if (options.podName) for (const e of events) e.involvedObject.name = options.podName;
  const deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'batch-indexer', namespace: 'shop', uid: 'dep-uid' },
    spec: { template: { spec: pod.spec } },
  };
  const replicaSet = {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: 'batch-indexer-5f7c9b8d6',
      namespace: 'shop',
      uid: RS_UID,
      ownerReferences: [
        {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          name: 'batch-indexer',
          uid: 'dep-uid',
          controller: true,
        },
      ],
    },
    spec: { replicas: 1, template: { spec: pod.spec } },
    status: { replicas: 1 },
  };
  return [...(options.keepPod ? [pod] : []), ...events, ...(example.related ?? []), deployment, replicaSet];
}

describe('events of deleted pods', () => {
  it('count for the workload that owned the pod, as a warning naming the pod', () => {
    const findings = analyzeCluster(viewOf(afterDeletion()));
    const preempted = findings.filter((f) => f.code === 'preempted');
    assert.equal(preempted.length, 1);
    const [finding] = preempted;
    assert.equal(finding?.severity, 'warning');
    assert.equal(finding?.workload?.kind, 'Deployment');
    assert.equal(finding?.workload?.name, 'batch-indexer');
    assert.match(
      finding?.message ?? '',
      /^Pod batch-indexer-5f7c9b8d6-pre01 was preempted .*its events remain\)$/,
    );
    assert.ok(
      finding?.evidence.includes(
        'Preempted: Preempted by pod fa650b5a-9420-54f5-83da-733ec06d407f on node worker-2',
      ),
      finding?.evidence.join('\n'),
    );
    assert.deepEqual(finding?.blame, { root: 'podSpec', paths: ['priorityClassName', ''] });
  });

  it('are not counted twice while the pod still exists', () => {
    const findings = analyzeCluster(viewOf(afterDeletion({ keepPod: true })));
    const preempted = findings.filter((f) => f.code === 'preempted');
    assert.equal(preempted.length, 1);
    assert.equal(preempted[0]?.severity, 'error');
  });

  it('belong only to the owner whose generated name the pod has', () => {
    const findings = analyzeCluster(viewOf(afterDeletion({ podName: 'batch-indexer-5f7c9b8d6x-pre01' })));
    assert.deepEqual(
      findings.filter((f) => f.code === 'preempted'),
      [],
    );
  });

  it('re-analyze that owner when such an event arrives', () => {
    const objects = afterDeletion();
    const view = viewOf(objects);
    const event = objects.find((o) => o.kind === 'Event') as KubeObject;
    assert.deepEqual(affectedBy(view, 'Event', event), [
      { kind: 'ReplicaSet', name: 'batch-indexer-5f7c9b8d6', namespace: 'shop' },
    ]);
  });
});
