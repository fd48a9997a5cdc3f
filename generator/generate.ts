// `meshspec generate` as a function: compile the spec, emit every file, plan hook changes, then
// check or write. The CLI only prints what this returns.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { stampInputs, writeStamp, type StampInputs } from './cache/stamp.js';
import { emitAll } from './emit/index.js';
import { LayoutError } from './layout-error.js';
import { planHooks, type HookPlan, type HookVerdicts } from './hooks/index.js';
import { loadVerdicts, saveVerdicts } from './hooks/verdict-file.js';
import type { MeshModel } from './model/types.js';
import { outputPath, type ProjectLayout } from './naming/index.js';
import { compileSpec } from './pipeline.js';
import type { Diagnostic } from './language/diagnostics.js';
import { applyPlan } from './writer/apply.js';
import { withHeader } from './writer/header.js';
import { isEmptyPlan, planOutput, type DesiredFile, type OutputPlan } from './writer/plan.js';

export interface GenerateOptions {
  /** Project root; the other folders are relative to it. */
  root: string;
  specDir: string;
  outDir: string;
  hooksDir: string;
  /** Write nothing; report what differs. */
  check: boolean;
}

export type GenerateResult =
  | { ok: false; diagnostics: Diagnostic[] }
  | {
      ok: true;
      model: MeshModel;
      diagnostics: Diagnostic[];
      plan: OutputPlan;
      /** Notes on hook files (stubs added) and warnings (dropped endpoints, unparsable files). */
      hookChanges: string[];
      hookWarnings: string[];
      /** True when the tree on disk is what the spec produces (always true after a write). */
      upToDate: boolean;
      fileCount: number;
      lineCount: number;
    };

export async function generate(options: GenerateOptions): Promise<GenerateResult> {
  const { root, check } = options;
  const layout = projectLayout(options.outDir, options.hooksDir);
  // Read before the spec is: an edit made during the run then makes the stamp miss, never lie.
  const stamp = stampInputs(options);
  const compiled = await compileSpec(options.specDir, root);
  if (!compiled.model) return { ok: false, diagnostics: compiled.diagnostics };
  const model = compiled.model;

  // Verdicts on hook files spare ts-morph when nothing changed; they never change what is written.
  const stored = loadVerdicts(root, layout.hooksDir);
  const { desired, hooks } = renderProject(model, layout, {
    read: (file) => readOptional(path.join(root, file)),
    list: () => listTs(root, layout.hooksDir),
    listFolder: (folder) => listFiles(path.join(root, folder)),
    verdicts: stored?.verdicts,
  });
  const plan = await planOutput(root, layout.outDir, [...desired, ...hooks.writes]);
  const upToDate = isEmptyPlan(plan);
  if (!check && !upToDate) await applyPlan(root, plan);
  if (stored) saveVerdicts(stored);
  const result = {
    ok: true as const,
    model,
    diagnostics: compiled.diagnostics,
    plan,
    hookChanges: hooks.changes,
    hookWarnings: hooks.warnings,
    upToDate: check ? upToDate : true,
    fileCount: desired.length,
    lineCount: desired.reduce((n, f) => n + f.content.split('\n').length - 1, 0),
  };
  if (stamp) recordStamp(stamp, result, desired, hooks);
  return result;
}

/** A stamp for a run that leaves the project up to date with nothing but meshspec's files in the output folder. */
function recordStamp(stamp: StampInputs, result: Extract<GenerateResult, { ok: true }>, desired: DesiredFile[], hooks: HookPlan): void {
  if (!result.upToDate || result.plan.foreign.length > 0 || hooks.writes.length > 0) return;
  const { diagnostics, hookWarnings, fileCount, lineCount } = result;
  writeStamp(stamp, desired, { diagnostics, hookWarnings, fileCount, lineCount });
}

/** The hook files as they are on disk: project-relative paths in, content out. */
export interface ExistingHooks {
  read(file: string): string | undefined;
  /** The `.ts` files directly in the hooks folder. */
  list(): string[];
  /** Names of the files in a project-relative folder (a service's migrations); default none anywhere. */
  listFolder?: ((folder: string) => string[]) | undefined;
  /** Verdicts of earlier runs on hook files (updated to this run's); none means every file is read. */
  verdicts?: HookVerdicts | undefined;
}

/**
 * Every file a run wants, in memory: the output folder's files with their headers, and the hook
 * files to create or extend (given the ones that exist). Paths are relative to the project root.
 */
export function renderProject(model: MeshModel, layout: ProjectLayout, existing: ExistingHooks): { desired: DesiredFile[]; hooks: HookPlan } {
  const desired: DesiredFile[] = emitAll(model, { layout }).map((file) => ({
    path: outputPath(layout, file.path),
    content: withHeader(file, model.generatorVersion),
  }));
  const hooks = planHooks(model, {
    hooksDir: layout.hooksDir,
    generatedImport: toImport(path.posix.relative(layout.hooksDir, layout.outDir)),
    readExisting: existing.read,
    listExisting: existing.list,
    listFolder: existing.listFolder,
    verdicts: existing.verdicts,
  });
  return { desired, hooks };
}

/** The folders asked for, normalized, or a LayoutError saying why they cannot work. */
export function projectLayout(outDir: string, hooksDir: string): ProjectLayout {
  const out = normalize(outDir);
  const hooks = normalize(hooksDir);
  if (out === '') throw new LayoutError(`${outDir}: the output folder must be a folder inside the project, not the project itself`);
  if (hooks === out || hooks.startsWith(`${out}/`)) {
    throw new LayoutError(`the hooks folder (${hooks}) must not be inside the output folder (${out}): generated files are replaced, hooks are yours`);
  }
  return { outDir: out, hooksDir: hooks };
}

/** A project-relative folder with `/`, without `./` or a trailing slash; `` for the project root. */
function normalize(dir: string): string {
  const clean = path.posix.normalize(dir.split(path.sep).join('/')).replace(/\/$/, '');
  if (clean.startsWith('..') || path.posix.isAbsolute(clean)) {
    throw new LayoutError(`${dir}: folders must be inside the project (the current folder)`);
  }
  return clean === '.' ? '' : clean;
}

function toImport(relative: string): string {
  return relative.startsWith('.') ? relative : `./${relative}`;
}

function readOptional(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

function listTs(root: string, dir: string): string[] {
  try {
    return readdirSync(path.join(root, dir)).filter((n) => n.endsWith('.ts')).sort().map((n) => (dir === '' ? n : `${dir}/${n}`));
  } catch {
    return [];
  }
}

/** Names of the entries of `dir`; none when it is no folder. */
function listFiles(dir: string): string[] {
  try {
    return readdirSync(dir).sort();
  } catch {
    return [];
  }
}
