import { strict as assert } from 'node:assert';
import {
  humanDuration,
  parseTimestamp,
  shortHumanDuration,
  translateTimestampSince,
} from '../../../src/kube/humanDuration';

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;
const Y = 365 * D;

// Expected strings follow the table in apimachinery's duration_test.go and its branch thresholds.
const HUMAN: [number, string][] = [
  [-2 * S, '<invalid>'],
  [-1999, '0s'], // int(-1.999) == -1: still "almost now"
  [-1 * S, '0s'],
  [-500, '0s'],
  [0, '0s'],
  [999, '0s'],
  [1 * S, '1s'],
  [59 * S, '59s'],
  [60 * S, '60s'],
  [119 * S + 999, '119s'],
  [2 * M, '2m'],
  [2 * M + 3 * S, '2m3s'],
  [9 * M + 59 * S, '9m59s'],
  [10 * M, '10m'],
  [10 * M + 59 * S, '10m'],
  [179 * M + 59 * S, '179m'],
  [3 * H, '3h'],
  [3 * H + 5 * M, '3h5m'],
  [3 * H + 5 * M + 59 * S, '3h5m'],
  [7 * H + 59 * M, '7h59m'],
  [8 * H, '8h'],
  [8 * H + 59 * M, '8h'],
  [47 * H + 59 * M, '47h'],
  [48 * H, '2d'],
  [2 * D + 3 * H, '2d3h'],
  [7 * D + 23 * H, '7d23h'],
  [8 * D, '8d'],
  [8 * D + 23 * H, '8d'],
  [5 * D, '5d'],
  [2 * Y - 1 * H, '729d'],
  [2 * Y, '2y'],
  [2 * Y + 100 * D, '2y100d'],
  [7 * Y + 364 * D, '7y364d'],
  [8 * Y, '8y'],
  [8 * Y + 200 * D, '8y'],
  [100 * Y, '100y'],
  [1000 * Y, '292y'], // Go durations saturate at about 292 years
];

const SHORT: [number, string][] = [
  [-2 * S, '<invalid>'],
  [-1 * S, '0s'],
  [0, '0s'],
  [59 * S, '59s'],
  [60 * S, '1m'],
  [2 * M + 3 * S, '2m'],
  [59 * M, '59m'],
  [60 * M, '1h'],
  [23 * H + 59 * M, '23h'],
  [24 * H, '1d'],
  [364 * D, '364d'],
  [365 * D, '1y'],
  [3 * Y + 100 * D, '3y'],
];

describe('humanDuration (duration.HumanDuration)', () => {
  for (const [ms, text] of HUMAN) {
    it(`${ms} ms → ${text}`, () => assert.equal(humanDuration(ms), text));
  }
});

describe('shortHumanDuration (duration.ShortHumanDuration)', () => {
  for (const [ms, text] of SHORT) {
    it(`${ms} ms → ${text}`, () => assert.equal(shortHumanDuration(ms), text));
  }
});

describe('translateTimestampSince', () => {
  const now = Date.parse('2025-06-10T12:00:00Z');
  it('measures RFC 3339 timestamps, with or without fractions and offsets', () => {
    assert.equal(translateTimestampSince('2025-06-10T11:57:57Z', now), '2m3s');
    assert.equal(translateTimestampSince('2025-06-10T11:57:57.250000Z', now), '2m2s');
    assert.equal(translateTimestampSince('2025-06-10T13:57:57+02:00', now), '2m3s');
    assert.equal(translateTimestampSince('2025-06-08T09:00:00Z', now), '2d3h');
  });
  it('prints <unknown> for a missing or unparsable timestamp', () => {
    assert.equal(translateTimestampSince(undefined, now), '<unknown>');
    assert.equal(translateTimestampSince(null, now), '<unknown>');
    assert.equal(translateTimestampSince('', now), '<unknown>');
    assert.equal(translateTimestampSince('yesterday', now), '<unknown>');
  });
  it('prints <invalid> for a timestamp in the future by 2s or more', () => {
    assert.equal(translateTimestampSince('2025-06-10T12:00:05Z', now), '<invalid>');
  });
  it('parseTimestamp returns ms or undefined', () => {
    assert.equal(parseTimestamp('2025-06-10T12:00:00Z'), now);
    assert.equal(parseTimestamp('nope'), undefined);
  });
});
