// A SpecPlan as the text of its spec folder, in the plan's style. The text is read back with the
// `yaml` package and compared with the plan, so a renderer bug shows up as such and is never taken
// for a finding about meshspec.
import { isDeepStrictEqual } from 'node:util';
import { parse } from 'yaml';
import { specDocuments } from './documents.js';
import type { SpecFiles, SpecPlan } from './plan.js';
import { renderByHand } from './render-hand.js';
import { renderWithYaml } from './render-yaml.js';

export function renderSpec(plan: SpecPlan): SpecFiles {
  const files = plan.style.kind === 'yaml' ? renderWithYaml(plan, plan.style) : renderByHand(plan, plan.style);
  for (const { file, data } of specDocuments(plan)) {
    let back: unknown;
    try {
      back = parse(files[file]!);
    } catch (error) {
      throw new Error(`test renderer bug: ${file} (${plan.style.kind}) is not YAML (${(error as Error).message}):\n${files[file]}`);
    }
    if (!isDeepStrictEqual(back, data)) {
      throw new Error(`test renderer bug: ${file} (${plan.style.kind}) does not read back as written:\n${files[file]}`);
    }
  }
  return files;
}
