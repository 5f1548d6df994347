import { strict as assert } from 'node:assert';
import {
  addQuantities,
  compareQuantities,
  formatCpu,
  formatMemory,
  parseBytes,
  parseMillicores,
  parseExactQuantity,
  parseQuantity,
  quantityMilliValue,
  quantityToNumber,
  quantityValue,
} from '../../../src/kube/quantity';

const Ki = 1024;
const Mi = Ki * 1024;
const Gi = Mi * 1024;

describe('parseExactQuantity', () => {
  const valid: [string, number, string][] = [
    ['0', 0, 'DecimalSI'],
    ['128974848', 128974848, 'DecimalSI'],
    ['129e6', 129e6, 'DecimalExponent'],
    ['129E6', 129e6, 'DecimalExponent'],
    ['1e-3', 0.001, 'DecimalExponent'],
    ['129M', 129e6, 'DecimalSI'],
    ['123Mi', 123 * Mi, 'BinarySI'],
    ['1.5Gi', 1.5 * Gi, 'BinarySI'],
    ['64Ki', 64 * Ki, 'BinarySI'],
    ['2Ti', 2 * 1024 * Gi, 'BinarySI'],
    ['1Ei', 2 ** 60, 'BinarySI'],
    ['100k', 100e3, 'DecimalSI'],
    ['1G', 1e9, 'DecimalSI'],
    ['2E', 2e18, 'DecimalSI'],
    ['500m', 0.5, 'DecimalSI'],
    ['250u', 0.00025, 'DecimalSI'],
    ['7n', 7e-9, 'DecimalSI'],
    ['0.1', 0.1, 'DecimalSI'],
    ['.5', 0.5, 'DecimalSI'],
    ['1.', 1, 'DecimalSI'],
    ['+3', 3, 'DecimalSI'],
    ['-3m', -0.003, 'DecimalSI'],
  ];
  for (const [text, value, format] of valid) {
    it(`${text} = ${value} (${format})`, () => {
      const q = parseExactQuantity(text);
      assert.ok(q, `${text} should parse`);
      assert.equal(q.format, format);
      assert.ok(
        Math.abs(quantityToNumber(q) - value) <= Math.abs(value) * 1e-12,
        `${quantityToNumber(q)} ≠ ${value}`,
      );
    });
  }

  const invalid = [
    '',
    ' 1',
    '1 ',
    'Mi',
    '1K',
    '1mi',
    '1MB',
    '1.2.3',
    '1e',
    '1e+',
    '--1',
    '1Gi2',
    '.',
    '1e999999999',
  ];
  for (const text of invalid) {
    it(`rejects ${JSON.stringify(text)}`, () => {
      assert.equal(parseExactQuantity(text), undefined);
      assert.equal(parseQuantity(text), undefined);
    });
  }
});

describe('compareQuantities', () => {
  const cases: [string, string, number][] = [
    ['1Gi', '1024Mi', 0],
    ['0.1', '100m', 0],
    ['1k', '1e3', 0],
    ['1G', '1Gi', -1],
    ['1Gi', '1G', 1],
    ['128Mi', '256Mi', -1],
    ['1500m', '1.5', 0],
    ['2', '1999m', 1],
    ['-1', '0', -1],
    ['1.1Mi', '1126Ki', 1], // 1.1Mi = 1153433.6 bytes, 1126Ki = 1153024
  ];
  for (const [a, b, sign] of cases) {
    it(`${a} vs ${b} → ${sign}`, () => {
      assert.equal(compareQuantities(a, b), sign);
      assert.equal(compareQuantities(parseExactQuantity(b)!, parseExactQuantity(a)!), -sign || 0);
    });
  }
  it('is undefined when either side does not parse', () => {
    assert.equal(compareQuantities('1Gi', 'lots'), undefined);
    assert.equal(compareQuantities('', '1'), undefined);
  });
});

describe('addQuantities', () => {
  it('adds exactly across suffixes, keeping the format of the first', () => {
    const sum = addQuantities(parseExactQuantity('1Gi')!, parseExactQuantity('512M')!);
    assert.equal(quantityToNumber(sum), Gi + 512e6);
    assert.equal(sum.format, 'BinarySI');
    assert.equal(
      compareQuantities(addQuantities(parseExactQuantity('100m')!, parseExactQuantity('0.9')!), '1'),
      0,
    );
  });
});

describe('parseQuantity (float base units)', () => {
  it('gives bytes or cores as a number', () => {
    assert.equal(parseQuantity('256Mi'), 268435456);
    assert.equal(parseQuantity('500m'), 0.5);
    assert.equal(parseQuantity('2'), 2);
  });
});

describe('quantityValue / quantityMilliValue round up like Go', () => {
  const cases: [string, number, number][] = [
    ['100m', 1, 100],
    ['1', 1, 1000],
    ['1.5', 2, 1500],
    ['0.0001', 1, 1],
    ['1n', 1, 1],
    ['256Mi', 256 * Mi, 256 * Mi * 1000],
    ['1.1Mi', 1153434, 1153433600],
    ['-1.5', -2, -1500],
  ];
  for (const [text, value, milli] of cases) {
    it(`${text} → ${value}, ${milli}m`, () => {
      const q = parseExactQuantity(text)!;
      assert.equal(quantityValue(q), value);
      assert.equal(quantityMilliValue(q), milli);
    });
  }
});

describe('parseBytes / parseMillicores', () => {
  it('reads memory and cpu in their usual units', () => {
    assert.equal(parseBytes('256Mi'), 268435456);
    assert.equal(parseBytes('1G'), 1e9);
    assert.equal(parseBytes('nope'), undefined);
    assert.equal(parseMillicores('250m'), 250);
    assert.equal(parseMillicores('2'), 2000);
    assert.equal(parseMillicores('0.5'), 500);
    assert.equal(parseMillicores('1.5k'), 1500000);
    assert.equal(parseMillicores(''), undefined);
  });
});

describe('formatMemory', () => {
  const cases: [number, string][] = [
    [0, '0'],
    [512, '512'],
    [1023.2, '1Ki'], // rounds up to a whole byte first
    [1024, '1Ki'],
    [1500, '1500'], // under 10Ki and not whole: next unit down is bytes
    [64 * Mi, '64Mi'],
    [256 * Mi, '256Mi'],
    [1536 * Mi, '1536Mi'],
    [2 * Gi, '2Gi'],
    [Gi + 300 * Mi, '1324Mi'],
    [1.3 * Gi, '1332Mi'], // 1331.2Mi rounds up
    [300_000_000, '287Mi'], // 286.1Mi: 10 or more of the unit rounds in that unit
    [12.3 * Gi, '13Gi'],
    [3 * 1024 * Gi, '3Ti'],
    [10_000_000_000, '9537Mi'], // 9.31Gi is under 10 of the unit, so it rounds in Mi: 9536.74 → 9537
  ];
  for (const [bytes, text] of cases) {
    it(`${bytes} → ${text}`, () => {
      assert.equal(formatMemory(bytes), text);
      // Never below the input, and it parses back.
      assert.ok(parseBytes(text)! >= bytes);
    });
  }
});

describe('formatCpu', () => {
  const cases: [number, string][] = [
    [250, '250m'],
    [1000, '1'],
    [1500, '1500m'],
    [2000, '2'],
    [0, '0'],
    [99.5, '100m'],
  ];
  for (const [milli, text] of cases) {
    it(`${milli} → ${text}`, () => assert.equal(formatCpu(milli), text));
  }
});
