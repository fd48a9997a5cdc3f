// The earlier spec `meshspec diff --against` compares with: a folder as it is, or the spec folder as a
// git ref holds it, read with `git ls-tree` and `git show` into a temp folder (the work tree is never touched).
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, realpath, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { UsageError } from './usage-error.js';

export interface EarlierSpec {
  /** Working folder to compile it from, and its spec folder relative to it. */
  cwd: string;
  specDir: string;
  /** How messages name it: the folder or the ref. */
  label: string;
  /** Removes what reading it wrote (nothing for a folder). */
  cleanup(): Promise<void>;
}

const MESH_FILE = /^mesh\.ya?ml$/;
const SPEC_FILE = /^(mesh\.ya?ml|services\/[^/]+\.ya?ml)$/;

/**
 * The earlier spec named by `against`: a spec folder (holding mesh.yaml), a project folder holding the
 * spec at the same place as `specDir`, or a git ref of the repository around `cwd`.
 */
export async function earlierSpec(against: string, specDir: string, cwd: string): Promise<EarlierSpec> {
  const folder = path.resolve(cwd, against);
  if (await isFolder(folder)) {
    for (const candidate of [folder, path.resolve(folder, specDir)]) {
      if (['mesh.yaml', 'mesh.yml'].some((f) => existsSync(path.join(candidate, f)))) {
        return { cwd, specDir: path.relative(cwd, candidate) || '.', label: against, cleanup: async () => {} };
      }
    }
    throw new UsageError(`--against ${against}: the folder has no mesh.yaml, nor ${path.join(against, specDir)}/mesh.yaml; name the earlier spec folder or a git ref`);
  }
  return fromGit(against, specDir, cwd);
}

async function fromGit(ref: string, specDir: string, cwd: string): Promise<EarlierSpec> {
  const top = await git(['rev-parse', '--show-toplevel'], cwd);
  if (top.code === 127) throw new UsageError(`--against ${ref}: no such folder, and ${top.stderr}`);
  if (top.code !== 0) throw new UsageError(`--against ${ref}: no such folder, and ${cwd} is not in a git repository to read a ref from`);
  if ((await git(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], cwd)).code !== 0) {
    throw new UsageError(`--against ${ref}: no such folder, nor a commit, branch or tag of this repository (in CI, fetch it: \`fetch-depth: 0\`)`);
  }
  const root = await realpath(top.stdout.trim());
  const absSpec = path.resolve(cwd, specDir);
  const inRepo = path.relative(root, existsSync(absSpec) ? await realpath(absSpec) : absSpec).split(path.sep).join('/');
  if (inRepo.startsWith('..')) throw new UsageError(`--against ${ref}: the spec folder ${specDir} is outside the git repository at ${root}`);
  const prefix = inRepo === '' ? '' : `${inRepo}/`;
  const listed = await git(['ls-tree', '-r', '-z', '--name-only', ref, '--', prefix || '.'], root);
  const files = listed.stdout.split('\0').filter((f) => f.startsWith(prefix) && SPEC_FILE.test(f.slice(prefix.length)));
  if (!files.some((f) => MESH_FILE.test(f.slice(prefix.length)))) {
    throw new UsageError(`--against ${ref}: ${ref} has no spec at ${prefix || './'} (no mesh.yaml there)`);
  }
  const tempRoot = await mkdtemp(path.join(tmpdir(), 'meshspec-diff-'));
  const name = path.basename(absSpec);
  try {
    for (const file of files) {
      const shown = await git(['show', `${ref}:${file}`], root);
      if (shown.code !== 0) throw new UsageError(`--against ${ref}: git could not read ${file}: ${shown.stderr.trim()}`);
      const target = path.join(tempRoot, name, file.slice(prefix.length));
      await mkdir(path.dirname(target), { recursive: true });
      await writeFile(target, shown.stdout);
    }
  } catch (error) {
    await rm(tempRoot, { recursive: true, force: true });
    throw error;
  }
  return { cwd: tempRoot, specDir: name, label: ref, cleanup: () => rm(tempRoot, { recursive: true, force: true }) };
}

async function isFolder(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isDirectory();
  } catch {
    return false;
  }
}

function git(args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('git', args, { cwd, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error && typeof (error as { code?: unknown }).code !== 'number') {
        resolve({ code: 127, stdout: '', stderr: `git could not be run: ${error.message}` });
        return;
      }
      resolve({ code: error ? (error as { code: number }).code : 0, stdout, stderr });
    });
  });
}
