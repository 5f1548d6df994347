// Kubernetes resource quantities (`resource.Quantity`): `128Mi`, `1.5Gi`, `500m`, `2`, `1e3`, `100k`.
// Values are kept exact (a BigInt mantissa times powers of 10 and 2) so that `1Gi` equals `1024Mi`
// and `0.1` equals `100m`; numbers come out only at the edges, for arithmetic and display.

export type QuantityFormat = 'BinarySI' | 'DecimalSI' | 'DecimalExponent';

/** An exact quantity: `mantissa × 10^exp10 × 2^exp2`. */
export interface Quantity {
  readonly mantissa: bigint;
  readonly exp10: number;
  readonly exp2: number;
  /** The suffix family the text used; the apiserver keeps it when it canonicalises. */
  readonly format: QuantityFormat;
}

const DECIMAL_SUFFIXES: Record<string, number> = {
  n: -9,
  u: -6,
  m: -3,
  '': 0,
  k: 3,
  M: 6,
  G: 9,
  T: 12,
  P: 15,
  E: 18,
};
const BINARY_SUFFIXES: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const BINARY_UNITS: [string, number][] = [
  ['Ei', 2 ** 60],
  ['Pi', 2 ** 50],
  ['Ti', 2 ** 40],
  ['Gi', 2 ** 30],
  ['Mi', 2 ** 20],
  ['Ki', 2 ** 10],
];

// The grammar of resource.ParseQuantity: <signedNumber><suffix>, no spaces.
const QUANTITY = /^([+-]?)(\d+(?:\.\d*)?|\.\d+)(.*)$/;
const EXPONENT = /^[eE]([+-]?\d+)$/;
// Far past any real resource; bounds the BigInt work for hostile input such as `1e999999999`.
const MAX_EXPONENT = 1000;

/**
 * The value in base units (cores, bytes) as a float, or undefined when the text is absent or the
 * apiserver would reject it. Not `Quantity.Value()`, which rounds up to whole units: see quantityValue.
 */
export function parseQuantity(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const q = parseExactQuantity(text);
  return q && quantityToNumber(q);
}

/** Parses a quantity string exactly; undefined when the apiserver would reject it. */
export function parseExactQuantity(text: string): Quantity | undefined {
  const match = QUANTITY.exec(text);
  if (!match) return undefined;
  const [, sign, number, suffix] = match as unknown as [string, string, string, string];
  const [whole = '', fraction = ''] = number.split('.');
  let mantissa = BigInt((whole || '0') + fraction);
  if (sign === '-') mantissa = -mantissa;
  const scale = -fraction.length;

  const binary = BINARY_SUFFIXES[suffix];
  if (binary !== undefined) return { mantissa, exp10: scale, exp2: binary, format: 'BinarySI' };
  const decimal = DECIMAL_SUFFIXES[suffix];
  if (decimal !== undefined) return { mantissa, exp10: scale + decimal, exp2: 0, format: 'DecimalSI' };
  const exponent = EXPONENT.exec(suffix);
  if (exponent && Math.abs(Number(exponent[1])) <= MAX_EXPONENT) {
    return { mantissa, exp10: scale + Number(exponent[1]), exp2: 0, format: 'DecimalExponent' };
  }
  return undefined;
}

/**
 * Exact comparison: -1, 0 or 1 as `a` is below, equal to or above `b` (`1Gi` = `1024Mi`,
 * `0.1` = `100m`); undefined when either text does not parse.
 */
export function compareQuantities(a: string | Quantity, b: string | Quantity): number | undefined {
  const x = typeof a === 'string' ? parseExactQuantity(a) : a;
  const y = typeof b === 'string' ? parseExactQuantity(b) : b;
  if (!x || !y) return undefined;
  const [m, n] = commonScale(x, y);
  return m < n ? -1 : m > n ? 1 : 0;
}

/** The exact sum, in the format of `a` (as `Quantity.Add` keeps the receiver's format). */
export function addQuantities(a: Quantity, b: Quantity): Quantity {
  const exp10 = Math.min(a.exp10, b.exp10);
  const exp2 = Math.min(a.exp2, b.exp2);
  const [m, n] = commonScale(a, b);
  return { mantissa: m + n, exp10, exp2, format: a.format };
}

/** The value in base units (bytes, cores) as a float; exact up to 2^53. */
export function quantityToNumber(q: Quantity): number {
  return Number(q.mantissa) * 10 ** q.exp10 * 2 ** q.exp2;
}

/** `Quantity.Value()`: whole base units, rounded up (away from zero for negatives, as Go does). */
export function quantityValue(q: Quantity): number {
  return Number(ceilScaled(q, 0));
}

/** `Quantity.MilliValue()`: thousandths of a base unit (millicores for cpu), rounded up. */
export function quantityMilliValue(q: Quantity): number {
  return Number(ceilScaled(q, 3));
}

/** Bytes in a memory or storage quantity (`256Mi` → 268435456), or undefined if it does not parse. */
export function parseBytes(text: string): number | undefined {
  const q = parseExactQuantity(text);
  return q && quantityValue(q);
}

/** Millicores in a cpu quantity (`250m` → 250, `2` → 2000), or undefined if it does not parse. */
export function parseMillicores(text: string): number | undefined {
  const q = parseExactQuantity(text);
  return q && quantityMilliValue(q);
}

/**
 * A tidy binary quantity for a byte count, for messages and suggested limits. It uses the largest
 * unit the count reaches or the one below it: exact when the count is a whole number of either
 * (`268435456` → `256Mi`, `1610612736` → `1536Mi`), otherwise rounded up, never down, so a
 * suggestion is never below what was measured: in the larger unit when that gives 10 or more of it
 * (`300000000` → `287Mi`), else in the smaller one (`1.3Gi` → `1332Mi`). Below 1Ki, plain bytes.
 */
export function formatMemory(bytes: number): string {
  const whole = Math.ceil(bytes);
  const index = BINARY_UNITS.findIndex(([, size]) => whole >= size);
  if (index < 0) return String(whole);
  const [suffix, size] = BINARY_UNITS[index]!;
  const [smallerSuffix, smallerSize] = BINARY_UNITS[index + 1] ?? ['', 1];
  // Exactness is only worth keeping in these two units: `9765625Ki` is exact but not tidy.
  if (whole % size === 0) return `${whole / size}${suffix}`;
  if (whole % smallerSize === 0) return `${whole / smallerSize}${smallerSuffix}`;
  if (whole / size >= 10) return `${Math.ceil(whole / size)}${suffix}`;
  return `${Math.ceil(whole / smallerSize)}${smallerSuffix}`;
}

/** Canonical cpu text for millicores: `250m`, `1500m`, `2` (whole cores drop the suffix, as kubectl prints). */
export function formatCpu(millicores: number): string {
  const whole = Math.ceil(millicores);
  return whole % 1000 === 0 ? String(whole / 1000) : `${whole}m`;
}

/** Brings both quantities to integers over one scale, so BigInt comparison is exact. */
function commonScale(a: Quantity, b: Quantity): [bigint, bigint] {
  const exp10 = Math.min(a.exp10, b.exp10);
  const exp2 = Math.min(a.exp2, b.exp2);
  return [integerAt(a, exp10, exp2), integerAt(b, exp10, exp2)];
}

function integerAt(q: Quantity, exp10: number, exp2: number): bigint {
  return q.mantissa * 10n ** BigInt(q.exp10 - exp10) * 2n ** BigInt(q.exp2 - exp2);
}

/** `q × 10^digits`, rounded away from zero to an integer (Go's `inf.RoundUp`). */
function ceilScaled(q: Quantity, digits: number): bigint {
  let numerator = q.mantissa * 2n ** BigInt(q.exp2);
  let denominator = 1n;
  const exp = q.exp10 + digits;
  if (exp >= 0) numerator *= 10n ** BigInt(exp);
  else denominator = 10n ** BigInt(-exp);
  const quotient = numerator / denominator;
  if (quotient * denominator === numerator) return quotient;
  return numerator > 0n ? quotient + 1n : quotient - 1n;
}
