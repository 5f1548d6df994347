// The live model's per-context core against a store fed by hand: findings appear after the first
// sync, follow status changes incrementally (and always equal a full analysis), quote crash logs
// read once per crash, and restarts are remembered newest first.
import * as assert from 'node:assert/strict';
import { analyzeCluster } from '../../../src/analysis/analyze';
import type { KindSyncState } from '../../../src/cluster/clusterSession';
import type { StoreChange } from '../../../src/cluster/clusterStore';
import { ClusterStore } from '../../../src/cluster/clusterStore';
import { Emitter } from '../../../src/cluster/emitter';
import { silentLogger } from '../../../src/cluster/logger';
import type { KindName } from '../../../src/kube/clusterView';
import { KIND_NAMES } from '../../../src/kube/clusterView';
import { toKeyedObject } from '../../../src/kube/keyedObject';
import type { KubeObject, Pod } from '../../../src/kube/types';
import type { LiveContextChange, LiveSource } from '../../../src/live/liveContext';
import { LiveContext } from '../../../src/live/liveContext';
import { CATALOG_NOW, loadExample, objectsOf } from '../analysis/findings/catalogView';

/** A LiveSource over a ClusterStore whose sync states and logs the test controls. */
class FakeSource extends ClusterStore implements LiveSource {
  readonly context = { name: 'test', cluster: 'c', user: 'u' };
  readonly stateEmitter = new Emitter<KindSyncState>();
  readonly onDidChangeState = this.stateEmitter.event;
  private synced = false;
  logReads: string[] = [];
  logText = 'line one\nline two\n';

  constructor() {
    super({
      clock: () => CATALOG_NOW,
      isUnavailable: () => !this.synced,
      logger: { ...silentLogger, error: (message, error) => assert.fail(`${message}: ${String(error)}`) },
    });
  }

  states(): KindSyncState[] {
    return KIND_NAMES.map((kind) => ({ kind, status: this.synced ? 'synced' : 'syncing' }));
  }

  finishSync(): void {
    this.synced = true;
    this.stateEmitter.fire({ kind: 'Pod', status: 'synced' });
  }

  readLogs(
    namespace: string,
    pod: string,
    container: string,
    options: { previous?: boolean },
  ): Promise<string> {
    this.logReads.push(`${namespace}/${pod}/${container}/${options.previous ? 'previous' : 'current'}`);
    return Promise.resolve(this.logText);
  }

  load(objects: readonly KubeObject[]): void {
    for (const object of objects) {
      const kind = object.kind as KindName;
      if (!KIND_NAMES.includes(kind)) continue;
      this.apply(kind, 'ADDED', kind === 'ConfigMap' || kind === 'Secret' ? toKeyedObject(object) : object);
    }
  }
}

function nextChange(
  live: LiveContext,
  accept: (c: LiveContextChange) => boolean = () => true,
): Promise<LiveContextChange> {
  return new Promise((resolve) => {
    const sub = live.onDidChange((change) => {
      if (!accept(change)) return;
      sub.dispose();
      resolve(change);
    });
  });
}

function storeBatch(store: ClusterStore): Promise<readonly StoreChange[]> {
  return new Promise((resolve) => {
    const sub = store.onDidChange((changes) => {
      sub.dispose();
      resolve(changes);
    });
  });
}

/** A copy with a newer resourceVersion, as the watch would deliver it. */
function bumped(object: KubeObject | undefined): Pod {
  const copy = structuredClone(object) as Pod;
  copy.metadata = { ...copy.metadata, resourceVersion: `${Number(copy.metadata?.resourceVersion ?? 0) + 1}` };
  return copy;
}

const codes = (live: LiveContext): string[] =>
  live
    .findings()
    .map((f) => f.code)
    .sort();

describe('live/liveContext', () => {
  let source: FakeSource;
  let live: LiveContext;
  beforeEach(() => {
    source = new FakeSource();
  });
  afterEach(() => {
    live.dispose();
    source.dispose();
  });

  it('has no findings until the first sync settles, then all of them at once', async () => {
    source.load(objectsOf(loadExample('11')));
    live = new LiveContext(source);
    await storeBatch(source);
    assert.deepEqual(codes(live), []);
    const initial = nextChange(live, (c) => c.initial);
    source.finishSync();
    const change = await initial;
    assert.deepEqual(codes(live), ['oom-killed']);
    // The example has no Deployment: the top controller it shows is the ReplicaSet.
    assert.deepEqual(
      change.owners.map((o) => `${o.kind}/${o.name}`),
      ['ReplicaSet/checkout-6d8f7b9c5'],
    );
    assert.equal(live.isReady, true);
  });

  it('drops a finding when its pod recovers and names the owner whose findings changed', async () => {
    const example = loadExample('11');
    source.load(objectsOf(example));
    source.finishSync();
    live = new LiveContext(source);
    assert.deepEqual(codes(live), ['oom-killed']);
    const pod = bumped(example.pod);
    for (const status of pod.status?.containerStatuses ?? []) {
      status.state = { running: { startedAt: '2025-06-10T09:19:00Z' } };
      delete status.lastState;
      status.restartCount = 0;
      status.ready = true;
    }
    const changed = nextChange(live, (c) => c.owners.length > 0);
    source.apply('Pod', 'MODIFIED', pod);
    const change = await changed;
    assert.deepEqual(codes(live), []);
    const owner = live.findingsOf(change.owners[0]!);
    assert.deepEqual(owner, []);
  });

  it('keeps the incremental findings equal to a full analysis after every change', async () => {
    source.load([
      ...objectsOf(loadExample('11')),
      ...objectsOf(loadExample('02')),
      ...objectsOf(loadExample('17')),
    ]);
    source.finishSync();
    live = new LiveContext(source);
    const full = (): string[] =>
      analyzeCluster(source)
        .map((f) => `${f.code} ${f.subject.name} ${f.message}`)
        .sort();
    const incremental = (): string[] =>
      live
        .findings()
        .map((f) => `${f.code} ${f.subject.name} ${f.message}`)
        .sort();
    assert.deepEqual(incremental(), full());
    // A ConfigMap appearing and a pod deleted: each re-analyzes only what it affects.
    const configMap = objectsOf(loadExample('02')).find((o) => o.kind === 'ConfigMap');
    assert.ok(configMap);
    source.apply('ConfigMap', 'DELETED', configMap);
    await storeBatch(source);
    assert.deepEqual(incremental(), full());
    const pod = loadExample('17').pod as Pod;
    source.apply('Pod', 'DELETED', pod);
    await storeBatch(source);
    assert.deepEqual(incremental(), full());
  });

  it('reads a crashed container’s previous logs once per crash and quotes them', async () => {
    const example = loadExample('13');
    source.load(objectsOf(example));
    source.finishSync();
    source.logText = 'Error: failed to load config /etc/checkout/config.yaml\n';
    live = new LiveContext(source);
    await live.whenReady(1000);
    assert.deepEqual(source.logReads, ['shop/checkout-6d8f7b9c5-4f743/app/previous']);
    const crash = live.findings().find((f) => f.code === 'crash-loop');
    assert.ok(crash, `findings: ${codes(live).join(', ')}`);
    assert.ok(crash.evidence.some((e) => e.includes('failed to load config /etc/checkout/config.yaml')));
    // The same crash again (an unrelated status update) is not read twice.
    source.apply('Pod', 'MODIFIED', bumped(example.pod));
    await storeBatch(source);
    await live.whenReady(1000);
    assert.equal(source.logReads.length, 1);
  });

  it('remembers restarts newest first, after the first snapshot of a pod', async () => {
    const example = loadExample('13');
    source.load(objectsOf(example));
    source.finishSync();
    live = new LiveContext(source);
    assert.deepEqual(live.restarts(), []);
    const restarted = bumped(example.pod);
    const status = restarted.status?.containerStatuses?.[0];
    assert.ok(status);
    status.restartCount += 1;
    const change = nextChange(live, (c) => c.restarts.length > 0);
    source.apply('Pod', 'MODIFIED', restarted);
    const { restarts } = await change;
    assert.equal(restarts[0]?.container, 'app');
    assert.equal(restarts[0]?.exitCode, 1);
    assert.equal(live.restarts()[0]?.restartCount, 7);
  });
});
