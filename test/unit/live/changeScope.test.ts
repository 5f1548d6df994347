// An open manifest follows its objects' pods: a pod's restart or its event touches the Deployment
// that owns it through its ReplicaSet, even when no finding changed; other workloads' pods do not.
import * as assert from 'node:assert/strict';
import { changeTouches } from '../../../src/live/changeScope';
import type { LiveContextChange } from '../../../src/live/liveContext';
import type { KubeObject } from '../../../src/kube/types';
import { MemoryClusterView } from '../../../src/kube/memoryClusterView';

const owner = (kind: string, name: string, uid: string) => [
  { apiVersion: 'apps/v1', kind, name, uid, controller: true },
];
const deployment: KubeObject = {
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'shop', uid: 'd1' },
};
const replicaSet: KubeObject = {
  kind: 'ReplicaSet',
  metadata: {
    name: 'web-1',
    namespace: 'shop',
    uid: 'r1',
    ownerReferences: owner('Deployment', 'web', 'd1'),
  },
};
const pod: KubeObject = {
  kind: 'Pod',
  metadata: {
    name: 'web-1-a',
    namespace: 'shop',
    uid: 'p1',
    ownerReferences: owner('ReplicaSet', 'web-1', 'r1'),
  },
};
const stranger: KubeObject = { kind: 'Pod', metadata: { name: 'db-0', namespace: 'shop', uid: 'p2' } };
const view = new MemoryClusterView(
  { Deployment: [deployment], ReplicaSet: [replicaSet], Pod: [pod, stranger] },
  () => 0,
);
const keys = new Set(['Deployment/shop/web']);
const change = (objects: LiveContextChange['objects']): LiveContextChange => ({
  context: 'c',
  objects,
  owners: [],
  restarts: [],
  initial: false,
});

describe('live/changeScope', () => {
  it('a pod of the file’s Deployment touches it, through its ReplicaSet', () => {
    assert.equal(changeTouches(view, keys, change([{ kind: 'Pod', type: 'MODIFIED', object: pod }])), true);
  });

  it('an event about that pod touches it too', () => {
    const event = {
      kind: 'Event',
      metadata: { name: 'e', namespace: 'shop' },
      involvedObject: { kind: 'Pod', namespace: 'shop', name: 'web-1-a' },
    };
    assert.equal(changeTouches(view, keys, change([{ kind: 'Event', type: 'ADDED', object: event }])), true);
  });

  it('another workload’s pod does not', () => {
    assert.equal(
      changeTouches(view, keys, change([{ kind: 'Pod', type: 'MODIFIED', object: stranger }])),
      false,
    );
  });
});
