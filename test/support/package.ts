// meshspec as a user gets it: the tarball `npm pack` makes, installed into a folder outside this
// repository with npm, then driven through the commands a user types (`npx meshspec ...`, npm scripts).
import { execFile } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { assertBuildIsCurrent } from './build.js';
import { repoRoot } from './project.js';

const run = promisify(execFile);

/** The environment of every npm call here: packages from npm's cache (filled by `npm ci`), no audit, no colour. */
export const npmEnv: NodeJS.ProcessEnv = {
  ...withoutVitest(process.env),
  npm_config_prefer_offline: 'true',
  npm_config_audit: 'false',
  npm_config_fund: 'false',
  npm_config_update_notifier: 'false',
  NO_COLOR: '1',
  FORCE_COLOR: '0',
};

/** Variables vitest sets for its own workers would make a project's own vitest think it is one. */
function withoutVitest(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([key]) => !key.startsWith('VITEST') && key !== 'NODE_OPTIONS' && key !== 'TEST'));
}

export interface CommandResult {
  code: number;
  output: string;
  ms: number;
}

/** Runs a command to its end (never throws on a non-zero exit): its exit code, stdout + stderr and duration. */
export async function command(cwd: string, file: string, args: readonly string[], timeoutMs = 180_000): Promise<CommandResult> {
  const started = performance.now();
  try {
    const { stdout, stderr } = await run(file, [...args], { cwd, env: npmEnv, timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 });
    return { code: 0, output: stdout + stderr, ms: performance.now() - started };
  } catch (error) {
    const e = error as { code?: unknown; stdout?: string; stderr?: string; message: string };
    return { code: typeof e.code === 'number' ? e.code : 1, output: `${e.stdout ?? ''}${e.stderr ?? ''}${e.message}`, ms: performance.now() - started };
  }
}

/** `npm pack` of this repository into a fresh temporary folder: the tarball's path and size. */
export async function packTarball(): Promise<{ file: string; bytes: number; files: string[] }> {
  // The tarball is made from dist/ as it is.
  assertBuildIsCurrent('npm pack');
  const into = await mkdtemp(path.join(tmpdir(), 'meshspec-tarball-'));
  const packed = await command(repoRoot, 'npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', into]);
  if (packed.code !== 0) throw new Error(`npm pack failed:\n${packed.output}`);
  const [info] = JSON.parse(packed.output.slice(packed.output.indexOf('['))) as { filename: string; size: number; files: { path: string }[] }[];
  return { file: path.join(into, info!.filename), bytes: info!.size, files: info!.files.map((f) => f.path) };
}

/** A new empty folder outside this repository, where nothing resolves to meshspec's sources. */
export function emptyFolder(name: string): Promise<string> {
  return mkdtemp(path.join(tmpdir(), `meshspec-${name}-`));
}
