// Decides everything `init` will do before it does any of it: which files to create, which the
// project already has (kept), how package.json changes, and every reason to refuse. A refusal
// means nothing at all is written.
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { DesiredFile } from '../writer/plan.js';
import { existingSpecFiles } from './existing-spec.js';
import { templateFor } from './examples.js';
import { meshNameFor, packageNameFor } from './names.js';
import { mergePackageJson, newPackageJson, type PackageJsonChanges } from './package-json.js';
import type { MeshspecPackage } from '../package.js';
import { projectFiles } from './project-files.js';
import type { TryIt } from './template.js';

/** The spec folder init writes; `generate` and `dev` read it by default. */
export const SPEC_DIR = 'spec';

export interface InitOptions {
  /** The project folder, absolute; it need not exist yet. */
  root: string;
  /** `shop`, or undefined for the starter. */
  example: string | undefined;
  meshspec: MeshspecPackage;
}

export interface InitPlan {
  root: string;
  /** Files to create, project-relative, in the order they are reported. */
  create: DesiredFile[];
  /** package.json merged with what meshspec needs, when the project has one and it changes. */
  update: DesiredFile[];
  /** Files the project already has, left as they are, with what to check in them. */
  kept: { path: string; note: string | undefined }[];
  /** What happened to package.json: created, or merged (with what changed). */
  packageJson: { merged: false } | { merged: true; changes: PackageJsonChanges };
  tryIt: TryIt;
}

export type PlanResult = { ok: true; plan: InitPlan } | { ok: false; refusals: string[] };

/** Plans `init` in `options.root`. Reads the folder; writes nothing. */
export function planInit(options: InitOptions): PlanResult {
  const { root, meshspec } = options;
  const folder = path.basename(root);
  const template = templateFor(options.example, meshNameFor(folder), meshspec);
  const refusals: string[] = [];
  const create: DesiredFile[] = [];
  const update: DesiredFile[] = [];
  const kept: InitPlan['kept'] = [];
  const exists = (file: string) => existsSync(path.join(root, file));

  const specFiles = existingSpecFiles(root, SPEC_DIR);
  if (specFiles.length > 0) {
    const list = specFiles.join(', ');
    refusals.push(`${list} already ${specFiles.length === 1 ? 'exists' : 'exist'}: init writes a new spec and never writes over or beside one. Use this spec with \`meshspec generate\`, or move it away (or init into another folder) to start anew`);
  } else if (exists(SPEC_DIR) && !statSync(path.join(root, SPEC_DIR)).isDirectory()) {
    refusals.push(`${SPEC_DIR} is a file, where init puts the spec folder: rename it, or init into another folder`);
  }

  let packageJson: InitPlan['packageJson'] = { merged: false };
  if (exists('package.json')) {
    const merged = mergePackageJson(readFileSync(path.join(root, 'package.json'), 'utf8'), meshspec);
    if (!merged.ok) refusals.push(`package.json ${merged.problem}: fix it and run init again`);
    else {
      packageJson = { merged: true, changes: merged.changes };
      const { addedScripts, addedDependencies, typeWas } = merged.changes;
      if (addedScripts.length > 0 || addedDependencies.length > 0 || typeWas !== null) update.push({ path: 'package.json', content: merged.content });
    }
  } else {
    create.push({ path: 'package.json', content: newPackageJson(packageNameFor(folder), meshspec) });
  }

  for (const file of [...projectFiles(packageNameFor(folder), template.tryIt), ...template.files]) {
    if (!exists(file.path)) create.push({ path: file.path, content: file.content });
    else if (file.ifExists === 'keep') kept.push({ path: file.path, note: file.keptNote });
    else if (!file.path.startsWith(`${SPEC_DIR}/`)) {
      refusals.push(`${file.path} already exists and init would replace it: move it away, or init into another folder`);
    }
  }
  if (refusals.length > 0) return { ok: false, refusals };
  return { ok: true, plan: { root, create, update, kept, packageJson, tryIt: template.tryIt } };
}
