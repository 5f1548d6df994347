import * as assert from 'node:assert/strict';
import { Backoff, RETRY_AFTER_MAX_MS } from '../../../src/cluster/backoff';

describe('cluster/backoff', () => {
  const policy = { initialMs: 100, maxMs: 1000, deniedMs: 60_000 };

  it('doubles, caps, and jitters within [ceiling/2, ceiling]', () => {
    const low = new Backoff(policy, () => 0);
    const high = new Backoff(policy, () => 0.999999);
    const lows = Array.from({ length: 7 }, () => low.next());
    const highs = Array.from({ length: 7 }, () => high.next());
    assert.deepEqual(lows, [50, 100, 200, 400, 500, 500, 500]);
    assert.deepEqual(highs, [100, 200, 400, 800, 1000, 1000, 1000]);
  });

  it('starts over after reset()', () => {
    const b = new Backoff(policy, () => 0);
    b.next();
    b.next();
    b.reset();
    assert.equal(b.next(), 50);
  });

  it("never retries before the server's Retry-After, and obeys it only up to the cap", () => {
    const b = new Backoff(policy, () => 0);
    assert.equal(b.next(7_000), 7_000);
    assert.equal(b.next(10), 100, 'its own back-off when that is longer');
    assert.equal(b.next(24 * 3_600_000), RETRY_AFTER_MAX_MS);
  });

  it('waits minutes, jittered, after a denial', () => {
    assert.equal(new Backoff(policy, () => 0).denied(), 45_000);
    assert.equal(new Backoff(policy, () => 1).denied(), 60_000);
  });
});
