// One seeded random source for the tests whose choices must follow from a seed (a failing run is
// replayed with the seed it printed).

/**
 * mulberry32: a small seeded generator, uniform in [0, 1).
 *
 * @param seed - any integer
 * @example
 * const next = seeded(42);
 * next(); // the same number every run with seed 42
 */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
