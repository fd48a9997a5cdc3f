// Hook files: the user's code behind each service. meshspec creates one per service once, then
// only appends stubs for what the spec added and warns about what it dropped. Planning is pure:
// files are read through `readExisting` and written by the caller (the writer), all at once.
import type { MeshModel } from '../model/types.js';
import { createHookFile } from './create.js';
import { evolveHookFile } from './evolve.js';
import { hookPath } from './names.js';
import { orphanWarnings } from './orphans.js';
import { createParser } from './parse.js';

export interface HookPlan {
  /** Files to create or rewrite, path relative to the PROJECT root (e.g. 'hooks/users.ts'), full content. */
  writes: { path: string; content: string }[];
  /** Human-readable notes, e.g. "hooks/users.ts: added stub for endpoint `archiveUser`". */
  changes: string[];
  /** Things the user should look at: dropped members, files meshspec could not read or does not own. */
  warnings: string[];
}

export interface HookOptions {
  /** The hooks folder, relative to the project root, e.g. `hooks`. */
  hooksDir: string;
  /** Import path of the output folder as seen from the hooks folder, e.g. `../generated`. */
  generatedImport: string;
  /** Content of a project-relative path, or undefined when there is no such file. */
  readExisting: (path: string) => string | undefined;
  /** Project-relative paths of the files in the hooks folder (others are ignored). */
  listExisting: () => string[];
}

export function planHooks(model: MeshModel, options: HookOptions): HookPlan {
  const parse = createParser();
  const plan: HookPlan = { writes: [], changes: [], warnings: [] };
  for (const service of model.services) {
    const path = hookPath(options.hooksDir, service.name);
    const text = options.readExisting(path);
    if (text === undefined) {
      plan.writes.push({ path, content: createHookFile(model, service, options.generatedImport) });
      const handlers = service.subscribes.length ? ` and ${service.subscribes.length} event handler(s)` : '';
      plan.changes.push(`${path}: created with stubs for ${service.endpoints.length} endpoint(s)${handlers}`);
      continue;
    }
    const outcome = evolveHookFile({ path, text, model, service, generatedImport: options.generatedImport, parse });
    if (outcome.content !== undefined) plan.writes.push({ path, content: outcome.content });
    plan.changes.push(...outcome.changes);
    plan.warnings.push(...outcome.warnings);
  }
  plan.warnings.push(
    ...orphanWarnings({
      model,
      hooksDir: options.hooksDir,
      files: options.listExisting(),
      read: options.readExisting,
      parse,
    }),
  );
  return plan;
}
