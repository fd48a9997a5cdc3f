// `npm install` in the new project, its output shown as it runs.
import { spawn } from 'node:child_process';

/** The command init runs, as printed. */
export const INSTALL_COMMAND = 'npm install';

/** Runs `npm install` in `root`; resolves with its exit code, or the reason it could not start. */
export function runInstall(root: string): Promise<{ code: number } | { error: string }> {
  return new Promise((resolve) => {
    // npm is npm.cmd on Windows, which only a shell runs.
    const child = spawn('npm', ['install'], { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
    child.on('error', (error) => resolve({ error: error.message }));
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 128 : 1) }));
  });
}
