// Applies an output plan so that a failure leaves the tree as it was: every new content is first
// written to a temporary file beside its target; only when all of them are on disk are they renamed
// into place (rename is atomic per file), and only then are stale generated files removed.
import { mkdir, rename, rm, rmdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { OutputPlan } from './plan.js';

export async function applyPlan(root: string, plan: OutputPlan): Promise<void> {
  const staged: { temp: string; target: string }[] = [];
  const createdDirs: string[] = [];
  try {
    for (const file of [...plan.create, ...plan.update]) {
      const target = path.join(root, file.path);
      const temp = path.join(path.dirname(target), `.${path.basename(target)}.meshspec-${process.pid}.tmp`);
      const created = await mkdir(path.dirname(target), { recursive: true });
      if (created !== undefined) createdDirs.push(created);
      staged.push({ temp, target });
      await writeFile(temp, file.content, 'utf8');
    }
  } catch (error) {
    await Promise.all(staged.map(({ temp }) => rm(temp, { force: true })));
    // Folders made for new files hold nothing but temporaries: remove them too.
    await Promise.all(createdDirs.map((dir) => rm(dir, { recursive: true, force: true })));
    throw error;
  }
  for (const { temp, target } of staged) await rename(temp, target);
  for (const file of plan.remove) {
    const target = path.join(root, file);
    await rm(target, { force: true });
    await removeEmptyParents(root, path.dirname(target));
  }
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
