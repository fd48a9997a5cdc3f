// A valid spec printed by hand, with one mistake from the catalog applied to it.
import type fc from 'fast-check';
import { built } from '../arbitraries/choose.js';
import type { SpecPlan } from '../arbitraries/plan.js';
import { renderSpec } from '../arbitraries/render.js';
import { renderByHandWithPositions } from '../arbitraries/render-hand.js';
import { buildSpec } from '../arbitraries/spec.js';
import { MUTATORS, type Mutation } from './catalog.js';

export interface MutatedSpec {
  plan: SpecPlan;
  /** The spec folder before the mistake. */
  base: Record<string, string>;
  mutation: Mutation;
}

/** A spec with one mistake of one of `kinds` (keys of MUTATORS); null when the spec offers no place for any. */
export function mutatedSpec(kinds: readonly string[]): fc.Arbitrary<MutatedSpec | null> {
  return built((choose) => {
    const plan = buildSpec(choose);
    plan.style = { kind: 'hand', indent: choose.pick([2, 4] as const), flowFields: choose.chance(0.5), comments: choose.chance(0.3) };
    const base = renderSpec(plan);
    const rendered = renderByHandWithPositions(plan, plan.style);
    const first = choose.int(0, kinds.length - 1);
    for (let i = 0; i < kinds.length; i++) {
      const mutator = MUTATORS[kinds[(first + i) % kinds.length]!];
      if (!mutator) throw new Error(`no mutation ${kinds[(first + i) % kinds.length]}`);
      const mutation = mutator({ plan, rendered }, choose);
      if (mutation) return { plan, base, mutation };
    }
    return null;
  });
}
