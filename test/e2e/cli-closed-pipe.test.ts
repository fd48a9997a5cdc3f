// `meshspec ... | head`: a reader that closes the pipe before the command has written everything
// stops the command quietly (the exit code it would have had), never with an EPIPE stack trace.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../../bin/meshspec.js', import.meta.url));

function runWithClosedStdout(...args: string[]): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  // Closed before the command writes: its first write to stdout fails with EPIPE.
  child.stdout.destroy();
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stderr })));
}

describe('the CLI writing into a closed pipe', () => {
  it('stops quietly with the exit code of the command', async () => {
    const help = await runWithClosedStdout('events', '--help');
    expect(help.stderr).toBe('');
    expect(help.code).toBe(0);
    // `meshspec` alone prints its usage and exits 2: still 2, still no stack trace.
    const usage = await runWithClosedStdout();
    expect(usage.stderr).not.toMatch(/EPIPE|at .+:\d+:\d+/);
    expect(usage.code).toBe(2);
  });
});
