// Seeded randomness for the fuzz and soak runs: the same seed gives the same run on every machine.
import { seededRandom } from '../src/demo/sim/simContext';

/** mulberry32 (the demo's own seeded generator): floats in [0, 1), the same sequence everywhere. */
export const prng = seededRandom;

/** A generator seeded from a run seed and an index, so one item of a run replays on its own. */
export function prngAt(seed: number, index: number): () => number {
  return prng(Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(index + 1, 0xc2b2ae35));
}

/** Helpers over one generator. */
export class Rand {
  constructor(readonly next: () => number) {}
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)] as T;
  }
}

/** A seed from --seed N on the command line, else a fresh one (printed by the caller). */
export function seedFromArgs(argv: readonly string[]): number {
  const at = argv.indexOf('--seed');
  const given = at >= 0 ? Number(argv[at + 1]) : NaN;
  return Number.isInteger(given) ? given >>> 0 : (Math.random() * 2 ** 32) >>> 0;
}

/** The number after a flag, or the default. */
export function numberArg(argv: readonly string[], flag: string, fallback: number): number {
  const at = argv.indexOf(flag);
  const given = at >= 0 ? Number(argv[at + 1]) : NaN;
  return Number.isFinite(given) ? given : fallback;
}
