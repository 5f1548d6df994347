// The Restarts view's model without VS Code: a row's age is the cluster's now minus the exit's
// finishedAt (what kubectl's `RESTARTS 9 (24s ago)` prints), and it keeps up as the clock runs
// instead of staying at the age it had when the row was added.
import * as assert from 'node:assert/strict';
import type { RestartEvent } from '../../../src/analysis/restartTracker';
import { Emitter } from '../../../src/cluster/emitter';
import type { LiveContextChange } from '../../../src/live/liveContext';
import type { ContextEvent } from '../../../src/live/liveModel';
import { RestartsModel } from '../../../src/tree/model/restartsModel';
import type { TreeNode } from '../../../src/tree/model/treeNode';

const FINISHED = Date.parse('2025-06-10T09:10:00Z');

function restart(restartCount: number, finishedAt: number): RestartEvent {
  return {
    pod: { apiVersion: 'v1', kind: 'Pod', name: 'loggw-7597dc9b9f-zbdpp', namespace: 'demo', uid: 'u1' },
    container: 'loggw-loki',
    initContainer: false,
    restartCount,
    restarts: 1,
    reason: 'Error',
    exitCode: 1,
    time: new Date(finishedAt).toISOString(),
  };
}

function harness(ageRefreshMs = 0) {
  const changes = new Emitter<LiveContextChange>();
  const contexts = new Emitter<ContextEvent>();
  let now = FINISHED;
  const model = new RestartsModel(
    { get: () => undefined, onDidChange: changes.event, onDidChangeContexts: contexts.event },
    { debounceMs: 0, ageRefreshMs, clock: () => now },
  );
  const add = async (events: RestartEvent[]): Promise<void> => {
    const fired = nextChange(model);
    changes.fire({ context: 'demo', objects: [], owners: [], restarts: events, initial: false });
    await fired;
  };
  return {
    model,
    add,
    advance: (ms: number) => (now += ms),
    dispose: () => {
      model.dispose();
      changes.dispose();
      contexts.dispose();
    },
  };
}

function nextChange(model: RestartsModel, timeoutMs = 2000): Promise<TreeNode[] | undefined> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no change of the Restarts view')), timeoutMs);
    const sub = model.onDidChange((nodes) => {
      clearTimeout(timer);
      sub.dispose();
      resolve(nodes);
    });
  });
}

describe('tree/restartsModel', () => {
  it('ages each row from its exit’s finishedAt on the cluster clock, and recomputes it as time passes', async () => {
    const h = harness();
    try {
      h.advance(24_000);
      await h.add([restart(9, FINISHED)]);
      const [row] = h.model.roots();
      assert.equal(row?.data.description, 'Error · exit 1 · 24s ago');

      h.advance(3 * 60_000);
      const fired = nextChange(h.model);
      h.model.refreshAges();
      assert.deepEqual(await fired, [row], 'only the rows whose text changed are fired, in place');
      assert.equal(row?.data.description, 'Error · exit 1 · 3m24s ago');

      let again = false;
      const sub = h.model.onDidChange(() => (again = true));
      h.model.refreshAges();
      sub.dispose();
      assert.equal(again, false, 'an unchanged age fires nothing');
    } finally {
      h.dispose();
    }
  });

  it('refreshes ages by itself once it has rows', async () => {
    const h = harness(20);
    try {
      await h.add([restart(3, FINISHED)]);
      const [row] = h.model.roots();
      assert.equal(row?.data.description, 'Error · exit 1 · 0s ago');
      h.advance(90_000);
      await nextChange(h.model);
      assert.equal(row?.data.description, 'Error · exit 1 · 90s ago');
    } finally {
      h.dispose();
    }
  });

  it('stops re-aging while the view is hidden, and is current again the moment it shows', async () => {
    const h = harness(20);
    try {
      await h.add([restart(3, FINISHED)]);
      const [row] = h.model.roots();
      h.model.setShown(false);
      h.advance(60_000);
      await assert.rejects(nextChange(h.model, 100), /no change/);
      assert.equal(row?.data.description, 'Error · exit 1 · 0s ago');
      const shown = nextChange(h.model);
      h.model.setShown(true);
      await shown;
      assert.equal(row?.data.description, 'Error · exit 1 · 60s ago');
    } finally {
      h.dispose();
    }
  });
});
