// Property: every spec `validate` accepts generates, and the output compiles, lints, loads and
// serves; every spec it rejects gets only positioned diagnostics. The specs are random but valid by
// construction (test/property/arbitraries), so a rejection is rare and its codes are printed.
//
// Type-checking is batched: one TypeScript program for all accepted specs (the runtime is checked
// once). A spec whose code does not type-check is then replayed alone from its seed and path, so
// fast-check shrinks it like any other counterexample.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuildIsCurrent } from '../support/build.js';
import type { TempProject } from '../support/project.js';
import type { SpecFiles, SpecPlan } from './arbitraries/plan.js';
import { renderSpec } from './arbitraries/render.js';
import { validSpec } from './arbitraries/spec.js';
import { checkSpec, typecheckProjects } from './support/check-spec.js';
import { propertySettings, runSummary, specText, timeoutFor } from './support/settings.js';

// npm test: 15 specs (the whole pipeline per spec: generate, serve, and a batched type-check); `npm
// run test:properties` checks 45 or PROPERTY_RUNS.
const settings = propertySettings({ seed: 20_240_509, runs: 15 });
const kept: TempProject[] = [];

// The generated code is type-checked as a consumer's, whose `meshspec/runtime` resolves to dist/'s
// declarations. Without a current build every spec would fail that check, and fast-check would
// shrink the first one through minutes of silent replays: fail at once instead.
beforeAll(() => assertBuildIsCurrent('the consumer type-check of generated code'));

afterAll(async () => {
  await Promise.all(kept.map((p) => p.remove()));
});

/** The problems of one spec, type-checked on its own (for the replay of a type-check failure). */
async function problemsAlone(plan: SpecPlan): Promise<{ files: SpecFiles; problems: string[] }> {
  const files = renderSpec(plan);
  const outcome = await checkSpec(plan, files);
  try {
    if (!outcome.accepted) return { files, problems: outcome.problems };
    const { byProject, shared } = typecheckProjects([outcome.project]);
    return { files, problems: [...outcome.problems, ...shared, ...(byProject.get(outcome.project) ?? [])] };
  } finally {
    await outcome.project.remove();
  }
}

describe('specs that validate', () => {
  it('generate code that type-checks as a strict consumer, protos buf accepts, valid OpenAPI and Kubernetes, and services that serve', async () => {
    const started = Date.now();
    const accepted: { run: number; project: TempProject }[] = [];
    const rejections = new Map<string, number>();
    let tried = 0;

    await fc.assert(
      fc.asyncProperty(validSpec, async (plan) => {
        const run = tried++;
        const files = renderSpec(plan);
        const outcome = await checkSpec(plan, files);
        if (!outcome.accepted) {
          for (const code of new Set(outcome.rejectedWith)) rejections.set(code, (rejections.get(code) ?? 0) + 1);
          await outcome.project.remove();
        } else if (outcome.problems.length === 0) {
          accepted.push({ run, project: outcome.project });
          kept.push(outcome.project);
        } else {
          await outcome.project.remove();
        }
        expect(outcome.problems, specText(files)).toEqual([]);
      }),
      // In npm test the first failing spec is reported whole at once: shrinking it runs the whole
      // pipeline per step and outlived the test's timeout in CI, leaving no message at all. `npm run
      // test:properties` (PROPERTY_RUNS set) shrinks it to the smallest spec.
      { seed: settings.seed, numRuns: settings.runs, endOnFailure: process.env.PROPERTY_RUNS === undefined },
    );

    const { byProject, shared } = typecheckProjects(accepted.map((a) => a.project));
    expect(shared, 'diagnostics outside any generated project (the runtime)').toEqual([]);
    const failing = accepted.find((a) => (byProject.get(a.project) ?? []).length > 0);
    if (failing) {
      // Replays that run alone from the same seed, so fast-check shrinks it and reports the smallest spec.
      await fc.assert(
        fc.asyncProperty(validSpec, async (plan) => {
          const { files, problems } = await problemsAlone(plan);
          expect(problems, specText(files)).toEqual([]);
        }),
        { seed: settings.seed, path: String(failing.run) },
      );
      expect.unreachable(`spec #${failing.run} did not type-check in the batch but did alone:\n${byProject.get(failing.project)!.join('\n')}`);
    }

    const rejected = [...rejections].map(([code, n]) => `${code} x${n}`).join(', ');
    console.log(runSummary('valid specs', settings, tried, Date.now() - started, `; ${accepted.length} accepted${rejected ? `, rejected: ${rejected}` : ''}`));
    // The arbitraries build valid specs; rejections come from names they pick to test the clash checks.
    expect(accepted.length).toBeGreaterThanOrEqual(tried * 0.6);
  }, timeoutFor(settings));
});
