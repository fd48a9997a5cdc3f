// runMain as its own process: env settings, SIGTERM -> exit 0, a taken port -> one line and exit 1.
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const main = fileURLToPath(new URL('./standalone-main.ts', import.meta.url));

function start(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', main], {
    env: { ...process.env, HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const lines = () => stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
  return { child, exited, lines };
}

describe('runMain', () => {
  it('serves on PORT and exits 0 after a graceful stop on SIGTERM', async () => {
    const proc = start({ PORT: '0' });
    let started: Record<string, unknown> | undefined;
    while (!started) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      started = proc.lines().find((l) => l.msg === 'users started');
    }
    const res = await fetch(`http://127.0.0.1:${String(started.httpPort)}/health`);
    expect(res.status).toBe(200);
    proc.child.kill('SIGTERM');
    expect(await proc.exited).toBe(0);
    expect(proc.lines().map((l) => l.msg)).toEqual(expect.arrayContaining(['users shutting down', 'users stopped']));
  });

  it('logs one line and exits 1 when the port is taken', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as AddressInfo).port;
    const proc = start({ PORT: String(port) });
    expect(await proc.exited).toBe(1);
    expect(proc.lines()).toEqual([expect.objectContaining({ level: 'fatal', msg: `port ${port} (users http) is already in use` })]);
    await new Promise((resolve) => blocker.close(resolve));
  });
});
