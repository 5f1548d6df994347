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

describe('cluster/serverClock rate', () => {
  const SPEED = 10;

  it('measures how fast a simulated server clock runs and keeps pace between observations', () => {
    const local = localClock();
    const clock = new ServerClock(local.now);
    const server = (): number => T0 - 3 * HOUR + (local.now() - T0) * SPEED;
    clock.observeDate(new Date(server()).toUTCString());
    // Events keep arriving (the demo's BackOff events), each stamped with the server's time.
    for (let i = 0; i < 13; i++) {
      local.advance(10_000);
      clock.observeEvent(event({ lastTimestamp: new Date(server()).toISOString() }));
    }
    assert.ok(Math.abs(clock.rate - SPEED) < 0.1, `rate ${clock.rate}`);
    // Twenty quiet seconds: the estimate runs at the server's pace, not ours.
    local.advance(20_000);
    assert.ok(Math.abs(clock.now() - server()) < 2_000, `off by ${clock.now() - server()} ms`);
  });

  it('stays at rate 1 on a real clock, with whole-second Date headers and a kubelet 8 s ahead', () => {
    const local = localClock();
    const clock = new ServerClock(local.now);
    const server = (): number => local.now() - 40_000;
    clock.observeDate(new Date(server()).toUTCString());
    for (let i = 0; i < 20; i++) {
      local.advance(7_300);
      clock.observeEvent(event({ lastTimestamp: new Date(server() + 8_000).toISOString() }));
      if (i % 5 === 4) clock.observeDate(new Date(server()).toUTCString());
    }
    assert.equal(clock.rate, 1);
    local.advance(60_000);
    assert.ok(Math.abs(clock.now() - server()) <= 8_000, `off by ${clock.now() - server()} ms`);
  });

  it('measures a fast clock from two Date headers alone, and anew after the clock is set back', () => {
    const local = localClock();
    const clock = new ServerClock(local.now);
    const fast = (): number => T0 + (local.now() - T0) * SPEED;
    clock.observeDate(new Date(fast()).toUTCString());
    local.advance(130_000);
    clock.observeDate(new Date(fast()).toUTCString());
    assert.ok(Math.abs(clock.rate - SPEED) < 0.1, `rate ${clock.rate}`);
    // Set back an hour onto real time: rate 1 again until measured.
    clock.observeDate(new Date(fast() - HOUR).toUTCString());
    assert.equal(clock.rate, 1);
    const setBack = clock.now();
    local.advance(10_000);
    assert.equal(clock.now(), setBack + 10_000);
  });

  it('forgets a clock set forward once the window has passed it', () => {
    const local = localClock();
    const clock = new ServerClock(local.now);
    let offset = 0;
    const server = (): number => local.now() + offset;
    clock.observeDate(new Date(server()).toUTCString());
    local.advance(60_000);
    offset = 2 * HOUR;
    for (let i = 0; i < 30; i++) {
      local.advance(30_000);
      clock.observeDate(new Date(server()).toUTCString());
    }
    assert.equal(clock.rate, 1);
    local.advance(30_000);
    assert.ok(Math.abs(clock.now() - server()) <= 1_000, `off by ${clock.now() - server()} ms`);
  });
});
