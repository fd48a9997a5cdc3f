// The arbitraries build a spec step by step, each choice depending on the ones before (a field may
// only refer to a type that exists). `Choose` is that step: a thin layer over fast-check's `fc.gen()`
// so that every choice is recorded, replayed from the seed and shrunk by fast-check.
import fc from 'fast-check';

export interface Choose {
  /** An integer in [min, max]. */
  int(min: number, max: number): number;
  /** True with probability `p` (approximately: fast-check biases towards small values). */
  chance(p: number): boolean;
  /** One of `items` (not empty). */
  pick<T>(items: readonly T[]): T;
  /** Some of `items`, in their order, at most `max`. */
  some<T>(items: readonly T[], max?: number): T[];
  /** A value of any arbitrary. */
  from<T>(arbitrary: fc.Arbitrary<T>): T;
}

export function chooserOf(g: fc.GeneratorValue): Choose {
  const from = <T>(arbitrary: fc.Arbitrary<T>): T => g(() => arbitrary);
  return {
    int: (min, max) => g(uniform, min, max),
    // Shrinks towards `false`: a counterexample loses the optional parts first.
    chance: (p) => g(uniform, 0, 999) >= 1000 - Math.round(p * 1000),
    // Shrinks towards the first item: pools list the ordinary names first.
    pick: (items) => {
      if (items.length === 0) throw new Error('pick from an empty list');
      return items[g(uniform, 0, items.length - 1)]!;
    },
    some: (items, max = items.length) => {
      if (items.length === 0) return [];
      const flags = g(fc.array, fc.boolean(), { minLength: items.length, maxLength: items.length });
      return items.filter((_, i) => flags[i]).slice(0, max);
    },
    from,
  };
}

/** Integers without fast-check's bias towards small ones, so that `chance(p)` means p; shrinks towards min. */
function uniform(min: number, max: number): fc.Arbitrary<number> {
  return fc.noBias(fc.integer({ min, max }));
}

/** The arbitrary of whatever `build` makes from a chooser. */
export function built<T>(build: (choose: Choose) => T): fc.Arbitrary<T> {
  return fc.gen().map((g) => build(chooserOf(g)));
}
