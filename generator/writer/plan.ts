// Compares what the generator wants on disk with what is there: the basis of both `--check` and writing.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { inBatches } from './batches.js';
import { isGenerated } from './header.js';

export interface DesiredFile {
  /** Path relative to the project root, with `/`. */
  path: string;
  content: string;
}

export interface OutputPlan {
  create: DesiredFile[];
  update: DesiredFile[];
  /** Generated files (they carry the header) the spec no longer produces. */
  remove: string[];
  /** Files in the output folder that meshspec did not write: never deleted, reported. */
  foreign: string[];
  unchanged: number;
}

/**
 * @param root project root all paths are relative to
 * @param outDir output folder (relative to root): every file in it is either desired, or generated and stale, or foreign
 * @param desired every file the run wants, in the output folder and elsewhere (hook files)
 */
export async function planOutput(root: string, outDir: string, desired: DesiredFile[]): Promise<OutputPlan> {
  const plan: OutputPlan = { create: [], update: [], remove: [], foreign: [], unchanged: 0 };
  const wanted = new Set(desired.map((f) => f.path));
  const contents = await inBatches(desired, (file) => readText(path.join(root, file.path)));
  for (const [i, file] of desired.entries()) {
    const current = contents[i];
    if (current === undefined) plan.create.push(file);
    else if (current !== file.content) plan.update.push(file);
    else plan.unchanged++;
  }
  for (const existing of await listFiles(root, outDir)) {
    if (wanted.has(existing)) continue;
    const content = await readText(path.join(root, existing));
    if (content !== undefined && isGenerated(content)) plan.remove.push(existing);
    else plan.foreign.push(existing);
  }
  plan.remove.sort();
  plan.foreign.sort();
  return plan;
}

export function isEmptyPlan(plan: OutputPlan): boolean {
  return plan.create.length === 0 && plan.update.length === 0 && plan.remove.length === 0;
}

async function readText(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Files below `dir` (relative to root), relative to root, with `/`; none when it does not exist. */
async function listFiles(root: string, dir: string): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(path.join(root, dir), { withFileTypes: true, recursive: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.relative(root, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
    .sort();
}
