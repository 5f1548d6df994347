import { strict as assert } from 'node:assert';
import type { KubeEvent, KubeObject, Pod } from '../../../src/kube/types';
import { affectedBy } from '../../../src/analysis/reanalysis';
import { loadExample, objectsOf, viewOf } from './findings/catalogView';
import { checkoutHistory } from './findings/history';

const names = (keys: { kind: string; name: string }[]): string[] => keys.map((k) => `${k.kind}/${k.name}`);

describe('affectedBy', () => {
  const example = loadExample('15');
  const objects: KubeObject[] = [
    ...objectsOf(example),
    ...checkoutHistory([{ name: 'app' }], [{ name: 'app' }]),
  ];
  const view = viewOf(objects);
  const pod = example.pod as Pod;

  it('a pod event re-runs the pod, its ReplicaSet, its Deployment and the namespace’s Services', () => {
    const event = (example.events ?? []).find((e) => (e as KubeEvent).reason === 'Unhealthy') as KubeObject;
    assert.deepEqual(names(affectedBy(view, 'Event', event)), [
      'Pod/checkout-6d8f7b9c5-rdy01',
      'ReplicaSet/checkout-6d8f7b9c5',
      'Deployment/checkout',
      'Service/checkout',
    ]);
  });

  it('a ConfigMap change re-runs the pods of its namespace that have not started', () => {
    assert.deepEqual(
      names(affectedBy(view, 'ConfigMap', { metadata: { name: 'app-config', namespace: 'shop' } })),
      [],
    );
    const pending = viewOf([{ ...pod, status: { phase: 'Pending' } }]);
    assert.deepEqual(
      names(affectedBy(pending, 'ConfigMap', { metadata: { name: 'app-config', namespace: 'shop' } })),
      ['Pod/checkout-6d8f7b9c5-rdy01'],
    );
  });

  it('a Deployment change re-runs itself and the pods of its ReplicaSets (their workload may change)', () => {
    const deployment = objects.find((o) => o.kind === 'Deployment') as KubeObject;
    assert.deepEqual(names(affectedBy(view, 'Deployment', deployment)), [
      'Deployment/checkout',
      'Pod/checkout-6d8f7b9c5-rdy01',
    ]);
  });

  it('an EndpointSlice change re-runs its Service', () => {
    const slice = objects.find((o) => o.kind === 'EndpointSlice') as KubeObject;
    assert.deepEqual(names(affectedBy(view, 'EndpointSlice', slice)), ['Service/checkout']);
  });
});
