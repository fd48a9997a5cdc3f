// A generated spec as a project on disk: the spec folder written under the repository's .tmp/ (so
// `meshspec/runtime` resolves by package self-reference), then `generate` run into it as the CLI does.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { generate, type GenerateResult } from '../../../generator/generate.js';
import type { SpecFiles } from '../arbitraries/plan.js';
import { tempProject, type TempProject } from '../../support/project.js';

export async function specProject(files: SpecFiles): Promise<TempProject> {
  const project = await tempProject('property', []);
  for (const [file, text] of Object.entries(files)) {
    const target = project.file(path.join('spec', file));
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, text);
  }
  return project;
}

export function generateInto(project: TempProject): Promise<GenerateResult> {
  return generate({ root: project.root, specDir: 'spec', outDir: 'generated', hooksDir: 'hooks', check: false });
}
