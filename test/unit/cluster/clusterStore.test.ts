import * as assert from 'node:assert/strict';
import type { KubeEvent, KubeObject } from '../../../src/kube/types';
import type { StoreChange } from '../../../src/cluster/clusterStore';
import { ClusterStore } from '../../../src/cluster/clusterStore';

const obj = (
  name: string,
  namespace: string | undefined,
  rv: string,
  extra: Partial<KubeObject['metadata']> = {},
  rest: Record<string, unknown> = {},
): KubeObject => ({
  metadata: { name, ...(namespace ? { namespace } : {}), resourceVersion: rv, uid: `uid-${name}`, ...extra },
  ...rest,
});

function nextBatch(store: ClusterStore): Promise<readonly StoreChange[]> {
  return new Promise((resolve) => {
    const sub = store.onDidChange((changes) => {
      sub.dispose();
      resolve(changes);
    });
  });
}

describe('cluster/clusterStore', () => {
  let store: ClusterStore;
  beforeEach(() => (store = new ClusterStore({ clock: () => 42 })));
  afterEach(() => store.dispose());

  it('indexes by kind, namespace and name', () => {
    store.apply('Pod', 'ADDED', obj('a', 'ns1', '1'));
    store.apply('Pod', 'ADDED', obj('b', 'ns2', '2'));
    store.apply('Node', 'ADDED', obj('n1', undefined, '3'));
    assert.equal(store.list('Pod').length, 2);
    assert.deepEqual(
      store.list('Pod', 'ns2').map((p) => p.metadata?.name),
      ['b'],
    );
    assert.equal(store.get('Pod', 'ns1', 'a')?.metadata?.name, 'a');
    assert.equal(store.get('Pod', 'ns2', 'a'), undefined);
    assert.equal(store.get('Node', undefined, 'n1')?.metadata?.name, 'n1');
    assert.equal(store.now(), 42);
  });

  it('follows owner chains: Pod → ReplicaSet → Deployment, Job → CronJob, and re-indexes on change', () => {
    const owner = (kind: string, uid: string) => ({
      ownerReferences: [{ apiVersion: 'v1', kind, name: uid, uid, controller: true }],
    });
    store.apply('Deployment', 'ADDED', obj('web', 'ns', '1'));
    store.apply('ReplicaSet', 'ADDED', obj('web-1', 'ns', '2', owner('Deployment', 'uid-web')));
    store.apply('Pod', 'ADDED', obj('web-1-x', 'ns', '3', owner('ReplicaSet', 'uid-web-1')));
    store.apply('CronJob', 'ADDED', obj('nightly', 'ns', '4'));
    store.apply('Job', 'ADDED', obj('nightly-1', 'ns', '5', owner('CronJob', 'uid-nightly')));
    assert.deepEqual(
      store.ownedBy('uid-web').map((o) => o.metadata?.name),
      ['web-1'],
    );
    assert.deepEqual(
      store.ownedBy('uid-web-1').map((o) => o.metadata?.name),
      ['web-1-x'],
    );
    assert.deepEqual(
      store.ownedBy('uid-nightly').map((o) => o.metadata?.name),
      ['nightly-1'],
    );
    // Orphaned (ownerReference removed): the index follows.
    store.apply('Pod', 'MODIFIED', obj('web-1-x', 'ns', '6'));
    assert.deepEqual(store.ownedBy('uid-web-1'), []);
    store.apply('ReplicaSet', 'DELETED', obj('web-1', 'ns', '7', owner('Deployment', 'uid-web')));
    assert.deepEqual(store.ownedBy('uid-web'), []);
  });

  it('finds events by involvedObject, oldest first, for namespaced and cluster-scoped objects', () => {
    const event = (
      name: string,
      kind: string,
      ns: string | undefined,
      target: string,
      time: Partial<KubeEvent>,
    ): KubeObject => ({
      metadata: { name, namespace: ns ?? 'default', resourceVersion: name },
      involvedObject: { kind, name: target, ...(ns ? { namespace: ns } : {}) },
      ...time,
    });
    store.apply('Event', 'ADDED', event('e2', 'Pod', 'ns', 'p', { lastTimestamp: '2026-01-01T00:00:02Z' }));
    store.apply(
      'Event',
      'ADDED',
      event('e1', 'Pod', 'ns', 'p', { eventTime: '2026-01-01T00:00:01.000000Z' }),
    );
    store.apply(
      'Event',
      'ADDED',
      event('e3', 'Node', undefined, 'n1', { lastTimestamp: '2026-01-01T00:00:03Z' }),
    );
    assert.deepEqual(
      store.eventsFor('Pod', 'ns', 'p').map((e) => e.metadata?.name),
      ['e1', 'e2'],
    );
    assert.deepEqual(
      store.eventsFor('Node', undefined, 'n1').map((e) => e.metadata?.name),
      ['e3'],
    );
    store.apply('Event', 'DELETED', event('e1', 'Pod', 'ns', 'p', {}));
    assert.deepEqual(
      store.eventsFor('Pod', 'ns', 'p').map((e) => e.metadata?.name),
      ['e2'],
    );
  });

  it('selects by label selector through the label index (matchLabels and matchExpressions)', () => {
    store.apply('Pod', 'ADDED', obj('a', 'ns', '1', { labels: { app: 'web', tier: 'front' } }));
    store.apply('Pod', 'ADDED', obj('b', 'ns', '2', { labels: { app: 'web', tier: 'back' } }));
    store.apply('Pod', 'ADDED', obj('c', 'ns', '3', { labels: { app: 'db' } }));
    store.apply('Pod', 'ADDED', obj('d', 'other', '4', { labels: { app: 'web' } }));
    const names = (xs: readonly KubeObject[]) => xs.map((x) => x.metadata?.name).sort();
    assert.deepEqual(names(store.select('Pod', 'ns', { app: 'web' })), ['a', 'b']);
    assert.deepEqual(
      names(
        store.select('Pod', 'ns', {
          matchLabels: { app: 'web' },
          matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['back'] }],
        }),
      ),
      ['a'],
    );
    assert.deepEqual(
      names(store.select('Pod', 'ns', { matchExpressions: [{ key: 'tier', operator: 'DoesNotExist' }] })),
      ['c'],
    );
    assert.deepEqual(names(store.select('Pod', 'ns', { app: 'nope' })), []);
    // Labels change: the index follows.
    store.apply('Pod', 'MODIFIED', obj('a', 'ns', '5', { labels: { app: 'db' } }));
    assert.deepEqual(names(store.select('Pod', 'ns', { app: 'web' })), ['b']);
  });

  it('ignores replays of the same resourceVersion and reports ADDED/MODIFIED by what it already held', async () => {
    const batch = nextBatch(store);
    store.apply('Pod', 'ADDED', obj('a', 'ns', '1'));
    store.apply('Pod', 'ADDED', obj('a', 'ns', '1'));
    store.apply('Pod', 'ADDED', obj('a', 'ns', '2'));
    store.apply('Pod', 'DELETED', obj('missing', 'ns', '3'));
    assert.deepEqual(
      (await batch).map((c) => `${c.type} ${c.object.metadata?.resourceVersion}`),
      ['ADDED 1', 'MODIFIED 2'],
    );
  });

  it('batches every change of one turn into one notification', async () => {
    let calls = 0;
    const sub = store.onDidChange(() => calls++);
    const batch = nextBatch(store);
    for (let i = 0; i < 100; i++) store.apply('Pod', 'ADDED', obj(`p${i}`, 'ns', String(i)));
    assert.equal((await batch).length, 100);
    assert.equal(calls, 1);
    sub.dispose();
  });

  it('replace() makes a scope equal to a list, synthesizing DELETED only within that scope', async () => {
    store.apply('Pod', 'ADDED', obj('a', 'ns1', '1'));
    store.apply('Pod', 'ADDED', obj('b', 'ns1', '2'));
    store.apply('Pod', 'ADDED', obj('c', 'ns2', '3'));
    await nextBatch(store);
    const batch = nextBatch(store);
    store.replace('Pod', 'ns1', [obj('b', 'ns1', '4'), obj('d', 'ns1', '5')]);
    assert.deepEqual(
      (await batch).map((c) => `${c.type} ${c.object.metadata?.name}`),
      ['MODIFIED b', 'ADDED d', 'DELETED a'],
    );
    assert.deepEqual(
      store
        .list('Pod')
        .map((p) => p.metadata?.name)
        .sort(),
      ['b', 'c', 'd'],
    );
    store.replace('Pod', undefined, []);
    assert.equal(store.count('Pod'), 0);
  });

  it('list() arrays are cached until the kind changes', () => {
    store.apply('Pod', 'ADDED', obj('a', 'ns', '1'));
    const first = store.list('Pod');
    assert.equal(store.list('Pod'), first);
    store.apply('Pod', 'ADDED', obj('b', 'ns', '2'));
    assert.notEqual(store.list('Pod'), first);
    assert.equal(store.list('Pod').length, 2);
  });

  it('delegates isUnavailable', () => {
    const s = new ClusterStore({ isUnavailable: (kind, ns) => kind === 'Secret' && ns === 'locked' });
    assert.equal(s.isUnavailable('Secret', 'locked'), true);
    assert.equal(s.isUnavailable('Secret', 'open'), false);
    s.dispose();
  });
});
