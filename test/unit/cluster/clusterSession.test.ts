// The session against a real HTTP server: paged initial sync, live watch updates, 410 relist,
// reconnect after a server restart, RBAC fallback, secrets never stored, logs, clean disposal.
import * as assert from 'node:assert/strict';
import type { KindName } from '../../../src/kube/clusterView';
import type { KubeObject } from '../../../src/kube/types';
import type { BackoffPolicy } from '../../../src/cluster/backoff';
import type { StoreChange } from '../../../src/cluster/clusterStore';
import { ClusterSession } from '../../../src/cluster/clusterSession';
import { loadKubeconfig } from '../../../src/cluster/kubeconfig';
import { FakeApiServer, FIXTURE_TOKEN } from './fakeApiServer';
import { recordingLogger, until } from './until';

const FAST: BackoffPolicy = { initialMs: 20, maxMs: 200, deniedMs: 60_000 };

const pod = (name: string, namespace = 'default', labels: Record<string, string> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace, labels, managedFields: [{ manager: 'kubelet' }] },
  status: { phase: 'Running', startTime: '2026-01-01T00:00:00Z' },
});

/** name → resourceVersion, for comparing the store with the server. */
function versions(objects: readonly KubeObject[]): Record<string, string> {
  const entries: [string, string][] = objects.map((o) => [
    `${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`,
    o.metadata?.resourceVersion ?? '',
  ]);
  return Object.fromEntries(entries.sort((a, b) => a[0].localeCompare(b[0])));
}

describe('cluster/clusterSession against an HTTP server', function () {
  let server: FakeApiServer;
  let session: ClusterSession | undefined;
  let log: ReturnType<typeof recordingLogger>;

  async function open(
    kinds: KindName[],
    extra: { pageSize?: number; backoff?: BackoffPolicy } = {},
  ): Promise<ClusterSession> {
    const loaded = await loadKubeconfig({ path: server.writeKubeconfig(FIXTURE_TOKEN, 'team-a') });
    session = await ClusterSession.open(loaded, 'fake', {
      kinds,
      logger: log,
      backoff: FAST,
      pageSize: 500,
      ...extra,
    });
    return session;
  }

  const storeEqualsServer = (kind: KindName, plural: string) => () =>
    JSON.stringify(versions(session!.list(kind))) === JSON.stringify(versions(server.list(plural)));

  beforeEach(async () => {
    server = new FakeApiServer();
    await server.start();
    log = recordingLogger();
  });
  afterEach(async () => {
    await session?.close();
    session = undefined;
    await server.stop();
  });

  it('pages the initial list with limit/continue and stores lean wire JSON', async () => {
    for (let i = 0; i < 25; i++) server.put('pods', pod(`p${String(i).padStart(2, '0')}`));
    const s = await open(['Pod'], { pageSize: 10 });
    const [state] = await s.whenSettled();
    assert.equal(state?.status, 'synced');
    assert.equal(s.list('Pod').length, 25);
    const lists = server.requests.filter((r) => !r.watch && r.path === '/api/v1/pods');
    assert.deepEqual(
      lists.map((r) => [r.query.get('limit'), r.query.get('continue')]),
      [
        ['10', null],
        ['10', '10'],
        ['10', '20'],
      ],
    );
    const stored = s.get('Pod', 'default', 'p03')!;
    assert.equal(stored.kind, 'Pod');
    assert.equal(stored.apiVersion, 'v1');
    assert.equal(stored.metadata?.managedFields, undefined);
    assert.equal(typeof stored.status?.startTime, 'string');
    assert.equal(s.isUnavailable('Pod'), false);
    // The watch resumes from the list's resourceVersion, with bookmarks.
    await until(s, () => server.watchCount('pods') > 0, 'a pods watch');
    const watch = server.requests.find((r) => r.watch && r.path === '/api/v1/pods')!;
    assert.equal(watch.query.get('allowWatchBookmarks'), 'true');
    assert.ok(Number(watch.query.get('resourceVersion')) > 0);
  });

  it('applies watch events and notifies in batches', async () => {
    server.put('pods', pod('a'));
    const s = await open(['Pod']);
    await s.whenSettled();
    await until(s, () => server.watchCount('pods') > 0, 'a pods watch');
    const seen: StoreChange[] = [];
    s.onDidChange((changes) => seen.push(...changes));
    server.put('pods', pod('b'));
    server.put('pods', { ...pod('a'), status: { phase: 'Failed' } });
    server.remove('pods', 'default', 'b');
    await until(s, () => seen.length >= 3, 'three changes');
    assert.deepEqual(
      seen.map((c) => `${c.kind} ${c.type} ${c.object.metadata?.name}`),
      ['Pod ADDED b', 'Pod MODIFIED a', 'Pod DELETED b'],
    );
    assert.equal(s.get('Pod', 'default', 'a')?.status?.phase, 'Failed');
    assert.ok(storeEqualsServer('Pod', 'pods')());
  });

  it('a dropped watch resumes from the last resourceVersion seen (events and bookmarks), without relisting', async () => {
    server.put('pods', pod('a'));
    const s = await open(['Pod']);
    await s.whenSettled();
    await until(s, () => server.watchCount('pods') > 0, 'a pods watch');
    server.put('pods', pod('b'));
    await until(s, () => s.get('Pod', 'default', 'b') !== undefined, 'pod b');
    const afterB = s.get('Pod', 'default', 'b')?.metadata?.resourceVersion;
    const lists = () => server.requests.filter((r) => !r.watch && r.path === '/api/v1/pods').length;
    const listsBefore = lists();
    const lastWatch = () => server.requests.filter((r) => r.watch && r.path === '/api/v1/pods').at(-1)!;

    server.dropWatches();
    await until(s, () => server.watchCount('pods') === 2, 'the second watch');
    assert.equal(lastWatch().query.get('resourceVersion'), afterB);

    // Another kind moves the global resourceVersion; a bookmark tells the pods watch.
    server.put('events', {
      metadata: { name: 'e', namespace: 'default' },
      involvedObject: { kind: 'Pod', name: 'a' },
    });
    const bookmarked = server.resourceVersion;
    server.bookmarkAndEnd();
    await until(s, () => server.watchCount('pods') === 3, 'the third watch');
    assert.equal(lastWatch().query.get('resourceVersion'), bookmarked);
    assert.equal(lists(), listsBefore, 'no relist');
  });

  it('410 Gone → relists; the store ends equal to the server, with DELETED synthesized for what vanished', async () => {
    for (const name of ['a', 'b', 'c']) server.put('pods', pod(name));
    const s = await open(['Pod']);
    await s.whenSettled();
    await until(s, () => server.watchCount('pods') > 0, 'a pods watch');
    const seen: StoreChange[] = [];
    s.onDidChange((changes) => seen.push(...changes));
    // Changes the client never sees, then the history is compacted: the next watch gets 410.
    server.silently(() => {
      server.remove('pods', 'default', 'b');
      server.put('pods', pod('d'));
      server.put('pods', { ...pod('a'), status: { phase: 'Succeeded' } });
    });
    const listsBefore = server.requests.filter((r) => !r.watch && r.path === '/api/v1/pods').length;
    server.dropWatches();
    await until(s, storeEqualsServer('Pod', 'pods'), 'store equal to server after relist');
    assert.ok(
      server.requests.filter((r) => !r.watch && r.path === '/api/v1/pods').length > listsBefore,
      'relisted',
    );
    assert.ok(
      server.requests.some((r) => r.watch && r.status === 410),
      'the watch was answered 410',
    );
    assert.deepEqual(seen.map((c) => `${c.type} ${c.object.metadata?.name}`).sort(), [
      'ADDED d',
      'DELETED b',
      'MODIFIED a',
    ]);
  });

  it('forced 410 on the next watch → relist, then watching resumes', async () => {
    server.put('pods', pod('a'));
    const s = await open(['Pod']);
    await s.whenSettled();
    await until(s, () => server.watchCount('pods') > 0, 'a pods watch');
    server.forceGoneOnNextWatch();
    server.dropWatches();
    await until(s, () => server.requests.some((r) => r.watch && r.status === 410), 'a 410 watch');
    server.put('pods', pod('after'));
    await until(s, () => s.get('Pod', 'default', 'after') !== undefined, 'the pod created after the relist');
    assert.ok(storeEqualsServer('Pod', 'pods')());
    assert.ok(log.lines.some((l) => l.includes('resourceVersion expired, relisting')));
  });

  it('server restart mid-watch → error state, reconnect with back-off, store equals server', async () => {
    server.put('pods', pod('a'));
    const s = await open(['Pod']);
    await s.whenSettled();
    await until(s, () => server.watchCount('pods') > 0, 'a pods watch');
    const states: string[] = [];
    s.onDidChangeState((st) => states.push(`${st.status}${st.error ? `:${st.error.reason}` : ''}`));
    let downWhile: (() => void) | undefined;
    const cameBack = new Promise<void>((resolve) => (downWhile = resolve));
    await server.restart(() => {
      // While the server is down: changes happen (the restarted server still has them).
      server.put('pods', pod('b'));
      server.remove('pods', 'default', 'a');
      downWhile!();
    });
    await cameBack;
    await until(s, storeEqualsServer('Pod', 'pods'), 'store equal to server after the restart');
    await until(s, () => s.state('Pod')?.status === 'synced', 'synced again');
    assert.ok(states.includes('error:unreachable'), `states: ${states.join(', ')}`);
    // Capped exponential back-off: a handful of attempts while down, not a storm.
    assert.ok(server.watchCount('pods') < 20, `watch attempts: ${server.watchCount('pods')}`);
  });

  it('unreachable from the start → error state with reason unreachable; recovers when the server appears', async () => {
    server.put('pods', pod('a'));
    const loaded = await loadKubeconfig({ path: server.writeKubeconfig() });
    await server.stop();
    session = await ClusterSession.open(loaded, 'fake', { kinds: ['Pod'], logger: log, backoff: FAST });
    const s = session;
    const [state] = await s.whenSettled();
    assert.equal(state?.status, 'error');
    assert.equal(state?.error?.reason, 'unreachable');
    assert.equal(s.isUnavailable('Pod'), true, 'never listed: absence cannot be trusted');
    await server.start();
    await until(s, () => s.get('Pod', 'default', 'a') !== undefined, 'the pod after the server came up');
    assert.equal(s.isUnavailable('Pod'), false);
  });

  it('a kind forbidden cluster-wide is read per namespace (namespaces the user may list)', async () => {
    server.put('secrets', { metadata: { name: 's1', namespace: 'team-a' }, data: { k: 'dmFsdWU=' } });
    server.put('secrets', { metadata: { name: 's2', namespace: 'team-b' }, data: { k: 'dmFsdWU=' } });
    server.put('secrets', { metadata: { name: 's3', namespace: 'locked' }, data: { k: 'dmFsdWU=' } });
    server.deny('secrets', ['locked']);
    server.deny('secrets', '*');
    // Cluster-wide denied; per namespace only 'locked' is denied.
    server.deny('secrets', ['__cluster__', 'locked']);
    const s = await open(['Secret']);
    await until(
      s,
      () => s.state('Secret')?.status === 'synced' && s.state('Secret')?.namespaces?.length === 2,
      'per-namespace fallback',
    );
    const state = s.state('Secret')!;
    assert.deepEqual([...state.namespaces!].sort(), ['team-a', 'team-b']);
    assert.match(
      state.note ?? '',
      /not allowed cluster-wide; reading only namespace\(s\) team-a, team-b; not allowed in locked either/,
    );
    assert.equal(state.error?.reason, 'forbidden');
    assert.deepEqual(
      s
        .list('Secret')
        .map((x) => x.metadata?.name)
        .sort(),
      ['s1', 's2'],
    );
    assert.equal(s.isUnavailable('Secret', 'team-a'), false);
    assert.equal(s.isUnavailable('Secret', 'locked'), true);
    assert.equal(s.isUnavailable('Secret', 'never-seen'), true);
    // Live updates arrive through the namespace watch.
    server.put('secrets', { metadata: { name: 's4', namespace: 'team-b' }, data: { x: 'eA==' } });
    await until(s, () => s.get('Secret', 'team-b', 's4') !== undefined, 'a secret via the namespace watch');
  });

  it('access revoked mid-session: the next relist falls back per namespace and drops what it can no longer see', async () => {
    for (const ns of ['team-a', 'locked'])
      server.put('secrets', { metadata: { name: `s-${ns}`, namespace: ns }, data: { k: 'dmFsdWU=' } });
    const s = await open(['Secret']);
    await s.whenSettled();
    assert.equal(s.list('Secret').length, 2);
    await until(s, () => server.watchCount('secrets') > 0, 'a secrets watch');
    const seen: StoreChange[] = [];
    s.onDidChange((c) => seen.push(...c));
    server.deny('secrets', ['__cluster__', 'locked']);
    server.forceGoneOnNextWatch();
    server.dropWatches();
    await until(
      s,
      () => s.state('Secret')?.namespaces?.join() === 'team-a' && s.state('Secret')?.status === 'synced',
      'fallback to team-a',
    );
    assert.deepEqual(
      s.list('Secret').map((x) => x.metadata?.name),
      ['s-team-a'],
    );
    assert.ok(seen.some((c) => c.type === 'DELETED' && c.object.metadata?.name === 's-locked'));
    assert.equal(s.isUnavailable('Secret', 'locked'), true);
  });

  it('forbidden everywhere (namespaces not listable either) → the context namespace is tried, then a visible note; no retry storm', async () => {
    server.put('pods', pod('a'));
    server.put('secrets', { metadata: { name: 's1', namespace: 'team-a' }, data: { k: 'dmFsdWU=' } });
    server.deny('secrets', '*');
    server.namespacesDenied = true;
    const s = await open(['Pod', 'Secret', 'Node']);
    server.deny('nodes', '*');
    await until(
      s,
      () => s.state('Secret')?.status === 'forbidden' && s.state('Node')?.status === 'forbidden',
      'Secret and Node forbidden',
    );
    const secretState = s.state('Secret')!;
    assert.deepEqual(secretState.namespaces, []);
    assert.match(secretState.note ?? '', /not allowed in team-a either/);
    assert.match(s.state('Node')!.note ?? '', /not allowed by RBAC/);
    assert.equal(s.isUnavailable('Secret', 'team-a'), true);
    assert.equal(s.isUnavailable('Node'), true);
    assert.equal(s.state('Pod')!.status, 'synced');
    const secretRequests = () => server.requests.filter((r) => r.path.includes('/secrets')).length;
    const nodeRequests = () => server.requests.filter((r) => r.path.includes('/nodes')).length;
    const before = [secretRequests(), nodeRequests()];
    // Let the session live through several reconnect cycles of another kind, then count.
    for (let i = 0; i < 3; i++) {
      const watches = server.watchCount('pods');
      server.dropWatches();
      await until(s, () => server.watchCount('pods') > watches, `pods watch reopened (${i})`);
    }
    assert.deepEqual([secretRequests(), nodeRequests()], before, 'forbidden kinds are not retried fast');
    assert.ok(log.lines.some((l) => l.includes('retrying in a few minutes')));
  });

  it('never stores, logs or surfaces Secret values (list and watch) or the bearer token', async () => {
    const values = ['c3VwZXItc2VjcmV0LXBhc3N3b3Jk', 'YmluYXJ5LXZhbHVl', 'string-data-value'];
    server.put('secrets', {
      metadata: {
        name: 'db',
        namespace: 'team-a',
        annotations: {
          'kubectl.kubernetes.io/last-applied-configuration': `{"data":{"password":"${values[0]}"}}`,
        },
      },
      type: 'Opaque',
      data: { password: values[0]! },
      binaryData: { blob: values[1]! },
    });
    const s = await open(['Secret']);
    await s.whenSettled();
    await until(s, () => server.watchCount('secrets') > 0, 'a secrets watch');
    const changes: StoreChange[] = [];
    s.onDidChange((c) => changes.push(...c));
    server.put('secrets', {
      metadata: { name: 'api', namespace: 'team-a' },
      stringData: { token: values[2]! },
      data: { other: values[0]! },
    });
    await until(s, () => s.get('Secret', 'team-a', 'api') !== undefined, 'the watched secret');
    // Also through a relist.
    server.forceGoneOnNextWatch();
    server.dropWatches();
    await until(s, () => server.requests.some((r) => r.watch && r.status === 410), 'a relist');
    await until(s, () => server.watchCount('secrets') > 2, 'watching again');
    assert.deepEqual(s.get('Secret', 'team-a', 'db')?.keys, ['blob', 'password']);
    assert.deepEqual(s.get('Secret', 'team-a', 'api')?.keys, ['other', 'token']);
    const everything = JSON.stringify({
      store: s.list('Secret'),
      changes,
      states: s.states(),
      log: log.lines,
    });
    for (const v of [...values, FIXTURE_TOKEN]) assert.ok(!everything.includes(v), `leaked ${v}`);
    for (const secret of s.list('Secret')) {
      assert.equal(secret['data'], undefined);
      assert.equal(secret['binaryData'], undefined);
      assert.equal(secret['stringData'], undefined);
    }
  });

  it('readLogs returns a container log snapshot, unmodified', async () => {
    server.logs.set('default/web-1/app', 'line 1\npanic: boom\n');
    const s = await open(['Pod']);
    assert.equal(
      await s.readLogs('default', 'web-1', 'app', { previous: true, tailLines: 20 }),
      'line 1\npanic: boom\n',
    );
    const request = server.requests.find((r) => r.path.endsWith('/log'))!;
    assert.equal(request.query.get('previous'), 'true');
    assert.equal(request.query.get('tailLines'), '20');
    await assert.rejects(
      s.readLogs('default', 'nope', 'app'),
      (e: { reason?: string }) => e.reason === 'notFound',
    );
  });

  it("now() is the server's clock: its Date header (list, logs), never earlier than the newest Event", async () => {
    const HOUR = 3_600_000;
    const near = (actual: number, expected: number, what: string): void =>
      assert.ok(Math.abs(actual - expected) < 2500, `${what}: off by ${actual - expected} ms`);
    server.clockOffsetMs = -3 * HOUR;
    server.logs.set('team-a/web-1/app', 'ok\n');
    const s = await open(['Pod', 'Event']);
    await s.whenSettled();
    near(s.now(), Date.now() - 3 * HOUR, 'after the lists');
    await until(s, () => server.watchCount('events') > 0, 'an events watch');

    // An Event stamped 20 minutes later than the server's Date said (a clock that runs fast).
    const stamped = Date.now() - 3 * HOUR + 20 * 60_000;
    server.put('events', {
      metadata: { name: 'web-1.1', namespace: 'team-a' },
      involvedObject: { kind: 'Pod', namespace: 'team-a', name: 'web-1' },
      reason: 'BackOff',
      lastTimestamp: new Date(stamped).toISOString(),
    });
    await until(s, () => s.now() >= stamped, 'now() at least the Event time');
    near(s.now(), stamped, 'after the Event');

    // A log read brings a new Date header: the newest wins.
    server.clockOffsetMs = 2 * HOUR;
    await s.readLogs('team-a', 'web-1', 'app');
    near(s.now(), Date.now() + 2 * HOUR, 'after the log read');
  });

  it('a watch the server accepts but never answers times out; close() drops it', async () => {
    server.put('pods', pod('a'));
    server.hangWatches = true;
    const loaded = await loadKubeconfig({ path: server.writeKubeconfig() });
    session = await ClusterSession.open(loaded, 'fake', {
      kinds: ['Pod'],
      logger: log,
      requestTimeoutMs: 200,
      backoff: { initialMs: 60_000, maxMs: 60_000, deniedMs: 60_000 },
    });
    const s = session;
    await until(s, () => s.state('Pod')?.error?.reason === 'timeout', 'the watch timed out');
    assert.equal(s.get('Pod', 'default', 'a')?.metadata?.name, 'a', 'the list was read');
    await s.close();
    session = undefined;

    // Cancelled before the server ever answered: the connection still goes.
    const slow = await open(['Pod']);
    await until(slow, () => server.watchCount('pods') > 0, 'a watch request');
    await until(undefined, () => server.openConnections > 0, 'an open connection');
    await slow.close();
    session = undefined;
    await until(undefined, () => server.openConnections === 0, 'no connection left', 3000);
  });

  it('close() stops every watch and timer: no sockets or timers remain', async () => {
    server.put('pods', pod('a'));
    const s = await open(['Pod', 'Event', 'Node', 'Deployment']);
    await s.whenSettled();
    await until(s, () => server.watchCount('pods') > 0 && server.watchCount('nodes') > 0, 'watches open');
    await s.close();
    session = undefined;
    await server.stop();
    // Handles close on the next loop turns; wait for that, bounded.
    const leftovers = () =>
      process.getActiveResourcesInfo().filter((r) => r === 'TCPSocketWrap' || r === 'TCPServerWrap');
    await until(
      undefined,
      () => leftovers().length === 0,
      `no sockets left (still: ${leftovers().join(', ')})`,
      3000,
    );
  });
});
