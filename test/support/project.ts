// Throwaway copies of the example project for tests that regenerate or edit it. They live under the
// repository's .tmp/ so that `meshspec/runtime` resolves by package self-reference, as it does in generated/.
import { cp, mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';

export const repoRoot = path.resolve(import.meta.dirname, '../..');

export interface TempProject {
  root: string;
  /** Absolute path of a project file. */
  file(relative: string): string;
  read(relative: string): Promise<string>;
  /** Every file below `dir` (relative to the project) with its content, for before/after comparisons. */
  snapshot(dir: string): Promise<Map<string, string>>;
  remove(): Promise<void>;
}

/** Copies the given top-level folders of the repository (default: spec and hooks) into a fresh project. */
export async function tempProject(name: string, folders: string[] = ['spec', 'hooks']): Promise<TempProject> {
  await mkdir(path.join(repoRoot, '.tmp'), { recursive: true });
  const root = await mkdtemp(path.join(repoRoot, '.tmp', `${name}-`));
  for (const folder of folders) await cp(path.join(repoRoot, folder), path.join(root, folder), { recursive: true });
  const file = (relative: string) => path.join(root, relative);
  return {
    root,
    file,
    read: (relative) => readFile(file(relative), 'utf8'),
    snapshot: (dir) => filesBelow(root, dir),
    remove: () => rm(root, { recursive: true, force: true }),
  };
}

/** Every file below `root/dir` (default: all of `root`), project-relative with `/`, sorted, with its content; empty when there is no such folder. */
export async function filesBelow(root: string, dir = '.'): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  let entries;
  try {
    entries = await readdir(path.join(root, dir), { recursive: true, withFileTypes: true });
  } catch {
    return files;
  }
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const full = path.join(entry.parentPath, entry.name);
    files.set(path.relative(root, full).split(path.sep).join('/'), await readFile(full, 'utf8'));
  }
  return new Map([...files].sort(([a], [b]) => (a < b ? -1 : 1)));
}
