// A watch the server accepted and then left silent, its connection open (a hung proxy, a
// half-dead TCP path): resumed from the last resourceVersion after the idle window, on a server
// that sends bookmarks; never churned on a quiet kind, with bookmarks or without them.
import * as assert from 'node:assert/strict';
import type { KindName } from '../../../src/kube/clusterView';
import type { KubeObject } from '../../../src/kube/types';
import { ClusterSession } from '../../../src/cluster/clusterSession';
import { loadKubeconfig } from '../../../src/cluster/kubeconfig';
import { FakeApiServer, FIXTURE_TOKEN } from './fakeApiServer';
import { recordingLogger, until } from './until';

/** Short enough for a unit test, long enough that a loaded machine does not fake a stall. */
const IDLE_MS = 250;

const pod = (name: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default' },
  status: { phase: 'Running' },
});

describe('cluster/reflector: watches that go silent', function () {
  let server: FakeApiServer;
  let session: ClusterSession | undefined;
  let log: ReturnType<typeof recordingLogger>;

  async function open(kinds: KindName[]): Promise<ClusterSession> {
    const loaded = await loadKubeconfig({ path: server.writeKubeconfig(FIXTURE_TOKEN) });
    session = await ClusterSession.open(loaded, 'fake', {
      kinds,
      logger: log,
      backoff: { initialMs: 20, maxMs: 200, deniedMs: 60_000 },
      watchIdleMs: IDLE_MS,
    });
    await session.whenSettled();
    return session;
  }
  const watches = (plural: string) => server.requests.filter((r) => r.watch && r.path.endsWith(`/${plural}`));
  const lists = (plural: string) => server.requests.filter((r) => !r.watch && r.path.endsWith(`/${plural}`));

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

  it('a stalled watch is resumed from the last resourceVersion within the idle window, without a relist', async () => {
    server.put('pods', pod('a'));
    const s = await open(['Pod']);
    await until(s, () => server.liveWatches === 1, 'the pods watch');
    server.put('pods', pod('b'));
    await until(s, () => s.get('Pod', 'default', 'b') !== undefined, 'pod b');
    const lastSeen = server.resourceVersion;

    server.stallWatches();
    const stalledAt = Date.now();
    // Made while the watch is stalled: only the resumed watch can bring it.
    server.put('pods', pod('c'));
    await until(s, () => s.get('Pod', 'default', 'c') !== undefined, 'pod c through a new watch', 3000);
    const recoveredMs = Date.now() - stalledAt;

    assert.equal(watches('pods').length, 2);
    assert.equal(watches('pods')[1]?.query.get('resourceVersion'), lastSeen);
    assert.equal(lists('pods').length, 1, 'no relist');
    // The window (counted from the last event) plus one back-off step of at most 20 ms and the
    // reconnect: not the deadline, 6-11 minutes away.
    assert.ok(recoveredMs < IDLE_MS + 1000, `recovered after ${recoveredMs} ms`);
    await until(s, () => server.openWatches === 1, 'the stalled connection closed');
    assert.ok(log.lines.some((l) => l.includes('delivered no event or bookmark for 0.25 s')));
  });

  it('a quiet kind on a server that sends bookmarks keeps its one watch', async () => {
    server.bookmarkEvery(IDLE_MS / 10);
    const s = await open(['Pod']);
    await until(s, () => server.liveWatches === 1, 'the pods watch');
    const before = server.bookmarksSent;
    // Four idle windows with no event, only bookmarks.
    await until(s, () => server.bookmarksSent >= before + 40, 'forty bookmarks', 5000);
    assert.equal(watches('pods').length, 1);
  });

  it('an event loop blocked past the window is not taken for a silent watch', async () => {
    server.bookmarkEvery(IDLE_MS / 10);
    const s = await open(['Pod']);
    await until(s, () => server.liveWatches === 1 && server.bookmarksSent > 2, 'the pods watch');
    // A busy extension host: the bookmarks wait in the socket while the idle timer comes due.
    const blockedUntil = Date.now() + 2 * IDLE_MS;
    while (Date.now() < blockedUntil);
    const before = server.bookmarksSent;
    await until(s, () => server.bookmarksSent >= before + 20, 'twenty more bookmarks', 5000);
    assert.equal(watches('pods').length, 1);
  });

  it('a kind that never gets a bookmark is never idled out', async () => {
    server.withoutBookmarks.add('pods');
    const s = await open(['Pod', 'Node']);
    // Nodes get a bookmark when each watch opens and nothing after: each idles out in turn,
    // which is the clock this test waits on.
    await until(s, () => watches('nodes').length >= 4, 'three idle windows of the nodes watch', 5000);
    assert.equal(watches('pods').length, 1);
    assert.equal(s.states().find((x) => x.kind === 'Pod')?.status, 'synced');
  });

  it('after a watch idles out with nothing delivered, the check waits for the next bookmark', async () => {
    // Bookmarks at first, then none (another apiserver, whose watch cache has seen no pod event).
    const s = await open(['Pod', 'Node']);
    await until(s, () => watches('pods').length === 1 && server.liveWatches === 2, 'both watches');
    server.withoutBookmarks.add('pods');
    // The first watch idles out (it had its bookmark), the second (nothing delivered) too; the third stays.
    await until(s, () => watches('pods').length === 3, 'the third pods watch', 3000);
    const nodesThen = watches('nodes').length;
    await until(s, () => watches('nodes').length >= nodesThen + 3, 'three more idle windows', 5000);
    assert.equal(watches('pods').length, 3);
    // It still delivers, and a bookmark turns the check back on.
    server.put('pods', pod('late'));
    await until(s, () => s.get('Pod', 'default', 'late') !== undefined, 'pod late');
    server.withoutBookmarks.delete('pods');
    server.bookmarkAndEnd();
    await until(s, () => watches('pods').length === 4, 'the fourth pods watch');
    await until(s, () => watches('pods').length === 5, 'the fourth watch idles out after its bookmark', 3000);
  });
});
