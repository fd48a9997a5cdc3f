// exitOnSignals in a process: a second signal while stopping exits at once, and a process that npm
// started through its shell stops when that shell is signalled or npm goes away (npm passes its
// signals to the shell only; see runtime/host/parent-watch.ts). The shell here is `sh -c`, as npm
// runs it; test/e2e/npx-signals.test.ts does the same through npm itself.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PARENT_CHECK_MS } from '../../../runtime/host/parent-watch.js';
import { eventually } from '../../support/processes.js';

const main = fileURLToPath(new URL('./signals-main.ts', import.meta.url));

/** Runs the fixture, directly or as `sh -c 'node …'` with npm's environment; output is collected until every writer is gone. */
function start(env: Record<string, string>, viaNpmShell = false) {
  // `; exit` keeps the shell waiting for the fixture where sh would exec a lone command (bash).
  const fixture = `'${process.execPath}' --import tsx '${main}'; exit $?`;
  const child = viaNpmShell
    ? spawn('sh', ['-c', fixture], { env: { ...process.env, LOG_LEVEL: 'info', npm_lifecycle_event: 'npx', ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
    : spawn(process.execPath, ['--import', 'tsx', main], { env: { ...process.env, LOG_LEVEL: 'info', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const closed = new Promise<void>((resolve) => child.stdout.on('close', () => resolve()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const waitFor = (text: string, timeoutMs = 20_000) =>
    eventually(async () => output.includes(text), timeoutMs).catch(() => {
      throw new Error(`no '${text}' within ${timeoutMs} ms; output:\n${output}`);
    });
  return { child, closed, exited, output: () => output, waitFor };
}

describe('exitOnSignals', () => {
  it('exits 1 at once on a second signal while the graceful stop is still running', async () => {
    const proc = start({ STOP_HANGS: '1' });
    try {
      await proc.waitFor('"msg":"ready"');
      proc.child.kill('SIGTERM');
      await proc.waitFor('"msg":"stop called"');
      proc.child.kill('SIGINT');
      expect(await proc.exited).toBe(1);
      expect(proc.output()).toMatch(/"signal":"SIGINT","msg":"second signal: exiting without waiting"/);
    } finally {
      proc.child.kill('SIGKILL');
    }
  });
});

describe.skipIf(process.platform !== 'linux')('exitOnSignals under npm\'s shell', () => {
  it('keeps running while nothing happens to the shell', async () => {
    const proc = start({ ALIVE_AFTER_MS: String(PARENT_CHECK_MS * 8) }, true);
    try {
      await proc.waitFor('"msg":"alive"');
      expect(proc.output()).not.toContain('stopping');
    } finally {
      proc.child.kill('SIGTERM'); // the shell dies; the watch stops the fixture
      await proc.closed;
    }
  });

  it.each(['SIGINT', 'SIGTERM'] as const)('stops gracefully (exit 0) when the shell gets %s', async (signal) => {
    const proc = start({}, true);
    try {
      await proc.waitFor('"msg":"ready"');
      proc.child.kill(signal);
      await proc.waitFor('exit 0');
      await proc.closed;
      expect(proc.output()).toMatch(/"reason":"[^"]+","msg":"stopping"/);
      expect(proc.output()).toContain('"msg":"stop called"');
    } finally {
      proc.child.kill('SIGKILL');
    }
  });
});
