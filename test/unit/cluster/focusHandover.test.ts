// Namespaces first (ClusterSession.focus): a focused namespace is listed on its own before the
// cluster-wide lists, and handed over to them without losing or doubling an object. The fake
// server holds the cluster-wide list between its pages, so each side of the handover (focused
// reflector ahead of the list, or behind it) is reached on purpose, not by timing luck.
import * as assert from 'node:assert/strict';
import type { BackoffPolicy } from '../../../src/cluster/backoff';
import type { StoreChange } from '../../../src/cluster/clusterStore';
import { ClusterSession } from '../../../src/cluster/clusterSession';
import { loadKubeconfig } from '../../../src/cluster/kubeconfig';
import { compareResourceVersions } from '../../../src/cluster/resourceVersion';
import type { KubeObject } from '../../../src/kube/types';
import { FakeApiServer, FIXTURE_TOKEN } from './fakeApiServer';
import { recordingLogger, until } from './until';

const FAST: BackoffPolicy = { initialMs: 20, maxMs: 200, deniedMs: 60_000 };

const pod = (namespace: string, name: string, labels: Record<string, string> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace, labels },
  status: { phase: 'Running' },
});

const keyOf = (o: KubeObject): string => `${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;
const versions = (objects: readonly KubeObject[]): string =>
  objects
    .map((o) => `${keyOf(o)}@${o.metadata?.resourceVersion ?? ''}`)
    .sort()
    .join(' ');

/**
 * Every change the store reported, per object: each must be newer than the one before it (a
 * replayed older version would be a regression, an equal one a double), and nothing may come
 * back after its DELETED.
 */
function assertMonotonic(changes: readonly StoreChange[], namespace: string): void {
  const last = new Map<string, { rv: string; type: string }>();
  for (const { type, object } of changes) {
    if (object.metadata?.namespace !== namespace) continue;
    const key = keyOf(object);
    const rv = object.metadata?.resourceVersion ?? '';
    const previous = last.get(key);
    if (previous && type !== 'DELETED') {
      assert.notEqual(previous.type, 'DELETED', `${key} came back after it was deleted`);
      assert.ok(
        (compareResourceVersions(rv, previous.rv) ?? 0) > 0,
        `${key}: ${type}@${rv} after ${previous.type}@${previous.rv}`,
      );
    }
    last.set(key, { rv, type });
  }
}

describe('cluster/clusterSession.focus: namespaces first, then the cluster, handed over', function () {
  let server: FakeApiServer;
  let session: ClusterSession | undefined;
  let log: ReturnType<typeof recordingLogger>;
  let changes: StoreChange[];

  async function open(focus: string[]): Promise<ClusterSession> {
    const loaded = await loadKubeconfig({ path: server.writeKubeconfig(FIXTURE_TOKEN, 'default') });
    session = await ClusterSession.open(loaded, 'fake', {
      kinds: ['Pod', 'ConfigMap', 'Node'],
      logger: log,
      backoff: FAST,
      pageSize: 5,
      focus,
    });
    session.onDidChange((batch) => changes.push(...batch));
    return session;
  }

  /** Holds the cluster-wide pod list before its second page until `release()`. */
  function holdClusterPodList(): { held: Promise<void>; release: () => void } {
    let release!: () => void;
    let reached!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const held = new Promise<void>((resolve) => (reached = resolve));
    server.listGate = (path, query) => {
      if (path !== '/api/v1/pods' || query.get('continue') !== '5') return undefined;
      reached();
      return gate;
    };
    return { held, release };
  }

  beforeEach(async () => {
    server = new FakeApiServer();
    await server.start();
    log = recordingLogger();
    changes = [];
    for (let n = 0; n < 6; n++)
      for (let i = 0; i < 5; i++) server.put('pods', pod(`ns-${n}`, `web-${i}`, { app: 'web' }));
    server.put('configmaps', { metadata: { name: 'settings', namespace: 'ns-4' }, data: { a: '1' } });
    server.put('nodes', { metadata: { name: 'node-1' } });
  });
  afterEach(async () => {
    server.listGate = undefined;
    await session?.close();
    session = undefined;
    await server.stop();
  });

  it('lists the focused namespace first and announces it before the cluster-wide lists begin', async () => {
    const { held, release } = holdClusterPodList();
    const announced: string[] = [];
    const s = await open(['ns-4']);
    s.onDidSyncNamespace((ns) => announced.push(ns));
    await until(s, () => announced.includes('ns-4'), 'ns-4 announced');
    // The namespace is readable while the cluster-wide pod list has not finished.
    assert.equal(s.state('Pod')?.status, 'syncing');
    assert.equal(s.isUnavailable('Pod', 'ns-4'), false);
    assert.equal(s.isUnavailable('Pod', 'ns-1'), true);
    assert.equal(s.isUnavailable('ConfigMap', 'ns-4'), false);
    assert.equal(s.list('Pod', 'ns-4').length, 5);
    assert.deepEqual(s.get('ConfigMap', 'ns-4', 'settings')?.keys, ['a']);
    const lists = server.requests.filter((r) => !r.watch && r.path.endsWith('/pods')).map((r) => r.path);
    assert.equal(lists[0], '/api/v1/namespaces/ns-4/pods', lists.join('\n'));
    await held;
    release();
    await s.whenSettled(5000);
    assert.equal(versions(s.list('Pod')), versions(server.list('pods')));
  });

  it('focused reflector ahead of the cluster list: the namespace is kept, replays are skipped, nothing lost or doubled', async () => {
    const { held, release } = holdClusterPodList();
    const s = await open(['ns-4']);
    await held;
    // The cluster-wide list read its first page at this version; these changes come after it.
    server.put('pods', pod('ns-4', 'web-1', { app: 'web', v: '2' }));
    server.put('pods', pod('ns-4', 'web-1', { app: 'web', v: '3' }));
    server.remove('pods', 'ns-4', 'web-2');
    server.put('pods', pod('ns-4', 'web-9', { app: 'web' }));
    server.put('pods', pod('ns-5', 'late-1'));
    // Delivered by the focused watch before the cluster-wide list is read on.
    await until(
      s,
      () => s.get('Pod', 'ns-4', 'web-9') !== undefined && s.get('Pod', 'ns-4', 'web-2') === undefined,
      'the focused watch',
    );
    release();
    await s.whenSettled(5000);
    await until(s, () => versions(s.list('Pod')) === versions(server.list('pods')), 'store equal to server');
    assert.ok(
      log.lines.some((l) => l.includes('pods: cluster-wide list takes over ns-4 (kept newer: ns-4)')),
      log.lines.join('\n'),
    );
    // Live afterwards through the cluster-wide watch alone.
    server.put('pods', pod('ns-4', 'web-10'));
    await until(s, () => s.get('Pod', 'ns-4', 'web-10') !== undefined, 'a pod after the handover');
    assert.equal(versions(s.list('Pod')), versions(server.list('pods')));
    assertMonotonic(changes, 'ns-4');
    const added = changes.filter((c) => c.type === 'ADDED' && keyOf(c.object) === 'ns-4/web-9');
    assert.equal(added.length, 1, 'web-9 added twice');
    assert.equal(s.get('Pod', 'ns-4', 'web-1')?.metadata?.labels?.['v'], '3');
    // Exactly one focused watch per kind was opened, and none is left running.
    assert.equal(
      server.requests.filter((r) => r.watch && r.path === '/api/v1/namespaces/ns-4/pods').length,
      1,
    );
  });

  it('cluster list newer than the focused reflector: the list replaces the namespace, with no change reported twice', async () => {
    const s = await open(['ns-4']);
    const announced = new Promise<void>((resolve) => s.onDidSyncNamespace(() => resolve()));
    await announced;
    await s.whenSettled(5000);
    await until(s, () => versions(s.list('Pod')) === versions(server.list('pods')), 'store equal to server');
    assert.ok(
      log.lines.some(
        (l) => l.includes('pods: cluster-wide list takes over ns-4') && !l.includes('kept newer'),
      ),
      log.lines.join('\n'),
    );
    // Each ns-4 pod was reported once, by the focused list; the cluster list changed nothing there.
    const ns4 = changes.filter((c) => c.kind === 'Pod' && c.object.metadata?.namespace === 'ns-4');
    assert.deepEqual(
      ns4.map((c) => `${c.type} ${keyOf(c.object)}`).sort(),
      [0, 1, 2, 3, 4].map((i) => `ADDED ns-4/web-${i}`),
    );
    server.remove('pods', 'ns-4', 'web-0');
    await until(s, () => s.get('Pod', 'ns-4', 'web-0') === undefined, 'a delete after the handover');
    assertMonotonic(changes, 'ns-4');
  });

  it('a session without focus lists cluster-wide at once, as before', async () => {
    const loaded = await loadKubeconfig({ path: server.writeKubeconfig(FIXTURE_TOKEN, 'default') });
    session = await ClusterSession.open(loaded, 'fake', { kinds: ['Pod'], logger: log, backoff: FAST });
    await session.whenSettled(5000);
    assert.ok(!server.requests.some((r) => r.path.startsWith('/api/v1/namespaces/')));
  });
});

describe('cluster/resourceVersion', () => {
  it('orders decimal versions by length then digits, and refuses opaque ones', () => {
    assert.ok(compareResourceVersions('99', '100')! < 0);
    assert.ok(compareResourceVersions('1001', '1000')! > 0);
    assert.equal(compareResourceVersions('42', '42'), 0);
    assert.equal(compareResourceVersions('', '1'), undefined);
    assert.equal(compareResourceVersions('007', '8'), undefined);
    assert.equal(compareResourceVersions('a1b2', '3'), undefined);
  });
});
