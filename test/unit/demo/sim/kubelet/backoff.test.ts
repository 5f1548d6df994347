// Crash-loop timing on the stepped clock: restarts 10 s, 20 s, 40 s, ... apart up to the 5 min
// cap, the CrashLoopBackOff message naming the current delay, and the reset after a container
// has run for 10 minutes.
import { strict as assert } from 'node:assert';
import { Backoff, goDuration } from '../../../../../src/demo/sim/kubelet/backoff';
import { Harness } from '../harness';

function crashingPod(script: string): string {
  return `
apiVersion: v1
kind: Pod
metadata: {name: crasher, namespace: demo}
spec:
  containers:
    - name: app
      image: busybox:1.36
      command: ["/bin/sh", "-c", "${script}"]
`;
}

/** Simulated seconds (from the first start) at which restartCount went up, and the back-off messages seen. */
function watchRestarts(h: Harness, seconds: number): { restarts: number[]; messages: string[] } {
  const start = h.clock.now();
  const restarts: number[] = [];
  const messages: string[] = [];
  let last = 0;
  for (let t = 0; t < seconds; t++) {
    h.advance(1);
    const status = h.pod('demo', 'crasher').status?.containerStatuses?.[0];
    if (status && status.restartCount > last) {
      last = status.restartCount;
      restarts.push(Math.round((h.clock.now() - start) / 1000));
    }
    const message = status?.state?.waiting?.message;
    if (message && status.state?.waiting?.reason === 'CrashLoopBackOff' && !messages.includes(message))
      messages.push(message);
  }
  return { restarts, messages };
}

describe('crash back-off', () => {
  it('restarts 10s, 20s, 40s, 1m20s, 2m40s, then every 5m0s', () => {
    const h = new Harness();
    h.apply(crashingPod('echo boom; exit 1'));
    const { restarts, messages } = watchRestarts(h, 1300);
    const gaps = restarts.slice(1).map((t, i) => t - restarts[i]!);
    assert.deepEqual(gaps.slice(0, 7), [10, 20, 40, 80, 160, 300, 300]);
    const pod = h.pod('demo', 'crasher');
    const format = `${pod.metadata!.name}_demo(${pod.metadata!.uid})`;
    assert.deepEqual(
      messages,
      ['10s', '20s', '40s', '1m20s', '2m40s', '5m0s'].map(
        (d) => `back-off ${d} restarting failed container=app pod=${format}`,
      ),
    );
    const backOff = h.events('demo', 'crasher').find((e) => e.reason === 'BackOff');
    assert.equal(backOff?.message, `Back-off restarting failed container app in pod ${format}`);
    assert.equal(backOff?.type, 'Warning');
    assert.ok((backOff?.count ?? 0) > 10, 'BackOff events are deduplicated into a growing count');
    assert.notEqual(backOff?.firstTimestamp, backOff?.lastTimestamp);
  });

  it('forgets the back-off once the container ran for 10 minutes', () => {
    const h = new Harness();
    h.apply(crashingPod('sleep 700; exit 1'));
    const { restarts, messages } = watchRestarts(h, 2200);
    assert.deepEqual(messages, [], 'never waits in CrashLoopBackOff');
    const gaps = restarts.slice(1).map((t, i) => t - restarts[i]!);
    assert.ok(
      gaps.every((g) => g >= 700 && g <= 702),
      gaps.join(),
    );
  });

  it('a short-lived container does back off', () => {
    const h = new Harness();
    h.apply(crashingPod('sleep 100; exit 1'));
    const { messages } = watchRestarts(h, 400);
    assert.match(messages[0] ?? '', /^back-off 10s restarting failed container=app /);
  });

  it('Backoff doubles to the cap and expires after twice the cap', () => {
    const b = new Backoff();
    const seen: number[] = [];
    for (let i = 0; i < 8; i++) {
      b.next('k', i * 1000);
      seen.push(b.get('k'));
    }
    assert.deepEqual(seen, [10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000, 300_000]);
    b.next('k', 7000 + 600_001);
    assert.equal(b.get('k'), 10_000);
  });

  it('formats durations as Go does', () => {
    assert.deepEqual([10_000, 80_000, 160_000, 300_000, 1_500, 786, 3_600_000].map(goDuration), [
      '10s',
      '1m20s',
      '2m40s',
      '5m0s',
      '1.5s',
      '786ms',
      '1h0m0s',
    ]);
  });
});
