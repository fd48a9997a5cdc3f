// Runs many generated specs through the valid-spec checks and lists every problem found, without
// stopping at the first or shrinking: for hunting bugs in longer runs. The property tests are the
// regression net; this is the search light.
//   npx tsx test/property/explore.ts [count=50] [seed=1]
// Problems are printed one per line with the project they came from (kept under .tmp/ for a look).
import fc from 'fast-check';
import { renderSpec } from './arbitraries/render.js';
import { validSpec } from './arbitraries/spec.js';
import { checkSpec, typecheckProjects, type SpecOutcome } from './support/check-spec.js';

const count = Number(process.argv[2] ?? 50);
const seed = Number(process.argv[3] ?? 1);
const started = Date.now();
const outcomes: SpecOutcome[] = [];
for (const [i, plan] of fc.sample(validSpec, { numRuns: count, seed }).entries()) {
  const outcome = await checkSpec(plan, renderSpec(plan));
  outcomes.push(outcome);
  for (const problem of outcome.problems) console.log(`#${i} ${outcome.project.root}: ${problem}`);
}
const accepted = outcomes.filter((o) => o.accepted);
const { byProject, shared } = typecheckProjects(accepted.map((o) => o.project));
for (const line of shared) console.log(`type error outside the generated code: ${line}`);
for (const lines of byProject.values()) for (const line of lines) console.log(`type error: ${line}`);
for (const outcome of outcomes) {
  if (outcome.problems.length === 0 && (byProject.get(outcome.project) ?? []).length === 0) await outcome.project.remove();
}
console.log(`seed ${seed}: ${count} specs, ${accepted.length} accepted, ${((Date.now() - started) / 1000).toFixed(1)} s`);
