// ManualClock fires due timers in order when stepped; ScaledClock runs simulated time faster.
import { strict as assert } from 'node:assert';
import { ManualClock } from '../../../../src/demo/manualClock';
import { ScaledClock } from '../../../../src/demo/scaledClock';

describe('clocks', () => {
  it('ManualClock fires due timers in due order, ties in the order set, and chains within one step', () => {
    const clock = new ManualClock(0);
    const fired: string[] = [];
    clock.setTimer(300, () => fired.push(`c@${clock.now()}`));
    clock.setTimer(100, () => {
      fired.push(`a@${clock.now()}`);
      clock.setTimer(0, () => fired.push(`a2@${clock.now()}`));
      clock.setTimer(500, () => fired.push(`late@${clock.now()}`));
    });
    clock.setTimer(100, () => fired.push(`b@${clock.now()}`));
    const cancelled = clock.setTimer(200, () => fired.push('cancelled'));
    cancelled.cancel();
    clock.advance(350);
    assert.deepEqual(fired, ['a@100', 'b@100', 'a2@100', 'c@300']);
    assert.equal(clock.now(), 350);
    clock.advance(250);
    assert.deepEqual(fired.at(-1), 'late@600');
  });

  it('ManualClock starts at a given instant', () => {
    assert.equal(new ManualClock('2025-06-10T09:00:00Z').now(), Date.parse('2025-06-10T09:00:00Z'));
  });

  it('ScaledClock multiplies elapsed time and shortens timers by the same factor', async () => {
    const clock = new ScaledClock(100_000, 0);
    const realStart = Date.now();
    const t0 = clock.now();
    // 100 simulated seconds at 100000x is a millisecond of real time.
    const simulated = await new Promise<number>((resolve) =>
      clock.setTimer(100_000, () => resolve(clock.now())),
    );
    const realElapsed = Date.now() - realStart;
    assert.ok(realElapsed < 1000, `fired after ${realElapsed}ms`);
    assert.ok(
      Math.abs(simulated - t0 - realElapsed * 100_000) <= 100_000,
      'simulated time is real time x speed',
    );
    const never = clock.setTimer(1e9, () => assert.fail('disposed timers must not fire'));
    void never;
    clock.dispose();
    assert.throws(() => new ScaledClock(0));
  });
});
