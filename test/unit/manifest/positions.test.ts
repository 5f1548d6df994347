import { strict as assert } from 'node:assert';
import { LineIndex } from '../../../src/manifest/positions';

describe('positions', () => {
  const text = 'ab\ncd\r\n\nx😀y';
  const index = new LineIndex(text);
  const table: [number, string][] = [
    [0, '0:0'],
    [2, '0:2'],
    [3, '1:0'],
    [5, '1:2'],
    [7, '2:0'],
    [8, '3:0'],
    // Characters are UTF-16 code units, as in LSP: the emoji counts two.
    [11, '3:3'],
    [12, '3:4'],
    [99, '3:4'],
    [-5, '0:0'],
  ];
  for (const [offset, expected] of table) {
    it(`offset ${offset} is ${expected}`, () => {
      const p = index.positionAt(offset);
      assert.equal(`${p.line}:${p.character}`, expected);
    });
  }
  it('round-trips every offset', () => {
    for (let offset = 0; offset <= text.length; offset++) {
      if (text[offset - 1] === '\r') continue; // between \r and \n is not a place a cursor can be
      assert.equal(index.offsetAt(index.positionAt(offset)), offset);
    }
  });
  it('clamps positions past a line end before its line break', () => {
    assert.equal(index.offsetAt({ line: 1, character: 50 }), 5);
    assert.equal(index.offsetAt({ line: 9, character: 0 }), text.length);
    assert.equal(index.lineCount, 4);
  });
  it('converts ranges', () => {
    assert.deepEqual(index.rangeOf({ start: 3, end: 5 }), {
      start: { line: 1, character: 0 },
      end: { line: 1, character: 2 },
    });
  });
});
