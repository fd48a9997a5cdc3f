// Applies an output plan as one transaction, so that a failure leaves the tree exactly as it was:
// (each step a few dozen files at a time, every one settled before the next step or a roll-back)
// 1. every new content is written to a temporary file beside its target;
// 2. every file about to be replaced is hard-linked to a backup;
// 3. temporaries are renamed into place (atomic per file);
// 4. only then are backups dropped and stale generated files removed.
// A failure in 1-3 removes the temporaries and new folders and puts the backups back.
import { link, mkdir, rename, rm, rmdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { inBatches } from './batches.js';
import type { OutputPlan } from './plan.js';

interface Step {
  target: string;
  content: string;
  /** True when the target exists and is being replaced (so it gets a backup). */
  replaces: boolean;
  /** Set once written. */
  temp: string | null;
  /** Set once linked. */
  backup: string | null;
  /** True once renamed into place. */
  done: boolean;
}

/** The file operations applyPlan uses; tests replace one to make it fail at a chosen point. */
export const fileOps = { link, mkdir, rename, rm, writeFile };

export async function applyPlan(root: string, plan: OutputPlan, ops: typeof fileOps = fileOps): Promise<void> {
  const { link, mkdir, rename, rm, writeFile } = ops;
  const steps: Step[] = [];
  const createdDirs: string[] = [];
  const suffix = `meshspec-${process.pid}`;
  const aside = (target: string, kind: string) => path.join(path.dirname(target), `.${path.basename(target)}.${suffix}.${kind}`);
  try {
    const step = (file: { path: string; content: string }, replaces: boolean): Step =>
      ({ target: path.join(root, file.path), content: file.content, replaces, temp: null, backup: null, done: false });
    steps.push(...plan.create.map((f) => step(f, false)), ...plan.update.map((f) => step(f, true)));
    await inBatches(steps, async (s) => {
      const created = await mkdir(path.dirname(s.target), { recursive: true });
      if (created !== undefined) createdDirs.push(created);
      const temp = aside(s.target, 'tmp');
      await writeFile(temp, s.content, 'utf8');
      s.temp = temp;
      if (s.replaces) {
        const backup = aside(s.target, 'bak');
        await link(s.target, backup);
        s.backup = backup;
      }
    });
    await inBatches(steps, async (s) => {
      await rename(s.temp!, s.target);
      s.temp = null;
      s.done = true;
    });
  } catch (error) {
    await rollBack(steps, createdDirs, ops);
    throw error;
  }
  await Promise.all(steps.map((s) => (s.backup ? rm(s.backup, { force: true }) : undefined)));
  for (const file of plan.remove) {
    const target = path.join(root, file);
    await rm(target, { force: true });
    await removeEmptyParents(root, path.dirname(target));
  }
}

async function rollBack(steps: Step[], createdDirs: string[], { rename, rm }: typeof fileOps): Promise<void> {
  for (const step of steps) {
    if (step.temp) await rm(step.temp, { force: true });
    if (step.done && step.backup) await rename(step.backup, step.target); // put the old content back
    else if (step.done) await rm(step.target, { force: true }); // a file that did not exist before
    else if (step.backup) await rm(step.backup, { force: true });
  }
  // Folders made for new files held nothing else.
  await Promise.all(createdDirs.map((dir) => rm(dir, { recursive: true, force: true })));
}

/** Removes folders emptied by deletions, up to (not including) the project root. */
async function removeEmptyParents(root: string, dir: string): Promise<void> {
  let current = dir;
  while (current.startsWith(root) && current !== root) {
    try {
      await rmdir(current);
    } catch {
      return; // not empty (or gone): stop climbing
    }
    current = path.dirname(current);
  }
}
