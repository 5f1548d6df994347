import { strict as assert } from 'node:assert';
import { EditComposer } from '../../../src/manifest/editComposer';
import { applyEdits } from '../../../src/manifest/textEdit';
import type { TextEdit } from '../../../src/manifest/textEdit';

describe('EditComposer', () => {
  it('expresses successive edits as edits on the original', () => {
    const composer = new EditComposer('abcdef');
    composer.apply([{ start: 2, end: 2, newText: 'XY' }]); // abXYcdef
    composer.apply([{ start: 3, end: 6, newText: '-' }]); // abX-ef: spans inserted and original text
    composer.apply([{ start: 0, end: 1, newText: 'A' }]); // AbX-ef
    assert.equal(composer.text, 'AbX-ef');
    assert.deepEqual(composer.edits(), [
      { start: 0, end: 1, newText: 'A' },
      { start: 2, end: 4, newText: 'X-' },
    ]);
    assert.equal(applyEdits('abcdef', composer.edits()), 'AbX-ef');
  });

  it('gives no edits when nothing changed', () => {
    const composer = new EditComposer('same');
    composer.apply([]);
    assert.deepEqual(composer.edits(), []);
  });

  it('agrees with applying the same edits step by step (seeded)', () => {
    let seed = 42;
    const rnd = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (let round = 0; round < 300; round++) {
      const original = 'x'.repeat(rnd(20)).replace(/x/g, () => String.fromCharCode(97 + rnd(26)));
      const composer = new EditComposer(original);
      let expected = original;
      for (let step = rnd(5); step >= 0; step--) {
        const a = rnd(expected.length + 1);
        const b = a + rnd(expected.length - a + 1);
        const edit: TextEdit = { start: a, end: b, newText: 'ABC'.slice(0, rnd(4)) };
        composer.apply([edit]);
        expected = applyEdits(expected, [edit]);
      }
      assert.equal(composer.text, expected);
      const edits = composer.edits();
      assert.equal(applyEdits(original, edits), expected, JSON.stringify({ original, edits }));
      for (let i = 1; i < edits.length; i++) assert.ok((edits[i - 1]?.end ?? 0) < (edits[i]?.start ?? 0));
    }
  });
});
