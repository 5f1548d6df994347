// Ordering of resourceVersions, for handing a namespace from one reflector to another. The API
// conventions long said to compare them for equality only; Kubernetes 1.34 (KEP-5504) made them
// comparable: decimal integers without leading zeros, ordered by length, then digit by digit,
// which is what every etcd-backed apiserver (and the demo) has always sent. Anything else is
// "not comparable", and callers must then fall back to a path that needs no order.

const DECIMAL = /^[1-9][0-9]*$/;

/** <0, 0, >0 as `a` is older than, equal to, or newer than `b`; undefined when either is opaque. */
export function compareResourceVersions(a: string, b: string): number | undefined {
  if (!DECIMAL.test(a) || !DECIMAL.test(b)) return undefined;
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}
