import { strict as assert } from 'node:assert';
import { cutMarker, DOCUMENT_LIMITS, FIELD_LIMITS, sanitizeText } from '../../../src/kube/sanitize';

describe('sanitizeText', () => {
  const cases: [string, string, string][] = [
    ['SGR colours', '\u001b[1;31merror\u001b[0m: boom', 'error: boom'],
    ['cursor movement and erase', 'a\u001b[2Kb\u001b[10;5Hc', 'abc'],
    ['OSC window title ended by BEL', 'x\u001b]0;owned\u0007y', 'xy'],
    ['OSC 8 hyperlink ended by ST', '\u001b]8;;http://evil\u001b\\link\u001b]8;;\u001b\\', 'link'],
    ['8-bit CSI', 'a\u009b31mb', 'ab'],
    ['unterminated OSC swallows the rest', 'ok\u001b]0;never ends', 'ok'],
    ['other C0 controls and DEL; keeps tab and newline', 'a\u0000b\u0007c\rd\u007f\te\nf', 'abcd\te\nf'],
    ['a lone ESC', 'a\u001bb', 'a'],
    ['bidi overrides, isolates and marks', 'a\u202eb\u202c\u2066c\u2069\u200e\u200fd\u061c', 'abcd'],
    [
      'plain text untouched',
      'exec: "checkout-server": executable file not found in $PATH',
      'exec: "checkout-server": executable file not found in $PATH',
    ],
  ];
  for (const [name, input, expected] of cases) {
    it(name, () => {
      assert.equal(sanitizeText(input), expected);
    });
  }
});

describe('sanitizeText cuts what is too long to read', () => {
  it('cuts a long line with a marker that counts what was cut, and keeps the result within the limit', () => {
    const out = sanitizeText(`x${'a'.repeat(1024 * 1024)}`);
    assert.ok(out.length <= FIELD_LIMITS.maxLineChars, String(out.length));
    const [, kept, count] = /^(xa*) … \[(\d+) characters cut\]$/.exec(out) ?? [];
    assert.equal((kept ?? '').length + Number(count), 1024 * 1024 + 1);
    assert.equal(cutMarker(Number(count)), `… [${count} characters cut]`);
    assert.ok(out.startsWith('xaaa'));
  });

  it('cuts each long line on its own, and a long text of short lines as a whole', () => {
    const lines = sanitizeText(`${'a'.repeat(5000)}\nshort\n${'b'.repeat(5000)}`).split('\n');
    assert.equal(lines.length, 3);
    assert.match(lines[0] ?? '', /^a+ … \[\d+ characters cut\]$/);
    assert.equal(lines[1], 'short');
    assert.match(lines[2] ?? '', /^b+ … \[\d+ characters cut\]$/);
    const many = sanitizeText('line\n'.repeat(200_000), DOCUMENT_LIMITS);
    assert.ok(many.length <= DOCUMENT_LIMITS.maxChars);
    assert.match(many, / … \[\d+ characters cut\]$/);
  });

  it('changes nothing when run again, so layers that each sanitize agree', () => {
    const once = sanitizeText(`\u001b[31m${'z'.repeat(70_000)}`);
    assert.equal(sanitizeText(once), once);
  });

  it('never leaves half a surrogate pair at the cut', () => {
    const out = sanitizeText('😀'.repeat(5000));
    const kept = out.slice(0, out.indexOf(' …'));
    assert.equal(kept, '😀'.repeat(kept.length / 2));
  });
});
