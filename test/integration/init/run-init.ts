// Runs `meshspec init` in this process (no child, no TypeScript loader to start) and captures what
// it prints, plus throwaway folders to run it in.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { main } from '../../../generator/cli/main.js';

export interface InitRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** `meshspec init ...args`, with stdout and stderr captured. */
export async function runInit(...args: string[]): Promise<InitRun> {
  let stdout = '';
  let stderr = '';
  const out = process.stdout.write;
  const err = process.stderr.write;
  process.stdout.write = ((chunk: string | Uint8Array) => ((stdout += String(chunk)), true)) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => ((stderr += String(chunk)), true)) as typeof process.stderr.write;
  try {
    const code = await main(['init', ...args]);
    return { code, stdout, stderr };
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
  }
}

/** A fresh empty folder outside the repository; remove it with `rm(folder, { recursive: true })`. */
export function emptyFolder(): Promise<string> {
  return mkdtemp(path.join(tmpdir(), 'meshspec-init-'));
}

export function removeFolder(folder: string): Promise<void> {
  return rm(folder, { recursive: true, force: true });
}

/** Every file below `root` (project-relative, with `/`, sorted) with its content. */
export async function filesIn(root: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  let entries;
  try {
    entries = await readdir(root, { recursive: true, withFileTypes: true });
  } catch {
    return files;
  }
  const paths = entries
    .filter((e) => e.isFile())
    .map((e) => path.relative(root, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
    .sort();
  for (const file of paths) files.set(file, await readFile(path.join(root, file), 'utf8'));
  return files;
}
