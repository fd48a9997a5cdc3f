// The promise for one spec, as a list of broken parts: if `validate` rejects it, every diagnostic is
// positioned; if it accepts it, `generate` succeeds and the output builds, lints, loads and serves.
// Type-checking is left to the caller, who batches it (one TypeScript program for many specs).
import { formatDiagnostic } from '../../../generator/language/diagnostics.js';
import { compileSpec } from '../../../generator/pipeline.js';
import type { TempProject } from '../../support/project.js';
import { tsFilesIn, typecheckAsConsumer } from '../../support/typecheck.js';
import type { SpecFiles, SpecPlan } from '../arbitraries/plan.js';
import { misplacedDiagnostics } from './diagnostics.js';
import { kubernetesProblems, openApiProblems, protoProblems } from './outputs.js';
import { servingProblems } from './serving.js';
import { generateInto, specProject } from './spec-project.js';

export interface SpecOutcome {
  /** True when `validate` accepted the spec. */
  accepted: boolean;
  /** Codes of the errors when it was rejected. */
  rejectedWith: string[];
  problems: string[];
  /** The project, still on disk when accepted: the caller type-checks it, then removes it. */
  project: TempProject;
}

export async function checkSpec(plan: SpecPlan, files: SpecFiles): Promise<SpecOutcome> {
  const project = await specProject(files);
  const compiled = await compileSpec('spec', project.root);
  const errors = compiled.diagnostics.filter((d) => d.severity === 'error');
  if (!compiled.model) {
    return { accepted: false, rejectedWith: errors.map((d) => d.code), problems: misplacedDiagnostics(compiled.diagnostics, files, 'spec'), project };
  }
  const problems = misplacedDiagnostics(compiled.diagnostics, files, 'spec');
  let written: string[];
  try {
    const result = await generateInto(project);
    if (!result.ok) return { accepted: true, rejectedWith: [], problems: [`generate reports errors validate did not: ${result.diagnostics.map(formatDiagnostic).join('; ')}`], project };
    written = [...(await project.snapshot('generated')).keys()];
  } catch (error) {
    return { accepted: true, rejectedWith: [], problems: [`generate failed: ${(error as Error).stack ?? String(error)}`], project };
  }
  problems.push(...(await protoProblems(project, written)));
  problems.push(...(await openApiProblems(project, written)));
  problems.push(...(await kubernetesProblems(project, written)));
  // A library warning on the console while the stack starts and serves is a problem too (services log
  // through pino; nothing else should write there).
  const warnings: string[] = [];
  const warn = console.warn;
  console.warn = (...args: unknown[]) => void warnings.push(args.map(String).join(' '));
  try {
    problems.push(...(await servingProblems(project, plan)));
  } catch (error) {
    problems.push(`serving failed: ${(error as Error).stack ?? String(error)}`);
  } finally {
    console.warn = warn;
  }
  problems.push(...warnings.map((w) => `warned while serving: ${w}`));
  return { accepted: true, rejectedWith: [], problems, project };
}

/** The TypeScript a project holds: generated code and the hook stubs `generate` created. */
export function projectSources(project: TempProject): string[] {
  return tsFilesIn(project.file('generated'), project.file('hooks'));
}

/**
 * Type-checks many projects in one program (the runtime is checked once) and returns each one's
 * diagnostics; diagnostics in no project's files (the runtime's) are listed under `shared`.
 */
export function typecheckProjects(projects: readonly TempProject[]): { byProject: Map<TempProject, string[]>; shared: string[] } {
  const diagnostics = typecheckAsConsumer(projects.flatMap(projectSources));
  const byProject = new Map(projects.map((p) => [p, [] as string[]]));
  const shared: string[] = [];
  for (const line of diagnostics) {
    const owner = projects.find((p) => line.startsWith(`${relativeToRepo(p)}/`));
    if (owner) byProject.get(owner)!.push(line);
    else shared.push(line);
  }
  return { byProject, shared };
}

function relativeToRepo(project: TempProject): string {
  return project.root.slice(project.root.indexOf('.tmp/'));
}
