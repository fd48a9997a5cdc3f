// Hook files: the user's code behind each service. meshspec creates one per service once, then
// only appends stubs for what the spec added and warns about what it dropped. Planning is pure:
// files are read through `readExisting` and written by the caller (the writer), all at once.
// Reading an existing file takes ts-morph; it is loaded only for a file no verdict answers for.
import type { MeshModel } from '../model/types.js';
import { compensationsOf, hookedEndpoints } from '../model/lookup.js';
import { createHookFile } from './create.js';
import { evolveHookFile } from './evolve.js';
import { plannedMigrations } from './migrations.js';
import { hookPath } from './names.js';
import { andList } from './objects.js';
import { orphanCandidates, orphanWarnings } from './orphans.js';
import { createParser, type ParseResult } from './parse.js';
import { serviceFallbacks } from './stubs.js';
import { expectation, orphanExpectation, VerdictMemory, type HookVerdicts } from './verdicts.js';

export type { HookVerdict, HookVerdicts } from './verdicts.js';

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
  /**
   * Names of the files in a project-relative folder, none when there is no such folder: a service's
   * migrations folder gets a starter migration only while it holds no `.sql` file. Default: none anywhere.
   */
  listFolder?: ((folder: string) => string[]) | undefined;
  /**
   * What earlier runs concluded about files they left as they were; read, and updated in place to
   * this run's. A file whose text and expectations match its verdict is not read again.
   */
  verdicts?: HookVerdicts | undefined;
}

export function planHooks(model: MeshModel, options: HookOptions): HookPlan {
  const parse = lazyParser();
  const memory = options.verdicts && new VerdictMemory(options.verdicts);
  const plan: HookPlan = { writes: [], changes: [], warnings: [] };
  for (const service of model.services) {
    const path = hookPath(options.hooksDir, service.name);
    const text = options.readExisting(path);
    if (text === undefined) {
      const fallbacks = serviceFallbacks(service);
      const compensations = compensationsOf(model, service.name);
      plan.writes.push({ path, content: createHookFile(model, service, options.generatedImport) });
      const counts = [
        `${hookedEndpoints(service).length} endpoint(s)`,
        ...(service.subscribes.length ? [`${service.subscribes.length} event handler(s)`] : []),
        ...(compensations.length ? [`${compensations.length} compensation(s)`] : []),
        ...(fallbacks.length ? [`${fallbacks.length} fallback(s)`] : []),
        ...(service.healthChecks.length ? [`${service.healthChecks.length} readiness check(s)`] : []),
      ];
      const routes = service.extraRoutes ? ', and an empty `routes` list' : '';
      plan.changes.push(`${path}: created with stubs for ${andList(counts)}${routes}`);
      continue;
    }
    const expects = memory ? expectation(memory.generator, model, service, path, options.generatedImport) : '';
    const known = memory?.recall(path, text, expects);
    if (known) {
      plan.warnings.push(...known);
      continue;
    }
    const outcome = evolveHookFile({ path, text, model, service, generatedImport: options.generatedImport, parse });
    if (outcome.content !== undefined) plan.writes.push({ path, content: outcome.content });
    else if (outcome.changes.length === 0) memory?.remember(path, text, expects, outcome.warnings);
    plan.changes.push(...outcome.changes);
    plan.warnings.push(...outcome.warnings);
  }
  for (const migration of plannedMigrations(model.services, options.hooksDir, options.listFolder ?? (() => []))) {
    plan.writes.push(migration);
    plan.changes.push(`${migration.path}: created, the first migration of the service's database (comments only)`);
  }
  for (const file of orphanCandidates(model, options.hooksDir, options.listExisting())) {
    const text = options.readExisting(file);
    if (text === undefined) continue;
    const expects = memory ? orphanExpectation(memory.generator, file) : '';
    const known = memory?.recall(file, text, expects);
    const warnings = known ?? orphanWarnings(file, parse(text));
    if (!known) memory?.remember(file, text, expects, warnings);
    plan.warnings.push(...warnings);
  }
  memory?.finish();
  return plan;
}

/** A parser made on its first use, so that a run that reads no hook file never loads ts-morph. */
function lazyParser(): (text: string) => ParseResult {
  let parser: ((text: string) => ParseResult) | undefined;
  return (text) => (parser ??= createParser())(text);
}
