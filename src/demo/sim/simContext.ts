// What every simulated component shares: the store it reads and writes, simulated time, the
// event recorder, and a random source (seeded in tests so that names are repeatable).
import type { Clock } from '../clock';
import type { ObjectStore } from '../objectStore';
import type { EventRecorder } from './eventRecorder';
import type { OwnerIndex } from './ownerIndex';

export interface SimContext {
  store: ObjectStore;
  clock: Clock;
  events: EventRecorder;
  random: () => number;
  owners: OwnerIndex;
}

/** mulberry32: a small seeded generator for repeatable names in tests. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
