/** Seeded choices for the fuzz: case `i` of seed `s` is the same whatever ran before it. */
import { rng } from '../../../local/generator';

export interface Rand {
  /** [0, 1) */
  next(): number;
  int(max: number): number;
  pick<T>(items: readonly T[]): T;
  chance(p: number): boolean;
}

/** MurmurHash3's finaliser: every input bit moves about half the output bits. */
function mix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

export function randFor(seed: number, index: number): Rand {
  // Mixed twice, so seed s + 1 is not seed s shifted by a few cases.
  const next = rng(mix(mix(seed >>> 0) ^ mix((index + 0x632be5ab) >>> 0)));
  const int = (max: number) => Math.floor(next() * max);
  return { next, int, pick: (items) => items[int(items.length)]!, chance: (p) => next() < p };
}
