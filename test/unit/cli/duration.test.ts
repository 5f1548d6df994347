import { strict as assert } from 'node:assert';
import { parseDuration } from '../../../src/cli/duration';

describe('parseDuration (kubectl --request-timeout syntax)', () => {
  const good: [string, number][] = [
    ['30', 30_000],
    ['0', 0],
    ['500ms', 500],
    ['10s', 10_000],
    ['2m', 120_000],
    ['1h', 3_600_000],
    ['1m30s', 90_000],
    ['1.5s', 1500],
    ['.5s', 500],
    ['250us', 0.25],
    ['2h45m', 9_900_000],
  ];
  for (const [text, ms] of good) it(`reads ${text} as ${ms} ms`, () => assert.equal(parseDuration(text), ms));

  for (const text of ['', 's', '10x', '-5s', '5 s', '1.5', 'ten seconds', '10s5', '1m 30s']) {
    it(`rejects ${JSON.stringify(text)}`, () => assert.equal(parseDuration(text), undefined));
  }
});
