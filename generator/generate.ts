// `meshspec generate` as a function: compile the spec, emit every file, plan hook changes, then
// check or write. The CLI only prints what this returns.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { emitAll } from './emit/index.js';
import { LayoutError } from './layout-error.js';
import { planHooks } from './hooks/index.js';
import type { MeshModel } from './model/types.js';
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
  const outDir = normalize(options.outDir);
  const hooksDir = normalize(options.hooksDir);
  if (hooksDir === outDir || hooksDir.startsWith(`${outDir}/`)) {
    throw new LayoutError(`the hooks folder (${hooksDir}) must not be inside the output folder (${outDir}): generated files are replaced, hooks are yours`);
  }
  const compiled = await compileSpec(options.specDir, root);
  if (!compiled.model) return { ok: false, diagnostics: compiled.diagnostics };
  const model = compiled.model;

  const hooksImport = toImport(path.posix.relative(outDir, hooksDir));
  const emitted = emitAll(model, { hooksImport });
  const desired: DesiredFile[] = emitted.map((file) => ({ path: `${outDir}/${file.path}`, content: withHeader(file, model.generatorVersion) }));

  const hooks = planHooks(model, {
    hooksDir,
    generatedImport: toImport(path.posix.relative(hooksDir, outDir)),
    readExisting: (file) => readOptional(path.join(root, file)),
    listExisting: () => listTs(root, hooksDir),
  });
  const plan = await planOutput(root, outDir, [...desired, ...hooks.writes]);
  const upToDate = isEmptyPlan(plan);
  if (!check && !upToDate) await applyPlan(root, plan);
  return {
    ok: true,
    model,
    diagnostics: compiled.diagnostics,
    plan,
    hookChanges: hooks.changes,
    hookWarnings: hooks.warnings,
    upToDate: check ? upToDate : true,
    fileCount: desired.length,
    lineCount: desired.reduce((n, f) => n + f.content.split('\n').length - 1, 0),
  };
}

function normalize(dir: string): string {
  const clean = path.posix.normalize(dir.split(path.sep).join('/')).replace(/\/$/, '');
  if (clean.startsWith('..') || path.posix.isAbsolute(clean)) {
    throw new LayoutError(`${dir}: folders must be inside the project (the current folder)`);
  }
  return clean;
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
    return readdirSync(path.join(root, dir)).filter((n) => n.endsWith('.ts')).sort().map((n) => `${dir}/${n}`);
  } catch {
    return [];
  }
}
