import { strict as assert } from 'node:assert';
import { sanitizeText } from '../../../src/kube/sanitize';

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
