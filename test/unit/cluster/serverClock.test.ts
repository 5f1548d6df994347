import * as assert from 'node:assert/strict';
import type { KubeEvent } from '../../../src/kube/types';
import { ServerClock } from '../../../src/cluster/serverClock';

const T0 = Date.parse('2026-03-01T12:00:00Z');
const HOUR = 3_600_000;

/** A local clock the test moves by hand. */
function localClock(start = T0): { now: () => number; advance: (ms: number) => void } {
  let t = start;
  return { now: () => t, advance: (ms) => (t += ms) };
}

const event = (times: Partial<Pick<KubeEvent, 'lastTimestamp' | 'eventTime' | 'series'>>): KubeEvent => ({
  metadata: { name: 'e', namespace: 'default' },
  involvedObject: { kind: 'Pod', name: 'p' },
  ...times,
});

describe('cluster/serverClock', () => {
  it('is the local clock until the server says otherwise', () => {
    const local = localClock();
    const clock = new ServerClock(local.now);
    assert.equal(clock.now(), T0);
    clock.observeDate(undefined);
    clock.observeDate('not a date');
    assert.equal(clock.now(), T0);
  });

  it('follows the newest Date header, behind or ahead of us, and keeps running with the local clock', () => {
    const local = localClock();
    const clock = new ServerClock(local.now);
    // Whole seconds on the wire: the server was somewhere in that second, so its middle is taken.
    clock.observeDate(new Date(T0 - 3 * HOUR).toUTCString());
    assert.equal(clock.now(), T0 - 3 * HOUR + 500);
    local.advance(60_000);
    assert.equal(clock.now(), T0 - 3 * HOUR + 60_500);
    // The newest header wins even when it moves the clock back.
    clock.observeDate(new Date(T0 + 60_000 + 2 * HOUR).toUTCString());
    assert.equal(clock.now(), T0 + 60_000 + 2 * HOUR + 500);
    clock.observeDate(new Date(T0 + 60_000).toUTCString());
    assert.equal(clock.now(), T0 + 60_500);
    assert.equal(clock.skew, 500);
  });

  it('is never earlier than the newest Event time plus the local time elapsed since it arrived', () => {
    const local = localClock();
    const clock = new ServerClock(local.now);
    clock.observeDate(new Date(T0 - 3 * HOUR).toUTCString());
    // The server's clock runs faster than ours (the demo's does): its Events are ahead of the
    // last Date header by more than the local time elapsed.
    local.advance(10_000);
    clock.observeEvent(event({ lastTimestamp: new Date(T0 - 3 * HOUR + 100_000).toISOString() }));
    assert.equal(clock.now(), T0 - 3 * HOUR + 100_000);
    local.advance(5_000);
    assert.equal(clock.now(), T0 - 3 * HOUR + 105_000);
    // An older Event does not move it back.
    clock.observeEvent(event({ lastTimestamp: new Date(T0 - 4 * HOUR).toISOString() }));
    assert.equal(clock.now(), T0 - 3 * HOUR + 105_000);
    // eventTime (MicroTime, microseconds) and series.lastObservedTime count too; the newest of an Event's times is used.
    clock.observeEvent(
      event({
        eventTime: new Date(T0 - 3 * HOUR + 200_000).toISOString().replace('Z', '123Z'),
        series: { count: 3, lastObservedTime: new Date(T0 - 3 * HOUR + 300_000).toISOString() },
      }),
    );
    assert.equal(clock.now(), T0 - 3 * HOUR + 300_000);
    clock.observeEvent(
      event({ eventTime: new Date(T0 - 3 * HOUR + 400_000).toISOString().replace('Z', '123Z') }),
    );
    assert.equal(clock.now(), T0 - 3 * HOUR + 400_000);
    // Events without times are ignored.
    clock.observeEvent(event({ lastTimestamp: null, eventTime: null }));
    assert.equal(clock.now(), T0 - 3 * HOUR + 400_000);
    // A later Date header wins over the Event floor.
    clock.observeDate(new Date(T0 + 15_000).toUTCString());
    assert.equal(clock.now(), T0 + 15_500);
  });
});
