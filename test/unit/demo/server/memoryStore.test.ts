import { strict as assert } from 'node:assert';
import { MemoryStore } from '../../../../src/demo/memoryStore';
import type { StoreEvent } from '../../../../src/demo/objectStore';
import { StatusError } from '../../../../src/demo/apiserver/errors';

const fixedClock = {
  now: () => Date.parse('2025-06-10T09:00:00Z'),
  setTimer: () => ({ cancel: () => undefined }),
};

function seq(): () => number {
  let i = 0;
  return () => (i++ % 27) / 27;
}

describe('MemoryStore', () => {
  let store: MemoryStore;
  let events: StoreEvent[];
  beforeEach(() => {
    store = new MemoryStore({ clock: fixedClock, random: seq() });
    events = [];
    store.subscribe((e) => events.push(e));
  });

  it('fills uid, resourceVersion, creationTimestamp, apiVersion and defaults the namespace', () => {
    const pod = store.create({ kind: 'Pod', metadata: { name: 'a' }, spec: { containers: [] } });
    assert.equal(pod.apiVersion, 'v1');
    assert.equal(pod.metadata?.namespace, 'default');
    assert.match(pod.metadata?.uid ?? '', /^[0-9a-f-]{36}$/);
    assert.equal(pod.metadata?.creationTimestamp, '2025-06-10T09:00:00Z');
    assert.equal(pod.metadata?.resourceVersion, store.resourceVersion());
    assert.equal(pod.metadata?.generation, undefined, 'pods have no generation in 1.32');
    assert.deepEqual(
      events.map((e) => e.type),
      ['ADDED'],
    );
  });

  it('drops the namespace of cluster-scoped objects', () => {
    const node = store.create({ kind: 'Node', metadata: { name: 'n1', namespace: 'x' } });
    assert.equal(node.metadata?.namespace, undefined);
    assert.ok(store.get('Node', 'whatever', 'n1'));
  });

  it('generates names from generateName with the apimachinery alphabet', () => {
    const pod = store.create({ kind: 'Pod', metadata: { generateName: 'web-7d9f-', namespace: 'demo' } });
    assert.match(pod.metadata?.name ?? '', /^web-7d9f-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  });

  it('rejects duplicates with a 409 AlreadyExists Status', () => {
    store.create({ kind: 'ConfigMap', metadata: { name: 'c', namespace: 'demo' } });
    assert.throws(
      () => store.create({ kind: 'ConfigMap', metadata: { name: 'c', namespace: 'demo' } }),
      (e: unknown) =>
        e instanceof StatusError &&
        e.code === 409 &&
        e.reason === 'AlreadyExists' &&
        e.message === 'configmaps "c" already exists',
    );
  });

  it('bumps generation only when spec changes', () => {
    const d = store.create({
      kind: 'Deployment',
      metadata: { name: 'd', namespace: 'demo' },
      spec: { replicas: 1, minReadySeconds: 5 },
    });
    assert.equal(d.metadata?.generation, 1);
    const labelled = store.update({
      ...structuredClone(d),
      metadata: { ...structuredClone(d.metadata), labels: { a: 'b' } },
    });
    assert.equal(labelled.metadata?.generation, 1);
    const reordered = store.update({
      ...structuredClone(labelled),
      spec: { minReadySeconds: 5, replicas: 1 },
    });
    assert.equal(reordered.metadata?.generation, 1, 'same spec, key order aside');
    const scaled = store.update({ ...structuredClone(reordered), spec: { replicas: 3, minReadySeconds: 5 } });
    assert.equal(scaled.metadata?.generation, 2);
    assert.equal(scaled.metadata?.uid, d.metadata?.uid);
  });

  it('refuses a stale resourceVersion with 409 Conflict', () => {
    const cm = store.create({ kind: 'ConfigMap', metadata: { name: 'c', namespace: 'demo' } });
    store.update({ ...structuredClone(cm), data: { a: '1' } });
    assert.throws(
      () => store.update({ ...structuredClone(cm), data: { a: '2' } }),
      (e: unknown) =>
        e instanceof StatusError && e.code === 409 && /the object has been modified/.test(e.message),
    );
  });

  it('updateStatus replaces only status', () => {
    const pod = store.create({
      kind: 'Pod',
      metadata: { name: 'p', namespace: 'demo' },
      spec: { containers: [] },
      status: { phase: 'Pending' },
    });
    const next = store.updateStatus({
      ...structuredClone(pod),
      spec: { containers: [{ name: 'x' }] },
      status: { phase: 'Running' },
    });
    assert.deepEqual(next['spec'], { containers: [] });
    assert.deepEqual(next['status'], { phase: 'Running' });
  });

  it('hands out frozen objects', () => {
    const pod = store.create({ kind: 'Pod', metadata: { name: 'p', namespace: 'demo' } });
    assert.throws(() => {
      (pod.metadata as { name: string }).name = 'q';
    }, TypeError);
  });

  it('lists in namespace/name order, optionally per namespace', () => {
    for (const [ns, name] of [
      ['b', 'z'],
      ['a', 'y'],
      ['b', 'a'],
      ['a', 'b'],
    ] as const)
      store.create({ kind: 'Pod', metadata: { name, namespace: ns } });
    assert.deepEqual(
      store.list('Pod').map((p) => `${p.metadata?.namespace}/${p.metadata?.name}`),
      ['a/b', 'a/y', 'b/a', 'b/z'],
    );
    assert.deepEqual(
      store.list('Pod', 'b').map((p) => p.metadata?.name),
      ['a', 'z'],
    );
  });

  it('garbage-collects dependents in the background and honours Orphan', () => {
    const rs = store.create({ kind: 'ReplicaSet', metadata: { name: 'rs', namespace: 'demo' }, spec: {} });
    const owner = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      name: 'rs',
      uid: rs.metadata?.uid ?? '',
      controller: true,
    };
    store.create({ kind: 'Pod', metadata: { name: 'p1', namespace: 'demo', ownerReferences: [owner] } });
    store.create({ kind: 'Pod', metadata: { name: 'p2', namespace: 'demo', ownerReferences: [owner] } });
    store.delete('ReplicaSet', 'demo', 'rs');
    assert.deepEqual(store.list('Pod', 'demo'), []);

    const rs2 = store.create({ kind: 'ReplicaSet', metadata: { name: 'rs2', namespace: 'demo' }, spec: {} });
    store.create({
      kind: 'Pod',
      metadata: {
        name: 'p3',
        namespace: 'demo',
        ownerReferences: [{ ...owner, name: 'rs2', uid: rs2.metadata?.uid ?? '' }],
      },
    });
    store.delete('ReplicaSet', 'demo', 'rs2', { propagationPolicy: 'Orphan' });
    assert.equal(store.get('Pod', 'demo', 'p3')?.metadata?.ownerReferences, undefined);
  });

  it('deletes a namespace with its contents and reports DELETED with a new resourceVersion', () => {
    store.create({ kind: 'Namespace', metadata: { name: 'gone' } });
    store.create({ kind: 'ConfigMap', metadata: { name: 'c', namespace: 'gone' } });
    const before = Number(store.resourceVersion());
    store.delete('Namespace', undefined, 'gone');
    const deleted = events.filter((e) => e.type === 'DELETED');
    assert.deepEqual(
      deleted.map((e) => e.object.kind),
      ['Namespace', 'ConfigMap'],
    );
    assert.ok(Number(deleted[0]?.object.metadata?.resourceVersion) > before);
    assert.equal(store.get('ConfigMap', 'gone', 'c'), undefined);
  });

  it('delivers events in resourceVersion order even when a listener writes', () => {
    const seen: string[] = [];
    store.subscribe((e: StoreEvent) => {
      seen.push(`${e.object.metadata?.name ?? ''}@${e.object.metadata?.resourceVersion ?? ''}`);
      if (e.object.metadata?.name === 'first')
        store.create({ kind: 'ConfigMap', metadata: { name: 'second', namespace: 'demo' } });
    });
    store.create({ kind: 'ConfigMap', metadata: { name: 'first', namespace: 'demo' } });
    const rvs = seen.map((s) => Number(s.split('@')[1]));
    assert.deepEqual(
      rvs,
      [...rvs].sort((a, b) => a - b),
    );
    assert.equal(seen.length, 2);
  });
});
