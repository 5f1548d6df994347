// Kubernetes resource quantities ("100m", "64Gi", "250M") as plain numbers: CPU in millicores,
// everything else in bytes/units. Enough of resource.Quantity for the scheduler's arithmetic.

const binary: Record<string, number> = {
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};
const decimal: Record<string, number> = {
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  '': 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
};

/** The quantity's value in base units (cores, bytes). Throws on text the API server would reject. */
export function parseQuantity(text: string | number): number {
  if (typeof text === 'number') return text;
  const match = /^([+-]?[0-9.]+(?:[eE][+-]?[0-9]+)?)([a-zA-Z]*)$/.exec(text.trim());
  if (!match)
    throw new RangeError(
      `quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$': ${text}`,
    );
  const value = Number(match[1]);
  const suffix = match[2] ?? '';
  const factor = binary[suffix] ?? decimal[suffix];
  if (factor === undefined || Number.isNaN(value))
    throw new RangeError(`unable to parse quantity's suffix: ${text}`);
  return value * factor;
}

/** CPU as whole millicores, the unit the scheduler compares in. */
export function milliCpu(text: string | number | undefined): number {
  return text === undefined ? 0 : Math.round(parseQuantity(text) * 1000);
}

export function bytes(text: string | number | undefined): number {
  return text === undefined ? 0 : Math.round(parseQuantity(text));
}
