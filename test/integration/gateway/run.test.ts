// runGateway as a process: PORT, MESH_<SERVICE>_HTTP, graceful exit on signals, a clear port-in-use error.
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { closeAll, send, signal, startUpstream, within } from './helpers.js';

afterEach(closeAll);

const FIXTURE = fileURLToPath(new URL('./fixtures/run-gateway.ts', import.meta.url));

function runGatewayProcess(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', FIXTURE], {
    // A free metrics port unless a test names one: test files run side by side.
    env: { ...process.env, LOG_LEVEL: 'info', METRICS_PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const listening = signal<number>();
  const metricsListening = signal<number>();
  const onData = (chunk: Buffer) => {
    output += chunk.toString();
    const match = /"port":(\d+),"metricsPort":(\d+)[^\n]*gateway listening/.exec(output);
    if (match) {
      listening.resolve(Number(match[1]));
      metricsListening.resolve(Number(match[2]));
    }
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, listening: listening.promise, metricsListening: metricsListening.promise, exited, output: () => output };
}

describe('runGateway', () => {
  it('listens on PORT, routes to MESH_<SERVICE>_HTTP, and exits 0 on SIGTERM', async () => {
    const users = await startUpstream();
    const run = runGatewayProcess({ PORT: '0', MESH_USERS_HTTP: users.origin });
    try {
      const port = await within(run.listening, 15_000, `gateway did not start:\n${run.output()}`);
      const reply = await send(port, '/api/hello?x=1');
      expect(reply.status).toBe(200);
      expect(reply.json<{ url: string }>().url).toBe('/hello?x=1');
      // /metrics on METRICS_PORT, counting the request above; on PORT it is an unknown path.
      const metricsPort = await run.metricsListening;
      expect(metricsPort).not.toBe(port);
      const metrics = await send(metricsPort, '/metrics');
      expect([metrics.status, metrics.body.includes('meshspec_gateway_requests_total{route="/api",status="200",service="gateway"} 1')]).toEqual([200, true]);
      expect((await send(port, '/metrics')).status).toBe(404);
      run.child.kill('SIGTERM');
      expect(await within(run.exited, 10_000, 'gateway did not exit after SIGTERM')).toBe(0);
      expect(run.output()).toMatch(/"signal":"SIGTERM","msg":"stopping"/);
    } finally {
      run.child.kill('SIGKILL');
    }
  });

  it('on SIGTERM with SHUTDOWN_DELAY, answers /ready 503 while still proxying, then exits 0', async () => {
    const users = await startUpstream();
    const run = runGatewayProcess({ PORT: '0', MESH_USERS_HTTP: users.origin, SHUTDOWN_DELAY: '4s' });
    try {
      const port = await within(run.listening, 15_000, `gateway did not start:\n${run.output()}`);
      expect((await send(port, '/ready')).status).toBe(200);
      const draining = new Promise<void>((resolve) => run.child.stdout.on('data', () => run.output().includes('gateway draining') && resolve()));
      run.child.kill('SIGTERM');
      await within(draining, 10_000, `no draining line:\n${run.output()}`);
      expect((await send(port, '/ready')).status).toBe(503);
      const reply = await send(port, '/api/still');
      expect(reply.status).toBe(200);
      expect(reply.headers.connection).toBe('close');
      expect(await within(run.exited, 15_000, 'gateway did not exit after the delay')).toBe(0);
      expect(run.output()).toMatch(/"delayMs":4000[^\n]*gateway draining/);
    } finally {
      run.child.kill('SIGKILL');
    }
  });

  it('exits 1 with one clear line when SHUTDOWN_DELAY is no duration', async () => {
    const run = runGatewayProcess({ PORT: '0', MESH_USERS_HTTP: 'http://127.0.0.1:1', SHUTDOWN_DELAY: 'soon' });
    try {
      expect(await within(run.exited, 15_000, 'gateway did not exit')).toBe(1);
      const lines = run.output().trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain("SHUTDOWN_DELAY must be a duration such as 500ms or 10s, got 'soon'");
    } finally {
      run.child.kill('SIGKILL');
    }
  });

  it('exits 1 with one clear line when an upstream address is malformed', async () => {
    const run = runGatewayProcess({ PORT: '0', MESH_USERS_HTTP: 'users:3001' });
    try {
      expect(await within(run.exited, 15_000, 'gateway did not exit')).toBe(1);
      const lines = run.output().trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain('MESH_USERS_HTTP');
      expect(run.output()).not.toMatch(/\n\s+at /);
    } finally {
      run.child.kill('SIGKILL');
    }
  });

  it('exits 1 with one clear line when the port is taken', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, resolve));
    const port = (blocker.address() as AddressInfo).port;
    const run = runGatewayProcess({ PORT: String(port), MESH_USERS_HTTP: 'http://127.0.0.1:1' });
    try {
      expect(await within(run.exited, 15_000, 'gateway did not exit')).toBe(1);
      const lines = run.output().trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(`port ${port} is already in use`);
      expect(run.output()).not.toMatch(/\n\s+at /);
    } finally {
      run.child.kill('SIGKILL');
      await new Promise((resolve) => blocker.close(resolve));
    }
  });
});
