// Specs the valid-spec property found broken, shrunk and fixed here for good: each validates, and
// its output type-checks as a strict consumer, passes buf, protobufjs, OpenAPI and Kubernetes
// validation, and serves (test/property/support/check-spec.ts). Specs that should have been
// rejected live in test/golden/errors instead. All cases share one TypeScript program.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSpecFolder } from './arbitraries/read.js';
import { checkSpec, typecheckProjects, type SpecOutcome } from './support/check-spec.js';

const root = path.join(import.meta.dirname, 'counterexamples');
const cases = readdirSync(root).sort();
const outcomes = new Map<string, SpecOutcome>();
let typeErrors: { byProject: Map<unknown, string[]>; shared: string[] };

beforeAll(async () => {
  for (const name of cases) {
    const { files, plan } = readSpecFolder(path.join(root, name, 'spec'));
    outcomes.set(name, await checkSpec(plan, files));
  }
  typeErrors = typecheckProjects([...outcomes.values()].filter((o) => o.accepted).map((o) => o.project));
}, 300_000);

afterAll(async () => {
  await Promise.all([...outcomes.values()].map((o) => o.project.remove()));
});

describe('counterexamples of the valid-spec property', () => {
  it('leave the runtime without type errors', () => {
    expect(typeErrors.shared).toEqual([]);
  });

  it.each(cases)('%s validates, generates, compiles, lints, loads and serves', (name) => {
    const outcome = outcomes.get(name)!;
    expect(outcome.rejectedWith).toEqual([]);
    expect([...outcome.problems, ...(typeErrors.byProject.get(outcome.project) ?? [])]).toEqual([]);
  });
});
