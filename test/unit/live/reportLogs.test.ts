// The troubleshoot report's log reads: an open report renders on every change of its pods, and the
// crashed container's previous log is read from the cluster once per crash, not once per render.
import * as assert from 'node:assert/strict';
import type { ClusterView } from '../../../src/kube/clusterView';
import type { Pod } from '../../../src/kube/types';
import type { LogReader } from '../../../src/live/crashLogs';
import { ReportLogs } from '../../../src/live/reportLogs';
import { loadExample, objectsOf, viewOf } from '../analysis/findings/catalogView';

describe('live/reportLogs', () => {
  const example = loadExample('13');
  const pod = example.pod as Pod;
  const namespace = pod.metadata?.namespace ?? '';
  const name = pod.metadata?.name ?? '';

  /** The example's cluster, whose pod's restart count is `restarts`, answering log reads as `answer` does. */
  function source(
    restarts: number,
    answer: (call: number) => Promise<string>,
  ): { view: ClusterView & LogReader; calls: unknown[][] } {
    const restarted: Pod = {
      ...pod,
      status: {
        ...pod.status,
        containerStatuses: (pod.status?.containerStatuses ?? []).map((s) => ({
          ...s,
          restartCount: restarts,
        })),
      },
    };
    const objects = objectsOf(example).map((o) => (o === pod ? restarted : o));
    const calls: unknown[][] = [];
    const view = Object.assign(Object.create(viewOf(objects)) as ClusterView, {
      readLogs: (...args: unknown[]) => {
        calls.push(args);
        return answer(calls.length);
      },
    });
    return { view, calls };
  }

  it('reads the previous log tail once per crash and reads again after the next one', async () => {
    const logs = new ReportLogs({ tailLines: 20 });
    const first = source(5, () => Promise.resolve('starting\nError: failed to load config\n'));
    const read = await logs.read('prod', first.view, 'Pod', namespace, name);
    assert.deepEqual([...read], [[`${name}/app`, ['starting', 'Error: failed to load config']]]);
    assert.deepEqual(first.calls, [[namespace, name, 'app', { previous: true, tailLines: 20 }]]);

    await logs.read('prod', first.view, 'Pod', namespace, name);
    assert.equal(first.calls.length, 1, 'the same crash is not read twice');

    const next = source(6, () => Promise.resolve('Error: still failing\n'));
    const again = await logs.read('prod', next.view, 'Pod', namespace, name);
    assert.deepEqual(again.get(`${name}/app`), ['Error: still failing']);
    assert.equal(next.calls.length, 1, 'a new crash is read');
  });

  it('says why when a read fails, and tries again on the next render', async () => {
    const logs = new ReportLogs();
    const flaky = source(5, (call) =>
      call === 1 ? Promise.reject(new Error('connection reset')) : Promise.resolve('Error: back\n'),
    );
    const failed = await logs.read('prod', flaky.view, 'Pod', namespace, name);
    assert.deepEqual(failed.get(`${name}/app`), ['(logs could not be read: connection reset)']);
    const retried = await logs.read('prod', flaky.view, 'Pod', namespace, name);
    assert.deepEqual(retried.get(`${name}/app`), ['Error: back']);
  });
});
