// A 5,000-input slice of `npm run fuzz` (test/fuzz/manifestFuzz.ts): hostile and broken YAML through
// parsing, identity, field resolution, drift, placement and fix edits. Nothing may throw, edits stay
// inside the text, and an edit never breaks a valid document. Seeded: a failure names the input to
// replay with `npm run fuzz -- --seed 24601 --index N`.
import { strict as assert } from 'node:assert';
import { runFuzz } from '../../fuzz/manifestFuzz';

const SEED = 24601;
const INPUTS = 5_000;

describe('manifest fuzz (a slice of npm run fuzz)', function () {
  this.timeout(180_000);

  it(`${INPUTS} seeded inputs: no exception escapes, no edit breaks a document`, () => {
    const result = runFuzz(SEED, 0, INPUTS, Number.POSITIVE_INFINITY);
    assert.equal(result.inputs, INPUTS);
    assert.deepEqual(
      result.crashes.map((c) => `--seed ${SEED} --index ${c.index} (${c.kind}): ${c.error.split('\n')[0]}`),
      [],
    );
  });
});
