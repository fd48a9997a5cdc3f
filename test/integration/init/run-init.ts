// Runs `meshspec init` in this process (no child, no TypeScript loader to start) and captures what
// it prints. Throwaway folders come from test/support/package.ts (emptyFolder).
import { rm } from 'node:fs/promises';
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

export function removeFolder(folder: string): Promise<void> {
  return rm(folder, { recursive: true, force: true });
}
