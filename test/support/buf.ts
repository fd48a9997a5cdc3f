// Runs the real `buf` binary (from @bufbuild/buf) in a proto folder.
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from './project.js';

const run = promisify(execFile);
const buf = resolve(repoRoot, 'node_modules/.bin/buf');

/** Runs buf in the proto folder; resolves with its exit code and output instead of throwing. */
export async function bufIn(protoDir: string, args: string[]): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await run(buf, args, { cwd: protoDir });
    return { code: 0, output: stdout + stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, output: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}
